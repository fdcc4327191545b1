"""Telling residents about their appointments, by email when we have their address.

Called through transaction.on_commit, so nobody is told about a booking that was rolled back.
Messages say when and with whom, never why: email is not a place for clinical detail.
"""

from django.core.mail import send_mail

from .models import Appointment, WaitingListEntry
from .presenters import when


def _when(slot) -> str:
    return when(slot.start)


def _send(person, subject: str, body: str) -> None:
    if person.email:
        send_mail(subject, body, None, [person.email], fail_silently=True)


def appointment_booked(appointment_id: int) -> None:
    appointment = Appointment.objects.with_slot().select_related("person").get(pk=appointment_id)
    slot = appointment.slot
    _send(
        appointment.person,
        "Your appointment is booked",
        f"Your appointment with {slot.professional.name} is on {_when(slot)} "
        f"({slot.get_mode_display().lower()}).",
    )


def appointment_cancelled(appointment_id: int) -> None:
    appointment = Appointment.objects.with_slot().select_related("person").get(pk=appointment_id)
    _send(
        appointment.person,
        "Your appointment is cancelled",
        f"Your appointment on {_when(appointment.slot)} has been cancelled.",
    )


def slot_offered(entry_id: int) -> None:
    entry = WaitingListEntry.objects.select_related("person", "offered_slot__professional").get(
        pk=entry_id
    )
    if entry.offered_slot is None:
        return
    _send(
        entry.person,
        "An earlier appointment is free",
        f"An appointment with {entry.offered_slot.professional.name} on "
        f"{_when(entry.offered_slot)} is free. Sign in to book it, or call the surgery.",
    )
