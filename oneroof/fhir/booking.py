"""Appointment create (POST): booking a free Slot for a Patient through the access app's own
`book_appointment`, so a slot is never double-booked (a taken slot is a 409), a retried POST
with the same `identifier` books once, and the person is told.

What the client sends: `status` booked, `slot` (the one Slot), and `participant`s: the Patient
(required) and, if given, the Practitioner and Location, which must be the slot's.
"""

from oneroof.access.models import Appointment, Channel
from oneroof.access.services import BookingError, SlotTaken, book_appointment

from .outcomes import business_rule, conflict, invalid
from .search import split_reference
from .trail import audit_people
from .writes import referenced, submission_key

WHERE = "Appointment"


def _patient(body: dict):
    found = [
        (index, participant)
        for index, participant in enumerate(body.get("participant") or [])
        if split_reference((participant.get("actor") or {}).get("reference") or "")[0] == "Patient"
    ]
    if len(found) != 1:
        raise invalid("Name the one Patient to book for as a participant", f"{WHERE}.participant")
    index, participant = found[0]
    return referenced(participant["actor"], "Patient", f"{WHERE}.participant[{index}].actor")


def _check_others(body: dict, slot) -> None:
    """A Practitioner or Location participant, when sent, must be the slot's."""
    theirs = {"Practitioner": str(slot.professional_id), "Location": str(slot.site.public_id)}
    for index, participant in enumerate(body.get("participant") or []):
        kind, resource_id = split_reference((participant.get("actor") or {}).get("reference") or "")
        if kind in theirs and resource_id != theirs[kind]:
            raise business_rule(
                f"Slot/{slot.pk} is with {kind}/{theirs[kind]}, not {kind}/{resource_id}",
                f"{WHERE}.participant[{index}].actor",
            )


def create_appointment(*, body: dict, client) -> tuple[Appointment, bool]:
    """The registry's `create` for Appointment: (the appointment, whether it is new)."""
    if body.get("status") != "booked":
        raise business_rule(
            f"Book an appointment with status 'booked', not {body.get('status')!r}",
            f"{WHERE}.status",
        )
    slots = body.get("slot") or []
    if len(slots) != 1:
        raise invalid("Name the one free Slot to book in slot", f"{WHERE}.slot")
    slot = referenced(slots[0], "Slot", f"{WHERE}.slot[0]")
    person = _patient(body)
    _check_others(body, slot)
    key = submission_key(client, body)
    existing = Appointment.objects.filter(submission_id=key).first()
    if existing is not None:
        if existing.person_id != person.pk:
            raise business_rule(
                "This identifier was already used to book for someone else",
                f"{WHERE}.identifier[0]",
            )
        return existing, False
    try:
        appointment = book_appointment(
            slot=slot, person=person, by=client.user, submission_id=key, channel=Channel.SYSTEM
        )
    except SlotTaken:
        raise conflict(
            f"Slot/{slot.pk} has been taken: search Slot?status=free for another",
            f"{WHERE}.slot[0]",
        ) from None
    except BookingError as error:
        raise business_rule(str(error), f"{WHERE}.slot[0]") from None
    audit_people(client, [person.pk], "booked an appointment via API")
    return appointment, True
