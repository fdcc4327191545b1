"""Case-finding in the service: stored cohorts with their rule version, worklists, the record."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from oneroof.analytics.codelists import read_codelists
from oneroof.analytics.rules import load_ruleset
from oneroof.care.models import Condition
from oneroof.codelists.loader import DATA_DIR
from oneroof.population.models import CohortMember, CohortRun, WorklistEntry
from oneroof.population.services import close_worklist_entry, find_cases
from tests.factories import AddressFactory, PersonFactory, team_around

pytestmark = pytest.mark.django_db
TODAY = date(2026, 6, 30)
MODERATE_FRAILTY = [  # nine eFI deficits (9/36 = 0.25)
    "161898004",
    "15188001",
    "84114007",
    "44054006",
    "404640003",
    "267036007",
    "193462001",
    "165232002",
    "8510008",
]


def frail(person, codes=MODERATE_FRAILTY):
    for code in codes:
        Condition.objects.create(
            person=person,
            code=code,
            display=code,
            category="physical",
            recorded_date=date(2024, 1, 1),
        )


@pytest.fixture
def found(nurse):
    """Three residents: one frail with a coordinator, one frail with none, one well."""
    with_team = PersonFactory(given_name="Meera", lives_alone=True)
    AddressFactory(person=with_team, imd_decile=1)
    team_around(with_team, nurse, coordinator=nurse)
    frail(with_team)
    alone = PersonFactory(given_name="Alone", general_practice=nurse.organisation)
    AddressFactory(person=alone, imd_decile=5)
    frail(alone)
    well = PersonFactory(given_name="Well")
    AddressFactory(person=well, imd_decile=1)
    return with_team, alone, well


def test_find_cases_stores_the_cohort_with_its_rule_version(tmp_path, found):
    with_team, alone, well = found
    summary = find_cases(snapshot_dir=tmp_path, index_date=TODAY)
    run = CohortRun.objects.get()
    rules = load_ruleset()
    assert (run.rule_version, run.rule_fingerprint) == (rules.version, rules.fingerprint)
    assert run.finished_at and run.population == 3 and run.cohort_size == 2
    assert run.absent_tables == ""  # every source is in the snapshot
    members = {m.person_id: m for m in CohortMember.objects.all()}
    assert set(members) == {with_team.pk, alone.pk}
    assert members[with_team.pk].priority == 1  # same band, decile 1 before decile 5
    assert members[with_team.pk].reasons == (
        "need band 6 of 7: moderate frailty; moderate frailty (eFI 9/36); lives alone;"
        " most deprived decile"
    )
    assert members[with_team.pk].criteria == ["meets_frailty"]
    assert (members[with_team.pk].need_band, members[with_team.pk].efi_deficits) == (6, 9)
    assert summary.newly_found == 2


def test_find_cases_puts_new_people_on_their_coordinators_or_the_neighbourhood_worklist(
    tmp_path, found, nurse
):
    with_team, alone, _ = found
    find_cases(snapshot_dir=tmp_path / "1", index_date=TODAY)
    entries = {e.person_id: e for e in WorklistEntry.objects.all()}
    assert entries[with_team.pk].coordinator == nurse
    assert entries[alone.pk].coordinator is None
    assert entries[alone.pk].neighbourhood_id == nurse.organisation.neighbourhood_id
    assert list(WorklistEntry.objects.for_coordinator(nurse)) == [entries[with_team.pk]]
    neighbourhood = WorklistEntry.objects.for_neighbourhood(nurse.organisation.neighbourhood_id)
    assert list(neighbourhood) == [entries[alone.pk]]

    # A second run finds nobody new: nobody is put on a worklist twice.
    close_worklist_entry(entry=entries[with_team.pk], status="done", by=nurse)
    summary = find_cases(snapshot_dir=tmp_path / "2", index_date=TODAY)
    assert summary.newly_found == 0
    assert WorklistEntry.objects.count() == 2
    assert CohortMember.objects.count() == 4


def test_find_cases_stores_need_bands_and_the_worklist_puts_need_first(tmp_path, nurse, client_for):
    codelists = read_codelists(DATA_DIR)

    def in_fewest_lists(slug):  # the published lists overlap: one deficit per code
        return min(
            codelists[slug].codes,
            key=lambda c: (sum(c in other.codes for other in codelists.values()), c),
        )

    severe = [in_fewest_lists(d.codelist) for d in load_ruleset().coded_deficits[:13]]
    people = {}
    for name, decile, codes in (
        ("Sev", 10, severe),  # severe frailty in the least deprived decile: band 1
        ("Mod", 1, MODERATE_FRAILTY),  # moderate frailty, most deprived: band 6
        ("Nod", None, MODERATE_FRAILTY),  # moderate frailty, no known address: band 6
    ):
        person = PersonFactory(given_name=name)
        if decile is not None:
            AddressFactory(person=person, imd_decile=decile)
        team_around(person, nurse, coordinator=nurse)
        frail(person, codes)
        people[name] = person
    find_cases(snapshot_dir=tmp_path, index_date=TODAY)
    members = {m.person.given_name: m for m in CohortMember.objects.select_related("person")}
    assert {n: (m.need_band, m.priority) for n, m in members.items()} == {
        "Sev": (1, 1),
        "Nod": (6, 2),  # an unknown decile counts as most deprived: never last
        "Mod": (6, 3),
    }
    assert "deprivation not known: counted as most deprived" in members["Nod"].reasons
    entries = {e.person.given_name: e for e in WorklistEntry.objects.select_related("person")}
    assert (entries["Sev"].need_band, entries["Sev"].efi_deficits) == (1, 13)
    body = client_for(nurse).get(reverse("population:worklist_list")).content.decode()
    order = [body.index(f">{name} Example</a>") for name in ("Sev", "Nod", "Mod")]
    assert order == sorted(order)
    assert "Band 1 of 7: severe frailty" in body and "13/36, severe frailty" in body


def test_find_cases_runs_the_superseded_version_2026_1_as_it_was(tmp_path, found):
    with_team, alone, _ = found
    find_cases(snapshot_dir=tmp_path, index_date=TODAY, rule_version="2026.1")
    assert CohortRun.objects.get().rule_version == "2026.1"
    members = {m.person_id: m for m in CohortMember.objects.all()}
    assert {m.need_band for m in members.values()} == {None}
    assert members[with_team.pk].reasons == (
        "moderate frailty (eFI 9/36); lives alone; most deprived decile"
    )


def test_close_worklist_entry_only_by_the_coordinator(tmp_path, found, social_worker):
    find_cases(snapshot_dir=tmp_path, index_date=TODAY)
    entry = WorklistEntry.objects.filter(coordinator__isnull=False).get()
    with pytest.raises(PermissionError):
        close_worklist_entry(entry=entry, status="done", by=social_worker)
    assert WorklistEntry.objects.open().count() == 2


def test_record_shows_why_a_person_is_in_the_cohort(tmp_path, found, nurse, client_for):
    with_team, _, _ = found
    find_cases(snapshot_dir=tmp_path, index_date=TODAY)
    url = reverse("care:record_view", kwargs={"public_id": with_team.public_id})
    body = client_for(nurse).get(url).content.decode()
    assert "Proactive care" in body
    assert "moderate frailty (eFI 9/36); lives alone; most deprived decile" in body
    assert "Band 6 of 7: moderate frailty" in body
    assert "9/36, moderate frailty" in body
    assert "Complex needs, version 2026.2" in body


def test_record_cohort_section_query_count_is_constant(tmp_path, found, nurse, client_for):
    with_team, _, _ = found
    client = client_for(nurse)
    url = reverse("care:record_view", kwargs={"public_id": with_team.public_id})
    find_cases(snapshot_dir=tmp_path / "1", index_date=TODAY)
    with CaptureQueriesContext(connection) as once:
        client.get(url)
    for n in range(2, 5):
        find_cases(snapshot_dir=tmp_path / str(n), index_date=TODAY)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(once)


def test_find_cases_command_prints_counts_and_nothing_about_a_person(tmp_path, found):
    out = StringIO()
    call_command("find_cases", index_date=TODAY, snapshot_dir=tmp_path, stdout=out)
    text = out.getvalue()
    assert "3 residents, 2 with complex needs, 2 newly found" in text
    assert "1 to their coordinator, 1 to the neighbourhood worklist" in text
    assert "Not in the snapshot yet" not in text  # every source is wired in
    for person in found:
        assert person.given_name not in text and person.nhs_number not in text


def test_find_cases_command_refuses_an_unknown_rule_version(tmp_path, found):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="no rule set version 1999"):
        call_command("find_cases", rules="1999", snapshot_dir=tmp_path)
    assert not CohortRun.objects.exists()


def test_find_cases_never_logs_a_person_level_value(tmp_path, found, caplog):
    caplog.set_level("DEBUG")
    find_cases(snapshot_dir=tmp_path, index_date=TODAY)
    logged = caplog.text
    assert "3 residents, 2 in the cohort" in logged  # counts only
    for person in found:
        assert person.given_name not in logged and person.nhs_number not in logged
        assert str(person.public_id) not in logged and "frailty" not in logged
