"""The allowed moves of an Appointment, in one place."""

from .models import AppointmentStatus

S = AppointmentStatus


class AppointmentError(Exception):
    """Something about an appointment the service cannot do; the message is shown as it is."""


class BookingError(AppointmentError):
    """A booking that cannot be made; the message says why, for the person at the desk."""


class IllegalTransition(AppointmentError):
    """A state change the lifecycle does not allow, such as cancelling a seen appointment."""


APPOINTMENT_TRANSITIONS: dict[str, set[str]] = {
    S.BOOKED: {S.ARRIVED, S.FULFILLED, S.NOSHOW, S.CANCELLED},
    S.ARRIVED: {S.FULFILLED, S.CANCELLED},
    S.FULFILLED: set(),
    S.NOSHOW: set(),
    S.CANCELLED: set(),
}


def check_appointment_transition(current: str, new: str) -> None:
    if new not in APPOINTMENT_TRANSITIONS[current]:
        raise IllegalTransition(
            f"An appointment that is {S(current).label.lower()} cannot be marked as "
            f"{S(new).label.lower()}."
        )
