"""Changes other systems make through the API, through the care app's own lifecycle."""

from django.db import transaction
from django.utils import timezone

from oneroof.care.lifecycles import check_task_transition
from oneroof.care.models import Task, TaskStatus
from oneroof.care.services import complete_task

from .trail import SystemAccess


@transaction.atomic
def change_task_status(*, task: Task, status: str, note: str, client) -> Task:
    """Move a task along its lifecycle (care.lifecycles) for a connected system.

    Completing it is care.services.complete_task itself; starting or cancelling it follows the
    same rules: the allowed moves, a lock on the row, and asking twice changes nothing.
    Raises care.lifecycles.IllegalTransition for a move the lifecycle forbids."""
    access = SystemAccess(client, task.person)
    if status == TaskStatus.COMPLETED:
        return complete_task(task=task, note=note, by=None, access=access)
    task = Task.objects.select_for_update().get(pk=task.pk)
    if task.status == status:
        return task
    check_task_transition(task.status, status)
    task.status = status
    task.last_modified = timezone.now()
    task.save(update_fields=["status", "last_modified"])
    access.audit("changed task status via API")
    return task
