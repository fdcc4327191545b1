"""The proactive-care worklist page: who sees which entries, in what order, and recording what
came of each."""

from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from oneroof.audit.models import RecordAccess
from oneroof.population.models import CohortRun, WorklistEntry
from tests.factories import PASSWORD, PersonFactory, UserFactory, team_around

pytestmark = pytest.mark.django_db
LIST = reverse("population:worklist_list")


@pytest.fixture
def run():
    return CohortRun.objects.create(
        index_date=date(2026, 6, 30),
        trigger="on_demand",
        rule_version="2026.1",
        rule_fingerprint="f" * 64,
        engine="duckdb",
        snapshot_taken_at=timezone.now(),
    )


def entry_for(person, run, *, coordinator=None, decile=None, priority=1, reasons="housebound"):
    return WorklistEntry.objects.create(
        person=person,
        coordinator=coordinator,
        found_in=run,
        priority=priority,
        imd_decile=decile,
        reasons=reasons,
    )


@pytest.fixture
def entries(run, nurse, social_worker):
    """On the nurse's worklist: Ann (decile 5) and Bea (decile 1), whose named coordinator she
    is; on the neighbourhood worklist: Cal (no decile known), whose team has the nurse in it."""
    ann = PersonFactory(given_name="Ann")
    bea = PersonFactory(given_name="Bea")
    cal = PersonFactory(given_name="Cal")
    team_around(ann, nurse)
    team_around(bea, nurse, social_worker)
    team = team_around(cal, nurse)
    team.coordinator = None
    team.save()
    return {
        "ann": entry_for(ann, run, coordinator=nurse, decile=5, priority=1),
        "bea": entry_for(bea, run, coordinator=nurse, decile=1, priority=2),
        "cal": entry_for(cal, run, priority=3, reasons="severe frailty; lives alone"),
    }


def close_url(entry) -> str:
    return reverse("population:worklist_entry_close", kwargs={"pk": entry.pk})


def test_worklist_lists_most_deprived_first_with_reasons_and_record_links(
    client_for, nurse, entries
):
    body = client_for(nurse).get(LIST).content.decode()
    names = [body.index(f">{n} Example</a>") for n in ("Cal", "Bea", "Ann")]
    assert names == sorted(names)  # not known (counted as most deprived), decile 1, decile 5
    assert "Severe frailty; lives alone" in body
    assert "Neighbourhood: no coordinator named yet" in body
    record = reverse("care:record_view", kwargs={"public_id": entries["bea"].person.public_id})
    assert f'href="{record}"' in body
    assert body.count("Record outcome") == 3


def test_worklist_need_band_comes_before_deprivation(client_for, nurse, entries, run):
    entries["ann"].need_band = 1  # decile 5, but the greatest need
    entries["ann"].save()
    for name in ("bea", "cal"):
        entries[name].need_band = 7
        entries[name].save()
    body = client_for(nurse).get(LIST).content.decode()
    names = [body.index(f">{n} Example</a>") for n in ("Ann", "Cal", "Bea")]
    assert names == sorted(names)


def test_worklist_record_link_goes_through_the_audited_door(client_for, nurse, entries):
    person = entries["bea"].person
    client = client_for(nurse)
    assert not RecordAccess.objects.filter(person=person).exists()  # the list opens no record
    client.get(LIST)
    assert not RecordAccess.objects.filter(person=person).exists()
    client.get(reverse("care:record_view", kwargs={"public_id": person.public_id}))
    assert RecordAccess.objects.filter(person=person, user=nurse.user).count() == 1


def test_worklist_stranger_sees_no_entry_and_cannot_reach_one(client_for, stranger, entries):
    client = client_for(stranger)
    body = client.get(LIST).content.decode()
    assert "Nobody is waiting to be contacted" in body
    assert not any(f"{n} Example" in body for n in ("Ann", "Bea", "Cal"))
    for entry in entries.values():
        assert client.get(close_url(entry)).status_code == 404
        assert client.post(close_url(entry), {"status": "done"}).status_code == 404
    assert WorklistEntry.objects.open().count() == 3


def test_worklist_is_for_the_team_only(client_for, entries):
    resident = PersonFactory(user=UserFactory())
    assert client_for(resident).get(LIST).status_code == 403
    assert Client().get(LIST).status_code == 302  # to sign in


def test_worklist_team_member_sees_anothers_entry_but_only_its_coordinator_records(
    client_for, social_worker, entries
):
    client = client_for(social_worker)
    body = client.get(LIST).content.decode()
    assert "Bea Example" in body and "Ann Example" not in body  # in Bea's team, not Ann's
    assert "’s" in body and "Record outcome" not in body
    assert client.get(close_url(entries["bea"])).status_code == 403
    assert client.post(close_url(entries["bea"]), {"status": "done"}).status_code == 403
    assert WorklistEntry.objects.get(pk=entries["bea"].pk).status == "open"


def test_worklist_mark_contacted_is_idempotent(client_for, nurse, entries):
    client = client_for(nurse)
    entry = entries["bea"]
    for _ in range(2):  # a double-click
        response = client.post(close_url(entry), {"status": "done"}, follow=True)
        assert response.redirect_chain[-1][0] == LIST
        assert "Marked as contacted: Bea Example" in response.content.decode()
    entry.refresh_from_db()
    assert (entry.status, entry.closed_by, entry.note) == ("done", nurse, "")
    closed_at = entry.closed_at
    body = client.post(close_url(entry), {"status": "dismissed", "note": "Moved"}, follow=True)
    assert "already marked as contacted by" in body.content.decode()
    entry.refresh_from_db()
    assert (entry.status, entry.closed_at) == ("done", closed_at)
    assert "Bea Example" not in client.get(LIST).content.decode()  # off the open list


def test_worklist_neighbourhood_entry_recorded_by_someone_with_a_relationship(
    client_for, nurse, entries
):
    response = client_for(nurse).post(
        close_url(entries["cal"]), {"status": "dismissed", "note": "Already has a coordinator"}
    )
    assert response.status_code == 302
    entry = WorklistEntry.objects.get(pk=entries["cal"].pk)
    assert (entry.status, entry.note) == ("dismissed", "Already has a coordinator")


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({}, "status", "Select whether you contacted them or contact is not needed"),
        (
            {"status": "maybe"},
            "status",
            "Select whether you contacted them or contact is not needed",
        ),
        ({"status": "dismissed"}, "note", "Enter why contact is not needed"),
        ({"status": "done", "note": "x" * 501}, "note", "Note must be 500 characters or fewer"),
    ],
)
def test_worklist_outcome_errors_are_shown_by_the_field(
    client_for, nurse, entries, data, field, message
):
    response = client_for(nurse).post(close_url(entries["ann"]), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert f'href="#id_{field}"' in body  # the error summary links to the field
    assert body.count(message) == 2  # in the summary and by the field
    assert WorklistEntry.objects.get(pk=entries["ann"].pk).status == "open"


def test_worklist_outcome_needs_the_csrf_token(nurse, entries):
    client = Client(enforce_csrf_checks=True)
    assert client.login(username=nurse.user.username, password=PASSWORD)
    assert client.post(close_url(entries["ann"]), {"status": "done"}).status_code == 403
    assert WorklistEntry.objects.get(pk=entries["ann"].pk).status == "open"


def test_worklist_query_count_is_constant(client_for, nurse, run):
    def count_queries() -> int:
        client = client_for(nurse)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(LIST).status_code == 200
        return len(queries)

    def add(n: int) -> None:
        for i in range(n):
            person = PersonFactory()
            team_around(person, nurse)
            entry_for(person, run, coordinator=nurse, decile=i % 10 + 1, priority=i)

    add(2)
    few = count_queries()
    add(80)  # more than a page
    assert count_queries() == few
