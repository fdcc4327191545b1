"""The allowed moves of a Task, in one place."""

from .models import TaskStatus


class IllegalTransition(Exception):
    """A state change the lifecycle does not allow, such as reopening a completed task."""


TASK_TRANSITIONS: dict[str, set[str]] = {
    TaskStatus.REQUESTED: {TaskStatus.IN_PROGRESS, TaskStatus.COMPLETED, TaskStatus.CANCELLED},
    TaskStatus.IN_PROGRESS: {TaskStatus.COMPLETED, TaskStatus.CANCELLED},
    TaskStatus.COMPLETED: set(),
    TaskStatus.CANCELLED: set(),
}


def check_task_transition(current: str, new: str) -> None:
    if new not in TASK_TRANSITIONS[current]:
        raise IllegalTransition(
            f"A task that is {TaskStatus(current).label.lower()} cannot be moved to "
            f"{TaskStatus(new).label.lower()}."
        )
