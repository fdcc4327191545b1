"""Task update (PUT): its status along the care lifecycle, and a note; nothing else."""

from oneroof.care.lifecycles import IllegalTransition
from oneroof.care.models import TaskStatus

from .outcomes import business_rule
from .services import change_task_status

# Elements a client may change, or that the server sets; every other element must be sent as
# it was read (or left out).
CHANGEABLE = {"resourceType", "id", "meta", "text", "status", "note", "lastModified"}


def requested_change(body: dict, *, current: dict) -> tuple[str, str]:
    """The (status, note) the client asks for, or a 422 naming what it may not change."""
    for key, value in body.items():
        if key not in CHANGEABLE and value != current.get(key):
            raise business_rule(
                f"Only a Task's status and note can be changed through the API; {key} "
                "differs from the Task as it is",
                f"Task.{key}",
            )
    status = body["status"]
    if status not in TaskStatus.values:
        raise business_rule(
            f"A OneRoof task is requested, in-progress, completed or cancelled, not '{status}'",
            "Task.status",
        )
    notes = body.get("note") or []
    note = notes[-1].get("text", "") if notes else ""
    return status, note


def update_task(*, row, body: dict, current: dict, client):
    """The registry's `update` for Task."""
    status, note = requested_change(body, current=current)
    try:
        return change_task_status(task=row, status=status, note=note, client=client)
    except IllegalTransition as error:
        raise business_rule(str(error), "Task.status") from None
