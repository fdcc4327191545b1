"""A write answers with nothing the client could not read: a write-only system learns no more
from a PUT (even one that changes nothing) than that it was done, every PUT is in the person's
trail, and `Prefer: return=` is honoured."""

import pytest

from oneroof.audit.models import RecordAccess
from oneroof.care.models import Task
from tests.api.fhir_support import Api, issue, validate
from tests.factories import TaskFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def task(person, nurse):
    return TaskFactory(person=person, owner=nurse, requester=nurse, description="Check the stairs")


@pytest.fixture
def writer(db):
    """A system that may change tasks and read nothing."""
    return Api("system/Task.write", name="Riverside Council Care System")


def url(task):
    return f"/fhir/R4/Task/{task.public_id}"


def blind(task, status: str) -> dict:
    """What a system that cannot read the task can send: its id, the move and FHIR's
    required elements."""
    return {"resourceType": "Task", "id": str(task.public_id), "status": status, "intent": "order"}


def test_a_write_only_system_cannot_read_a_task_through_a_put_that_changes_nothing(writer, task):
    response = writer.put(url(task), blind(task, "requested"))

    assert response.status_code == 200
    body = issue(response)
    assert body["severity"] == "information"
    content = response.content.decode()
    assert "Check the stairs" not in content and str(task.person.public_id) not in content
    audit = RecordAccess.objects.get(person=task.person)
    assert (audit.action, audit.actor_name) == (
        "sent Task unchanged via API",
        "Riverside Council Care System",
    )


def test_a_write_only_system_that_changes_a_task_is_told_only_that_it_was_done(writer, task):
    response = writer.put(url(task), {**blind(task, "completed"), "note": [{"text": "Done"}]})

    assert response.status_code == 200
    assert "Check the stairs" not in response.content.decode()
    assert issue(response)["code"] == "informational"
    task.refresh_from_db()
    assert (task.status, task.completed_note) == ("completed", "Done")
    assert RecordAccess.objects.get(person=task.person).action == "completed a task"


def test_a_write_only_system_cannot_test_a_guess_against_the_task(writer, task):
    right_guess = {**blind(task, "completed"), "description": "Check the stairs"}

    response = writer.put(url(task), right_guess)

    assert response.status_code == 422  # as for a wrong guess: nothing is compared
    assert issue(response)["expression"] == ["Task.description"]
    assert Task.objects.get(pk=task.pk).status == "requested"


def test_a_refused_move_does_not_tell_a_write_only_system_the_tasks_status(writer, task):
    task.status = "completed"
    task.save()

    response = writer.put(url(task), blind(task, "in-progress"))

    assert response.status_code == 422
    said = issue(response)["diagnostics"].lower()
    assert "completed" not in said and "done" not in said


def test_a_reader_gets_the_task_and_the_put_is_in_the_trail(task):
    worker = Api("system/*.read system/Task.write")
    body = worker.get(url(task)).json()
    RecordAccess.objects.all().delete()

    response = worker.put(url(task), body)

    assert response.status_code == 200
    validate(response.json())
    assert response.json()["description"] == "Check the stairs"
    assert RecordAccess.objects.get(person=task.person).action == "sent Task unchanged via API"


@pytest.mark.parametrize(
    ("prefer", "kind"),
    [
        ("return=minimal", None),
        ("return=OperationOutcome", "OperationOutcome"),
        ("return=representation", "Task"),
        ("", "Task"),
    ],
)
def test_prefer_return_is_honoured_for_a_reader(task, prefer, kind):
    worker = Api("system/*.read system/Task.write")
    body = {**worker.get(url(task)).json(), "status": "in-progress"}

    response = worker.put(url(task), body, HTTP_PREFER=prefer)

    assert response.status_code == 200
    if kind is None:
        assert response.content == b""
    else:
        assert response.json()["resourceType"] == kind
        validate(response.json())
    assert Task.objects.get(pk=task.pk).status == "in-progress"
