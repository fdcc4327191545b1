"""The worklist's presenter, without a database."""

from types import SimpleNamespace

import pytest

from oneroof.population.presenters import WorklistEntryPresenter, describe_decile


@pytest.mark.parametrize(
    ("decile", "words"),
    [(1, "1 (most deprived)"), (4, "4"), (10, "10 (least deprived)"), (None, "Not known")],
)
def test_describe_decile(decile, words):
    assert describe_decile(decile) == words


def entry(coordinator=None, reasons="moderate frailty; housebound"):
    return SimpleNamespace(
        coordinator=coordinator,
        coordinator_id=coordinator.pk if coordinator else None,
        reasons=reasons,
        imd_decile=2,
    )


GRACE = SimpleNamespace(pk=7, name="Grace Okafor")


@pytest.mark.parametrize(
    ("coordinator", "viewer", "whose", "records"),
    [
        (GRACE, 7, "Yours", True),
        (GRACE, 8, "Grace Okafor’s", False),
        (None, 8, "Neighbourhood: no coordinator named yet", True),
    ],
)
def test_worklist_entry_presenter_whose_list_and_who_records(coordinator, viewer, whose, records):
    row = WorklistEntryPresenter(entry(coordinator), viewer)
    assert (row.whose, row.can_record_outcome) == (whose, records)
    assert row.reasons == "Moderate frailty; housebound"
    assert row.deprivation == "2"
