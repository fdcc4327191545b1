"""The worklist's presenter, without a database."""

from types import SimpleNamespace

import pytest

from oneroof.population.presenters import (
    CohortMemberPresenter,
    WorklistEntryPresenter,
    describe_decile,
    describe_efi,
    describe_need_band,
)


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


@pytest.mark.parametrize(
    ("deficits", "category", "words"),
    [
        (13, "severe", "13/36, severe frailty"),
        (9, "moderate", "9/36, moderate frailty"),
        (2, "fit", "2/36, fit"),
        (11, "", "11/36 (no category: the eFI grades people aged 65 and over)"),
        (None, "moderate", "Not recorded"),
    ],
)
def test_describe_efi_as_a_count_of_36_with_its_category(deficits, category, words):
    assert describe_efi(deficits, category) == words


def test_describe_need_band_in_the_words_of_the_runs_rule_set():
    assert describe_need_band("2026.2", 1) == "Band 1 of 7: severe frailty"
    assert describe_need_band("2026.2", 2).startswith("Band 2 of 7: end of life")
    assert describe_need_band("2026.1", None) == "No need band (rules before 2026.2)"
    assert describe_need_band("no such version", 1) == "No need band (rules before 2026.2)"


def test_worklist_entry_presenter_shows_need_band_and_efi():
    row = WorklistEntryPresenter(
        SimpleNamespace(
            need_band=3,
            efi_deficits=10,
            efi_category="moderate",
            found_in=SimpleNamespace(rule_version="2026.2"),
        ),
        7,
    )
    assert row.need == (
        "Band 3 of 7: moderate frailty with an emergency admission in the last 12 months"
    )
    assert row.efi == "10/36, moderate frailty"


def test_cohort_member_presenter_says_how_its_run_ordered_the_cohort():
    def member(version, band):
        run = SimpleNamespace(rule_version=version)
        return SimpleNamespace(
            run=run, need_band=band, priority=4, efi_deficits=13, efi_category="severe"
        )

    new = CohortMemberPresenter(member("2026.2", 1))
    assert new.priority.startswith("4 (clinical need first")
    assert new.need == "Band 1 of 7: severe frailty" and new.efi == "13/36, severe frailty"
    assert CohortMemberPresenter(member("2026.1", None)).priority == (
        "4 (most deprived areas first)"
    )
