"""Changing a Task's status through the API: the care lifecycle's moves only, an
OperationOutcome naming the field for every refusal, and nothing written when refused."""

import pytest

from oneroof.audit.models import RecordAccess
from oneroof.care.models import Task
from tests.api.fhir_support import Api, issue, validate
from tests.factories import TaskFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker(db):
    """A system that reads everything and changes tasks."""
    return Api("system/*.read system/Task.write")


@pytest.fixture
def task(person, nurse):
    return TaskFactory(person=person, owner=nurse, requester=nurse, description="Check the stairs")


def url(task):
    return f"/fhir/R4/Task/{task.public_id}"


def as_read(worker, task) -> dict:
    return worker.get(url(task)).json()


def test_completing_a_task_uses_the_care_lifecycle_and_is_audited(worker, task):
    body = {**as_read(worker, task), "status": "completed", "note": [{"text": "Rail fitted"}]}

    response = worker.put(url(task), body)

    assert response.status_code == 200, response.content
    validate(response.json())
    assert response.json()["status"] == "completed"
    task.refresh_from_db()
    assert (task.status, task.completed_note) == ("completed", "Rail fitted")
    audit = RecordAccess.objects.get(person=task.person, action="completed a task")
    assert audit.actor_name == "Riverside Council Care System"


def test_the_same_change_twice_is_one_change(worker, task):
    body = {**as_read(worker, task), "status": "completed", "note": [{"text": "Done"}]}
    worker.put(url(task), body)
    again = worker.put(url(task), {**body, "note": [{"text": "Done again"}]})
    assert again.status_code == 200
    task.refresh_from_db()
    assert task.completed_note == "Done"
    assert RecordAccess.objects.filter(action="completed a task").count() == 1


def test_starting_then_cancelling(worker, task):
    body = as_read(worker, task)
    assert worker.put(url(task), {**body, "status": "in-progress"}).status_code == 200
    assert worker.put(url(task), {**body, "status": "cancelled"}).status_code == 200
    task.refresh_from_db()
    assert task.status == "cancelled"
    assert [
        a.action for a in RecordAccess.objects.filter(action__endswith="a task").order_by("pk")
    ] == [
        "started a task",
        "cancelled a task",
    ]


def test_a_move_the_lifecycle_forbids_is_422(worker, task):
    task.status = "completed"
    task.save()
    response = worker.put(url(task), {**as_read(worker, task), "status": "in-progress"})
    assert response.status_code == 422
    assert issue(response)["code"] == "business-rule"
    assert issue(response)["expression"] == ["Task.status"]
    task.refresh_from_db()
    assert task.status == "completed"


@pytest.mark.parametrize(
    ("change", "status", "expression"),
    [
        ({"status": "done"}, 422, "Task.status"),  # not a OneRoof task status
        ({"description": "Something else"}, 422, "Task.description"),
        ({"owner": {"reference": "Practitioner/999999"}}, 422, "Task.owner"),
        ({"id": "another-id"}, 400, "Task.id"),
        ({"resourceType": "Patient"}, 400, "resourceType"),
        ({"authoredOn": "yesterday"}, 400, "Task.authoredOn"),
        ({"intent": None}, 400, "Task.intent"),
    ],
)
def test_bad_update_is_refused_naming_the_field_and_changes_nothing(
    worker, task, change, status, expression
):
    body = {**as_read(worker, task), "status": "completed", **change}
    body = {k: v for k, v in body.items() if v is not None}
    before = RecordAccess.objects.count()

    response = worker.put(url(task), body)

    assert response.status_code == status, response.content
    assert expression in issue(response)["expression"]
    task.refresh_from_db()
    assert task.status == "requested"
    assert RecordAccess.objects.count() == before


@pytest.mark.parametrize(
    ("body", "content_type", "status", "expression"),
    [
        ('{"resourceType": "Task", "status": ', "application/fhir+json", 400, "Task"),
        ("[1, 2]", "application/fhir+json", 400, "Task"),
        ("status=completed", "application/x-www-form-urlencoded", 415, "Content-Type"),
    ],
)
def test_a_body_that_is_not_a_task_is_refused(worker, task, body, content_type, status, expression):
    response = worker.put(url(task), body, content_type=content_type)
    assert response.status_code == status
    assert issue(response)["expression"] == [expression]
    task.refresh_from_db()
    assert task.status == "requested"


def test_reading_scope_cannot_change_a_task(db, task):
    reader = Api("system/*.read")
    response = reader.put(url(task), {**as_read(reader, task), "status": "completed"})
    assert response.status_code == 403
    assert Task.objects.get(pk=task.pk).status == "requested"


def test_unknown_task_is_404(worker, task):
    other = TaskFactory()
    body = as_read(worker, other)
    other.delete()
    assert worker.put(f"/fhir/R4/Task/{body['id']}", body).status_code == 404
