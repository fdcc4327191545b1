import pytest

from oneroof.care.lifecycles import TASK_TRANSITIONS, IllegalTransition, check_task_transition
from oneroof.care.models import TaskStatus


def test_task_lifecycle_open_task_can_be_completed():
    check_task_transition(TaskStatus.REQUESTED, TaskStatus.COMPLETED)
    check_task_transition(TaskStatus.IN_PROGRESS, TaskStatus.COMPLETED)


@pytest.mark.parametrize("final", [TaskStatus.COMPLETED, TaskStatus.CANCELLED])
@pytest.mark.parametrize("new", list(TaskStatus))
def test_task_lifecycle_finished_task_cannot_move(final, new):
    with pytest.raises(IllegalTransition):
        check_task_transition(final, new)


def test_task_lifecycle_covers_every_status():
    assert set(TASK_TRANSITIONS) == set(TaskStatus.values)
