"""Accept and book: a triager books an accepted referral into their service's clinic, and the
referral keeps in step with what then becomes of the appointment (ADR 4).

Booking goes through `access.services.book_appointment`, so the database's one-appointment-a-
slot guarantee and the idempotent submission hold here too. The appointment and the referral's
move to "booked" are one transaction: a taken slot leaves the referral as it was.
"""

from datetime import datetime

from django.db import transaction

from oneroof.access import services as access
from oneroof.access.models import Appointment, AppointmentStatus, Channel, Slot
from oneroof.access.presenters import Option
from oneroof.workforce.models import Professional

from .lifecycle import ReferralError
from .models import Referral, ReferralStatus
from .services import book_referral, cancel_booking, record_first_seen

SLOTS_SHOWN = 12
SEEN = (AppointmentStatus.ARRIVED, AppointmentStatus.FULFILLED)


def clinic_slots(referral: Referral, *, now: datetime) -> list[Option]:
    """The next free slots in the service's clinic, soonest first."""
    slots = (
        Slot.objects.for_service(referral.service)
        .free()
        .filter(start__gt=now)
        .select_related("professional", "site")
        .order_by("start")[:SLOTS_SHOWN]
    )
    return [Option.of(slot) for slot in slots]


def check_bookable(referral: Referral) -> None:
    if referral.status != ReferralStatus.ACCEPTED:
        raise ReferralError("Only an accepted referral can be booked.")
    if referral.identity_unconfirmed:
        raise ReferralError("Confirm who this person is before booking.")


def book(*, referral: Referral, slot: Slot, by: Professional, submission_id) -> Appointment:
    """Book the referred person into a slot of the service's clinic. Raises SlotTaken (someone
    was quicker: nothing is written) or ReferralError. The same `submission_id` books once."""
    with transaction.atomic():
        done = Appointment.objects.filter(submission_id=submission_id).first()
        if done is not None and str(referral.appointment_public_id) == str(done.public_id):
            return done  # a double click on "Book"
        check_bookable(referral)
        if slot.session is None or slot.session.service_id != referral.service_id:
            raise ReferralError(f"That time is not in the {referral.service.name} clinic.")
        try:
            appointment = access.book_appointment(
                slot=slot,
                person=referral.person,
                by=by.user,
                submission_id=submission_id,
                channel=Channel.REFERRAL,
            )
        except access.ReasonNeeded as need:  # the relationship rule (ADR 0014)
            raise ReferralError(str(need)) from None
        book_referral(referral=referral, appointment_public_id=appointment.public_id, by=by)
    return appointment


def keep_in_step(sender, appointment: Appointment, **kwargs) -> None:
    """access.signals.appointment_changed: a rebooked appointment carries its referral along; a
    cancelled one sends the referral back to be booked; the first attendance stops the clock."""
    if appointment.rebooked_from_id is not None and appointment.status == AppointmentStatus.BOOKED:
        moved = Referral.objects.filter(
            appointment_public_id=appointment.rebooked_from.public_id
        ).update(appointment_public_id=appointment.public_id)
        if moved:
            return
    referral = Referral.objects.filter(appointment_public_id=appointment.public_id).first()
    if referral is None:
        return
    if appointment.status == AppointmentStatus.CANCELLED:
        by = Professional.objects.filter(user_id=appointment.cancelled_by_id).first()
        reason = appointment.cancellation_reason or "no reason given"
        cancel_booking(referral=referral, by=by, note=f"Appointment cancelled: {reason}")
    elif appointment.status in SEEN:
        record_first_seen(referral=referral, seen_at=appointment.slot.start)
