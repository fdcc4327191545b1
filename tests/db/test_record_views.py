"""The whole-person record page and the pages around it, over HTTP."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from oneroof.audit.models import BreakGlass, RecordAccess
from oneroof.care.models import CarePlanAction, Condition, Goal, MdtReview, Task
from tests.factories import (
    AddressFactory,
    CarePlanFactory,
    ContactFactory,
    PersonFactory,
    ProfessionalFactory,
    TaskFactory,
    team_around,
)

pytestmark = pytest.mark.django_db


def record_url(person):
    return reverse("care:record_view", kwargs={"public_id": person.public_id})


def test_record_view_shows_whole_person_to_team_member(client_for, person, nurse, social_worker):
    team_around(person, nurse, social_worker, coordinator=nurse)
    AddressFactory(person=person)
    CarePlanFactory(person=person, what_matters="Seeing my grandchildren")
    Condition.objects.create(
        person=person, code="84114007", display="Heart failure", category="physical"
    )
    Condition.objects.create(
        person=person, code="35489007", display="Depressive disorder", category="mental"
    )
    Condition.objects.create(
        person=person, code="1144779008", display="Lives alone", category="social"
    )

    response = client_for(nurse).get(record_url(person))

    assert response.status_code == 200
    body = response.content.decode()
    for text in (
        "Seeing my grandchildren",
        "Heart failure",
        "Depressive disorder",
        "Lives alone",
        "Sam Reid",
        "Aisha Khan (District nurse)",
    ):
        assert text in body


def test_record_view_without_relationship_is_403_with_break_glass_offer(
    client_for, person, stranger
):
    CarePlanFactory(person=person, what_matters="A private wish")

    response = client_for(stranger).get(record_url(person))

    assert response.status_code == 403
    body = response.content.decode()
    assert "A private wish" not in body
    assert person.nhs_number not in body
    assert reverse("care:break_glass_create", kwargs={"public_id": person.public_id}) in body
    assert not RecordAccess.objects.filter(person=person).exists()


def test_break_glass_with_reason_opens_record_and_is_flagged(client_for, person, stranger):
    client = client_for(stranger)
    url = reverse("care:break_glass_create", kwargs={"public_id": person.public_id})

    too_short = client.post(url, {"reason_kind": "care_now", "reason": "need"})
    assert too_short.status_code == 200
    assert "Reason must be 10 characters or more" in too_short.content.decode()
    assert not BreakGlass.objects.exists()

    response = client.post(
        url, {"reason_kind": "care_now", "reason": "Called to the house, team not reachable"}
    )
    assert response.status_code == 302
    assert client.get(record_url(person)).status_code == 200

    grant = BreakGlass.objects.get()
    assert grant.reviewed_at is None
    purposes = list(RecordAccess.objects.filter(person=person).values_list("purpose", flat=True))
    assert purposes == ["break_glass", "break_glass"]


def test_every_record_view_is_audited(client_for, person, nurse):
    team_around(person, nurse)
    client = client_for(nurse)
    for _ in range(3):
        client.get(record_url(person))
    rows = RecordAccess.objects.filter(person=person, user=nurse.user, action="viewed record")
    assert rows.count() == 3
    assert set(rows.values_list("purpose", flat=True)) == {"care_team"}


def test_open_task_is_a_relationship(client_for, person, stranger):
    TaskFactory(person=person, owner=stranger)
    assert client_for(stranger).get(record_url(person)).status_code == 200


def test_completed_task_is_not_a_relationship(client_for, person, stranger):
    TaskFactory(person=person, owner=stranger, status="completed")
    assert client_for(stranger).get(record_url(person)).status_code == 403


def test_record_page_query_count_is_constant_for_500_timeline_entries(
    client_for, person, nurse, django_assert_max_num_queries
):
    team_around(person, nurse)
    CarePlanFactory(person=person)
    client = client_for(nurse)
    ContactFactory(person=person, professional=nurse)
    with CaptureQueriesContext(connection) as small:
        assert client.get(record_url(person)).status_code == 200

    others = ProfessionalFactory.create_batch(5)
    for i in range(499):
        ContactFactory(person=person, professional=others[i % 5], summary=f"Contact {i}")
    with CaptureQueriesContext(connection) as large:
        response = client.get(record_url(person))
    assert response.status_code == 200
    assert response.content.decode().count('class="nhsuk-heading-xs') == 500
    assert len(large) == len(small)


def test_nurse_adds_action_for_social_worker_who_completes_it(
    client_for, person, nurse, social_worker
):
    team_around(person, nurse, social_worker, coordinator=nurse)
    plan_url = reverse("care:plan_edit", kwargs={"public_id": person.public_id})
    submission = str(uuid.uuid4())
    form = {
        "form": "action",
        "submission_id": submission,
        "description": "Apply for attendance allowance",
        "owner": social_worker.pk,
        "due_date_0": "",
        "due_date_1": "",
        "due_date_2": "",
    }

    nurse_client = client_for(nurse)
    assert nurse_client.post(plan_url, form).status_code == 302
    assert nurse_client.post(plan_url, form).status_code == 302  # double click

    action = CarePlanAction.objects.get()
    task = Task.objects.get()
    assert action.owner == social_worker and task.action == action

    sw_client = client_for(social_worker)
    tasks_page = sw_client.get(reverse("care:task_list")).content.decode()
    assert "Apply for attendance allowance" in tasks_page
    done = sw_client.post(
        reverse("care:task_complete", kwargs={"task_id": task.public_id}), {"note": "Form sent"}
    )
    assert done.status_code == 302
    task.refresh_from_db()
    assert task.status == "completed"


def test_action_owner_must_be_in_the_care_team(client_for, person, nurse, stranger):
    team_around(person, nurse)
    response = client_for(nurse).post(
        reverse("care:plan_edit", kwargs={"public_id": person.public_id}),
        {
            "form": "action",
            "submission_id": str(uuid.uuid4()),
            "description": "Visit",
            "owner": stranger.pk,
        },
    )
    assert response.status_code == 400
    assert "Choose someone in the care team" in response.content.decode()
    assert not CarePlanAction.objects.exists()


def test_goal_form_errors_keep_what_was_typed(client_for, person, nurse):
    team_around(person, nurse)
    response = client_for(nurse).post(
        reverse("care:plan_edit", kwargs={"public_id": person.public_id}),
        {
            "form": "goal",
            "submission_id": str(uuid.uuid4()),
            "description": "Walk to the shop",
            "target_date_0": "31",
            "target_date_1": "2",
            "target_date_2": "2027",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Target date must be a real date" in body
    assert "Walk to the shop" in body
    assert not Goal.objects.exists()


def test_coordinator_caseload_shows_who_is_due_and_records_huddle(client_for, nurse, social_worker):
    due = PersonFactory(given_name="Due")
    later = PersonFactory(given_name="Later")
    for person, review in ((due, "2000-01-01"), (later, "2999-01-01")):
        team_around(person, nurse, social_worker, coordinator=nurse)
        CarePlanFactory(person=person, next_review_date=review)
    client = client_for(nurse)

    page = client.get(reverse("care:caseload")).content.decode()
    huddle = page.split("Everyone on my caseload")[0]
    assert due.name in huddle and later.name not in huddle

    url = reverse("care:mdt_review_add", kwargs={"public_id": due.public_id})
    form = {
        "submission_id": str(uuid.uuid4()),
        "decision": "Refer to falls service",
        "attendees": [nurse.pk, social_worker.pk],
        "next_review_date_0": "1",
        "next_review_date_1": "6",
        "next_review_date_2": "2999",
    }
    assert client.post(url, form).status_code == 302
    assert client.post(url, form).status_code == 302
    review = MdtReview.objects.get()
    assert set(review.attendees.all()) == {nurse, social_worker}
    assert "Refer to falls service" in client.get(record_url(due)).content.decode()


class _FakeAccess:
    at = None
    actor_name = "Somebody"
    actor_role = "Tester"
    action = "looked"
    break_glass = None

    def get_purpose_display(self):
        return "Testing"


def test_record_shows_sections_registered_by_other_apps(client_for, person, nurse):
    from oneroof.core import record_sections
    from oneroof.core.record_sections import RecordSection, register_record_section

    team_around(person, nurse)
    section = RecordSection(
        key="test-section",
        title="Test section",
        template="components/access_table.jinja",
        load=lambda person, user: {"accesses": [_FakeAccess()]},
    )
    register_record_section(section)
    try:
        body = client_for(nurse).get(record_url(person)).content.decode()
    finally:
        del record_sections._sections["test-section"]
    assert 'href="#test-section"' in body
    assert '<h2 id="test-section-heading">Test section</h2>' in body
    assert "Somebody, Tester" in body


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_caseload_query_count_is_constant(client_for, nurse, social_worker):
    client = client_for(nurse)

    def add_people(count):
        for _ in range(count):
            person = PersonFactory()
            team_around(person, nurse, social_worker, coordinator=nurse)
            AddressFactory(person=person)
            CarePlanFactory(person=person, next_review_date="2000-01-01")
            TaskFactory(person=person, owner=social_worker)

    add_people(1)
    few = _queries(client, reverse("care:caseload"))
    add_people(30)
    assert _queries(client, reverse("care:caseload")) == few


def test_task_list_query_count_is_constant(client_for, nurse):
    client = client_for(nurse)
    TaskFactory(owner=nurse)
    few = _queries(client, reverse("care:task_list"))
    TaskFactory.create_batch(30, owner=nurse)
    TaskFactory.create_batch(5, owner=nurse, status="completed")
    assert _queries(client, reverse("care:task_list")) == few
