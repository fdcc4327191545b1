"""The appointment lifecycle: the allowed moves, in one place (no database needed)."""

import pytest

from oneroof.access.lifecycles import (
    APPOINTMENT_TRANSITIONS,
    IllegalTransition,
    check_appointment_transition,
)
from oneroof.access.models import AppointmentStatus as S


def test_appointment_lifecycle_covers_every_status():
    assert set(APPOINTMENT_TRANSITIONS) == set(S.values)


@pytest.mark.parametrize(
    ("current", "new"),
    [
        (S.BOOKED, S.ARRIVED),
        (S.BOOKED, S.FULFILLED),
        (S.BOOKED, S.NOSHOW),
        (S.BOOKED, S.CANCELLED),
        (S.ARRIVED, S.FULFILLED),
        (S.ARRIVED, S.CANCELLED),
    ],
)
def test_appointment_lifecycle_allows(current, new):
    check_appointment_transition(current, new)


@pytest.mark.parametrize("final", [S.FULFILLED, S.NOSHOW, S.CANCELLED])
@pytest.mark.parametrize("new", list(S))
def test_appointment_lifecycle_finished_appointment_cannot_move(final, new):
    with pytest.raises(IllegalTransition):
        check_appointment_transition(final, new)


def test_appointment_lifecycle_arrived_cannot_go_back_or_be_a_no_show():
    for new in (S.BOOKED, S.NOSHOW):
        with pytest.raises(IllegalTransition):
            check_appointment_transition(S.ARRIVED, new)
