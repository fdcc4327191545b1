"""Break-glass that means something and reads only, and staff searches that are audited and
limited."""

import logging
import uuid

import pytest
from django.urls import reverse

from oneroof.audit.models import BreakGlass, PersonSearch, RecordAccess
from oneroof.care.models import Goal, MdtReview
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

SENTENCE = "Called to the house at night and the team cannot be reached"


def url(name, person):
    return reverse(name, kwargs={"public_id": person.public_id})


@pytest.mark.parametrize("reason", ["aaaaaaaaaa", "x x x x x x x x", "help help help help"])
def test_break_glass_refuses_a_reason_that_says_nothing(client_for, stranger, person, reason):
    response = client_for(stranger).post(
        url("care:break_glass_create", person), {"reason_kind": "care_now", "reason": reason}
    )
    assert response.status_code == 200
    assert "Describe the reason in words" in response.content.decode()
    assert not BreakGlass.objects.exists()
    assert client_for(stranger).get(url("care:record_view", person)).status_code == 403


def test_break_glass_needs_a_kind_of_reason_from_the_list(client_for, stranger, person):
    client = client_for(stranger)
    for kind in ("", "because-i-can"):
        response = client.post(
            url("care:break_glass_create", person), {"reason_kind": kind, "reason": SENTENCE}
        )
        assert "Choose why you need to see this record" in response.content.decode()
    assert not BreakGlass.objects.exists()


def _goal(client, person):
    return client.post(
        url("care:plan_edit", person),
        {"form": "goal", "submission_id": str(uuid.uuid4()), "description": "Walk to the shop"},
    )


@pytest.mark.parametrize("kind", ["safeguarding", "arranging_care", "other"])
def test_break_glass_other_than_care_now_reads_but_never_changes(
    client_for, stranger, person, kind
):
    client = client_for(stranger)
    client.post(url("care:break_glass_create", person), {"reason_kind": kind, "reason": SENTENCE})
    grant = BreakGlass.objects.get()
    assert (grant.reason_kind, grant.read_only, grant.reason) == (kind, True, SENTENCE)

    record = client.get(url("care:record_view", person))
    assert record.status_code == 200
    assert "You can read the record but not change it" in record.content.decode()
    assert client.get(url("care:plan_edit", person)).status_code == 200

    refused = _goal(client, person)
    assert refused.status_code == 403
    assert "you can read this record but not change it" in refused.content.decode()
    mdt = client.post(
        url("care:mdt_review_add", person),
        {"submission_id": str(uuid.uuid4()), "decision": "Refer to falls clinic"},
    )
    assert mdt.status_code == 403
    assert not Goal.objects.exists() and not MdtReview.objects.exists()
    assert not RecordAccess.objects.filter(action="added a goal").exists()


def test_break_glass_for_care_now_may_add_to_the_record(client_for, stranger, person):
    client = client_for(stranger)
    client.post(
        url("care:break_glass_create", person), {"reason_kind": "care_now", "reason": SENTENCE}
    )
    assert BreakGlass.objects.get().read_only is False
    assert "not change it" not in client.get(url("care:record_view", person)).content.decode()
    assert _goal(client, person).status_code == 302
    assert Goal.objects.get().description == "Walk to the shop"


def test_privacy_officer_sees_the_kind_of_reason(client_for, privacy_officer, stranger, person):
    client_for(stranger).post(
        url("care:break_glass_create", person), {"reason_kind": "safeguarding", "reason": SENTENCE}
    )
    page = client_for(privacy_officer).get(reverse("audit:break_glass_list")).content.decode()
    assert "A safeguarding concern about this person" in page
    assert "read only" in page


# --- staff find-a-person -----------------------------------------------------------------------


def test_person_find_is_audited_without_the_search_terms(client_for, nurse, caplog):
    caplog.set_level(logging.DEBUG)
    PersonFactory(family_name="Oyelaran", birth_date="1944-03-12")
    PersonFactory(family_name="Oyelaran", birth_date="1944-03-12")
    client_for(nurse).get(
        reverse("care:person_find"),
        {
            "family_name": "Oyelaran",
            "birth_date_0": "12",
            "birth_date_1": "3",
            "birth_date_2": "1944",
        },
    )
    search = PersonSearch.objects.get()
    assert (search.user, search.results) == (nurse.user, 2)
    stored = " ".join(str(v) for v in PersonSearch.objects.values().get().values())
    assert "Oyelaran" not in stored and "1944" not in stored
    assert "Oyelaran" not in caplog.text


def test_person_find_is_limited_with_a_clear_message(client_for, nurse, settings):
    settings.STAFF_SEARCH_LIMIT = 3
    client = client_for(nurse)
    person = PersonFactory()
    query = {"nhs_number": person.nhs_number}
    statuses = [client.get(reverse("care:person_find"), query).status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    refused = client.get(reverse("care:person_find"), query)
    assert refused.status_code == 429
    body = refused.content.decode()
    assert "You have searched for people 3 times in the last 10 minutes" in body
    assert person.name not in body
    assert PersonSearch.objects.count() == 3
    assert client.get(reverse("care:person_find")).status_code == 200  # the empty page still


def test_booking_find_is_audited_and_shares_the_limit(client_for, nurse, settings):
    settings.STAFF_SEARCH_LIMIT = 2
    person = PersonFactory()
    client = client_for(nurse)
    query = {"nhs_number": person.nhs_number}
    assert client.get(reverse("care:person_find"), query).status_code == 200
    assert client.get(reverse("access:booking_find"), query).status_code == 200
    assert [s.results for s in PersonSearch.objects.order_by("at")] == [1, 1]
    refused = client.get(reverse("access:booking_find"), query)
    assert refused.status_code == 429
    assert "Wait a few minutes" in refused.content.decode()
