"""Task update (PUT): its status along the care lifecycle, and a note; nothing else. The moves
themselves are the care app's services: this only reads what the client asks for."""

from oneroof.care import services as care
from oneroof.care.lifecycles import IllegalTransition, check_task_transition
from oneroof.care.models import TaskStatus

from .outcomes import business_rule
from .trail import SystemAccess

# Elements a client may change, or that the server sets; every other element must be sent as
# it was read (or left out).
CHANGEABLE = {"resourceType", "id", "meta", "text", "status", "note", "lastModified"}
# A client that may not read the Task sends only these (intent because FHIR requires it):
# comparing anything else with the stored Task would tell it what the Task holds.
BLIND = CHANGEABLE | {"intent"}


def _check_unchanged(body: dict, current: dict | None) -> None:
    for key, value in body.items():
        if current is None and key not in BLIND:
            raise business_rule(
                f"Only a Task's status and note can be changed through the API: send {key} "
                "only if your system may read the Task",
                f"Task.{key}",
            )
        if current is not None and key not in CHANGEABLE and value != current.get(key):
            raise business_rule(
                f"Only a Task's status and note can be changed through the API; {key} "
                "differs from the Task as it is",
                f"Task.{key}",
            )


def requested_change(body: dict, *, current: dict | None) -> tuple[str, str]:
    """The (status, note) the client asks for, or a 422 naming what it may not change.
    `current` is the Task as the client may read it, None when it may not."""
    _check_unchanged(body, current)
    status = body["status"]
    if status not in TaskStatus.values:
        raise business_rule(
            f"A OneRoof task is requested, in-progress, completed or cancelled, not '{status}'",
            "Task.status",
        )
    notes = body.get("note") or []
    note = notes[-1].get("text", "") if notes else ""
    return status, note


def update_task(*, row, body: dict, current: dict | None, client):
    """The registry's `update` for Task: the care services, with the client system as the
    actor (no professional; the audit names the system). `current` is None for a client that
    may not read the Task: it is then told of a refused move without the Task's status."""
    status, note = requested_change(body, current=current)
    access = SystemAccess(client, row.person)
    try:
        if status == TaskStatus.COMPLETED:
            return care.complete_task(task=row, note=note, by=None, access=access)
        if status == TaskStatus.IN_PROGRESS:
            return care.start_task(task=row, by=None, access=access)
        if status == TaskStatus.CANCELLED:
            return care.cancel_task(task=row, by=None, access=access)
        if row.status != status:  # back to requested: no move of the lifecycle leads there
            check_task_transition(row.status, status)
        return row
    except IllegalTransition as error:
        message = str(error) if current is not None else f"The Task cannot be moved to {status}"
        raise business_rule(message, "Task.status") from None
