"""Booking: asking for an appointment under a right, booking, cancelling and rebooking,
arrived / seen / did not attend, the waiting list, the usual GP, the hub's worklist and
feedback.

Every function is keyword-only and takes the acting user as `by` (a professional's sign-in, or
a resident's for their own appointments). Writes run in one transaction and messages to
residents go out after it commits. `at` is when the action happens: now, unless a caller (a
test with a fixed clock) says otherwise.

Whether an appointment gives its professional a relationship with the person is decided when
it is booked, by one rule (`relationships.appointment_basis`), and kept on the appointment.

No slot is ever double-booked: `book_appointment` inserts the appointment and lets the
database's partial unique index (one active appointment per slot) decide between two racing
requests. The loser's insert fails inside a savepoint and becomes `SlotTaken`.
"""

from dataclasses import dataclass
from datetime import datetime
from functools import partial

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from oneroof.audit.services import end_self_claim
from oneroof.people.models import Address
from oneroof.workforce.models import Profession, Professional

from . import notifications, relationships, rights
from .availability import Search, as_candidate, search
from .continuity import WINDOW, most_seen
from .lifecycles import AppointmentError, BookingError, check_appointment_transition
from .models import (
    AccessRequest,
    Appointment,
    AppointmentStatus,
    Channel,
    Feedback,
    Mode,
    Outcome,
    Slot,
    UsualGpChoice,
    WaitingListEntry,
    WaitingStatus,
)
from .opening import weeks_for
from .relationships import BookingReason, decide_relationship, record_self_claim
from .relationships import ReasonNeeded as ReasonNeeded  # views and the API catch it from here
from .rights import Right, UnmetReason
from .signals import appointment_changed

S = AppointmentStatus


class SlotTaken(BookingError):
    def __init__(self, message: str = "That appointment has just been taken. Choose another."):
        super().__init__(message)


class InvalidRequest(BookingError):
    """A request the rights engine cannot answer: the form should have caught it."""


class ProfessionalKept(BookingError):
    def __init__(self):
        super().__init__(
            "Rebooking keeps the same professional. To book with someone else, cancel this "
            "appointment and book a new one from the person's appointments page."
        )


@dataclass(frozen=True)
class RequestResult:
    access_request: AccessRequest
    offer: rights.Offer
    slots: list[Slot]  # the options a page shows, in order (availability.shown)


def _now(at: datetime | None) -> datetime:
    return at or timezone.now()


# --- the usual GP ---------------------------------------------------------------------------


def gp_visits(person, *, at: datetime) -> list[int]:
    """The GPs the person was seen by in the two years before `at`, oldest first."""
    return list(
        Appointment.objects.filter(
            person=person,
            status=S.FULFILLED,
            slot__professional__profession=Profession.GP,
            slot__start__gt=at - WINDOW,
            slot__start__lte=at,
        )
        .order_by("slot__start", "pk")
        .values_list("slot__professional_id", flat=True)
    )


def usual_gp_id(person, *, at: datetime) -> int | None:
    """The GP the person chose, or else the GP they saw most in the last two years."""
    chosen = (
        UsualGpChoice.objects.filter(person=person)
        .values_list("professional_id", flat=True)
        .first()
    )
    return chosen if chosen is not None else most_seen(gp_visits(person, at=at))


def practice_gps(practice_id: int | None):
    """The surgery's GPs, to choose from; none for someone not registered with a surgery."""
    if practice_id is None:
        return Professional.objects.none()
    return Professional.objects.filter(
        organisation_id=practice_id, profession=Profession.GP, active=True
    ).order_by("family_name", "given_name")


@transaction.atomic
def choose_usual_gp(*, person, professional, by) -> UsualGpChoice:
    """Record the GP the person has chosen as their usual GP."""
    if professional.profession != Profession.GP:
        raise InvalidRequest("Choose a GP")
    choice, _ = UsualGpChoice.objects.update_or_create(
        person=person,
        defaults={"professional": professional, "chosen_at": timezone.now(), "recorded_by": by},
    )
    return choice


# --- asking under a right -------------------------------------------------------------------


def _search(ask: rights.RightRequest, practice, *, not_before=None, modes=None) -> Search:
    if practice is None:
        return Search(rights.unmet(ask, UnmetReason.NOT_REGISTERED), [])
    week, terms = weeks_for(practice, around=timezone.localdate(ask.at))
    return search(
        ask, practice=practice, week=week, terms=terms, not_before=not_before, modes=modes
    )


def _check_chosen_gp(person, right: Right, chosen_gp) -> None:
    if chosen_gp is not None and (
        chosen_gp.profession != Profession.GP
        or chosen_gp.organisation_id != person.general_practice_id
    ):
        raise InvalidRequest("Choose a GP at the person's surgery")
    if right is Right.BOOK_AHEAD and chosen_gp is None:
        raise InvalidRequest("Choose the GP to see")


def find_options(*, person, right, at=None, chosen_gp=None, modes=None) -> Search:
    """The availability search: what meets the right for this person at `at`, the usual GP's
    first when the right allows; or why nothing does. Reads only."""
    at = _now(at)
    try:
        right = Right(right)
    except ValueError:
        raise InvalidRequest("Choose what kind of appointment is needed") from None
    _check_chosen_gp(person, right, chosen_gp)
    ask = rights.RightRequest(
        right, at, chosen_gp.pk if chosen_gp else None, usual_gp_id(person, at=at)
    )
    return _search(ask, person.general_practice, modes=modes)


def request_appointment(
    *, person, right, by, channel, at=None, chosen_gp=None, modes=None
) -> RequestResult:
    """Ask for an appointment under a right (`same_day`, `within_48h` or `book_ahead` with the
    chosen GP). Records the request with its outcome, whatever it is, and returns the options
    that meet the right, the usual GP's first when the right allows. An unmet right goes on the
    hub's worklist.

    The search only reads, so only the one insert at the end takes the database's write lock.
    """
    at = _now(at)
    found = find_options(person=person, right=right, at=at, chosen_gp=chosen_gp, modes=modes)
    ask = found.offer.request
    record = AccessRequest.objects.create(
        person=person,
        practice=person.general_practice,
        right=ask.right,
        requested_at=at,
        channel=channel,
        requested_by=by,
        chosen_gp=chosen_gp,
        usual_gp_id=ask.usual_gp_id,
        outcome=Outcome.OFFERED if found.offer.met else Outcome.UNMET,
        options_offered=len(found.offer.options),
        unmet_reason=found.offer.unmet_reason or "",
    )
    return RequestResult(record, found.offer, found.slots)


def _right_request(record: AccessRequest) -> rights.RightRequest:
    return rights.RightRequest(
        Right(record.right), record.requested_at, record.chosen_gp_id, record.usual_gp_id
    )


def options_for(record: AccessRequest, *, at=None, modes=None) -> RequestResult:
    """The options of an earlier request as they are now: its right, measured from when it was
    asked, less the slots taken or started since."""
    found = _search(_right_request(record), record.practice, not_before=_now(at), modes=modes)
    return RequestResult(record, found.offer, found.slots)


# --- booking --------------------------------------------------------------------------------


def _check_bookable(slot: Slot, person, access_request: AccessRequest | None, at) -> None:
    if slot.start <= at:
        raise BookingError("That appointment has already started. Choose another.")
    if access_request is None:
        return
    if access_request.person_id != person.pk:
        raise BookingError("That request is for someone else.")
    if access_request.outcome != Outcome.OFFERED:
        raise BookingError("That request has already been booked, or had nothing to offer.")
    practice = access_request.practice
    week, terms = weeks_for(practice, around=timezone.localdate(access_request.requested_at))
    if not rights.meets(_right_request(access_request), as_candidate(slot, practice), week, terms):
        raise BookingError("That appointment does not meet the request. Choose one of the options.")


def _same_submission(existing: Appointment, person) -> Appointment:
    """A form sent twice books once: the second sending gets the first's appointment."""
    if existing.person_id != person.pk:
        raise BookingError("That form was for someone else. Start again.")
    return existing


def _home_address(person) -> str:
    address = (
        Address.objects.filter(person=person, period_end__isnull=True)
        .order_by("-period_start")
        .first()
    )
    return str(address) if address else ""


def _after_booking(appointment: Appointment, access_request, by, at) -> None:
    slot, person = appointment.slot, appointment.person
    if access_request is not None:
        access_request.outcome = Outcome.MET
        access_request.appointment = appointment
        access_request.save(update_fields=["outcome", "appointment"])
    if slot.professional.organisation_id == person.general_practice_id:
        # The person now has an appointment with their surgery: their unmet requests leave the
        # hub's worklist (they stay counted as unmet).
        AccessRequest.objects.for_person(person).on_worklist().update(
            resolved_at=at, resolved_by=by, resolution="Appointment booked"
        )
        WaitingListEntry.objects.for_person(person).open().filter(
            practice_id=slot.professional.organisation_id
        ).filter(Q(professional__isnull=True) | Q(professional_id=slot.professional_id)).update(
            status=WaitingStatus.BOOKED, appointment=appointment
        )


def _locked_request(access_request: AccessRequest) -> AccessRequest:
    """The request as it is now, locked until the booking commits: one request, one booking.
    Two tabs posting two of its options at once queue here, and the second finds it met
    (PostgreSQL waits on the row lock; SQLite's IMMEDIATE transactions already queue writers,
    and the fresh read sees the first booking)."""
    return (
        AccessRequest.objects.select_for_update(of=("self",))
        .select_related("practice")
        .get(pk=access_request.pk)
    )


def book_appointment(
    *,
    slot: Slot,
    person,
    by,
    submission_id,
    access_request: AccessRequest | None = None,
    channel: str = Channel.RECEPTION,
    at=None,
    rebooked_from: Appointment | None = None,
    reason: BookingReason | None = None,
    asked: bool = False,
) -> Appointment:
    """Book `person` into `slot`, or raise SlotTaken if someone else has it.

    With an `access_request`, the slot must be one that meets its right. The same
    `submission_id` twice books once (a double click, a retried request). A home visit carries
    the person's current address. Stable: other apps (referrals) call this.

    Whether the appointment gives the slot's professional a relationship with the person is
    decided here for every route (`decide_relationship`): `reason` is what the booker typed
    when the rule asks for one (ReasonNeeded otherwise); `asked` says the booking answers an
    ask already on record (a waiting-list offer); a request or a referral counts as one.
    """
    at = _now(at)
    with transaction.atomic():
        existing = Appointment.objects.filter(submission_id=submission_id).first()
        if existing is not None:
            return _same_submission(existing, person)
        if access_request is not None:
            access_request = _locked_request(access_request)
        _check_bookable(slot, person, access_request, at)
        basis, kept = decide_relationship(
            slot=slot,
            person=person,
            by=by,
            channel=channel,
            asked=asked or access_request is not None,
            under_request=access_request is not None,
            reason=reason,
            rebooked_from=rebooked_from,
        )
        try:
            with transaction.atomic():  # a savepoint: a lost race must not spoil the transaction
                appointment = Appointment.objects.create(
                    slot=slot,
                    person=person,
                    channel=channel,
                    booked_by=by,
                    created_at=at,
                    address=_home_address(person) if slot.mode == Mode.HOME_VISIT else "",
                    rebooked_from=rebooked_from,
                    submission_id=submission_id,
                    relationship_basis=basis,
                    relationship_reason_kind=kept.kind if kept else "",
                    relationship_reason=kept.text if kept else "",
                )
        except IntegrityError:
            existing = Appointment.objects.filter(submission_id=submission_id).first()
            if existing is not None:
                return _same_submission(existing, person)
            raise SlotTaken() from None
        record_self_claim(appointment, kept)
        _after_booking(appointment, access_request, by, at)
        appointment_changed.send(sender=Appointment, appointment=appointment)
        transaction.on_commit(partial(notifications.appointment_booked, appointment.pk))
    return appointment


# --- changing an appointment ----------------------------------------------------------------


def _locked(appointment: Appointment) -> Appointment:
    return (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("slot__professional", "person")
        .get(pk=appointment.pk)
    )


def cancel_appointment(*, appointment: Appointment, by, reason: str = "", at=None) -> Appointment:
    """Cancel before it starts. The slot is free again and is offered to the waiting list."""
    at = _now(at)
    with transaction.atomic():
        appointment = _locked(appointment)
        if appointment.status == S.CANCELLED:
            return appointment  # a second click on "Cancel" changes nothing
        check_appointment_transition(appointment.status, S.CANCELLED)
        if appointment.slot.start <= at:
            raise AppointmentError(
                "This appointment has already started: mark it as seen or did not attend."
            )
        appointment.status = S.CANCELLED
        appointment.status_changed_at = at
        appointment.cancelled_by = by
        appointment.cancellation_reason = reason.strip()[:200]
        appointment.save(
            update_fields=["status", "status_changed_at", "cancelled_by", "cancellation_reason"]
        )
        if appointment.self_claim is not None:
            end_self_claim(claim=appointment.self_claim, at=at)
        offer_freed_slot(slot=appointment.slot, at=at, not_for=appointment.person)
        appointment_changed.send(sender=Appointment, appointment=appointment)
        transaction.on_commit(partial(notifications.appointment_cancelled, appointment.pk))
    return appointment


def rebook_appointment(
    *, appointment: Appointment, slot: Slot, by, submission_id, at=None
) -> Appointment:
    """Move an appointment to another slot: book the new one, then cancel the old, together.

    The professional stays the same (ProfessionalKept) unless the person, their carer, or a
    clinician with a relationship with the person is moving it; with the same professional the
    appointment keeps the relationship basis it was booked on."""
    at = _now(at)
    with transaction.atomic():
        done = Appointment.objects.filter(submission_id=submission_id).first()
        if done is not None:
            return _same_submission(done, appointment.person)
        current = _locked(appointment)
        check_appointment_transition(current.status, S.CANCELLED)
        if slot.professional_id != current.slot.professional_id and (
            not relationships.may_change_professional(by=by, person=current.person)
        ):
            raise ProfessionalKept()
        new = book_appointment(
            slot=slot,
            person=current.person,
            by=by,
            submission_id=submission_id,
            channel=current.channel,
            at=at,
            rebooked_from=current,
        )
        cancel_appointment(appointment=current, by=by, reason="Rebooked", at=at)
    return new


def mark_appointment(*, appointment: Appointment, status: str, by, at=None) -> Appointment:
    """Arrived, seen or did not attend: on the day, and did not attend only once it started."""
    at = _now(at)
    if status not in (S.ARRIVED, S.FULFILLED, S.NOSHOW):
        raise AppointmentError("Choose arrived, seen or did not attend.")
    with transaction.atomic():
        appointment = _locked(appointment)
        if appointment.status == status:
            return appointment  # a second click changes nothing
        check_appointment_transition(appointment.status, status)
        start = appointment.slot.start
        if timezone.localdate(start) > timezone.localdate(at):
            raise AppointmentError("This appointment is on a later day.")
        if status == S.NOSHOW and start > at:
            raise AppointmentError("This appointment has not started yet.")
        appointment.status = status
        appointment.status_changed_at = at
        appointment.save(update_fields=["status", "status_changed_at"])
        appointment_changed.send(sender=Appointment, appointment=appointment)
    return appointment


def mark_arrived(*, appointment, by, at=None) -> Appointment:
    return mark_appointment(appointment=appointment, status=S.ARRIVED, by=by, at=at)


def mark_seen(*, appointment, by, at=None) -> Appointment:
    return mark_appointment(appointment=appointment, status=S.FULFILLED, by=by, at=at)


def mark_did_not_attend(*, appointment, by, at=None) -> Appointment:
    return mark_appointment(appointment=appointment, status=S.NOSHOW, by=by, at=at)


# --- the waiting list -----------------------------------------------------------------------


def offer_freed_slot(*, slot: Slot, at, not_for=None) -> WaitingListEntry | None:
    """Offer a freed GP slot to whoever has waited longest for their practice (and for that GP,
    if they named one). An offer is not a hold: whoever books first has the slot."""
    if slot.start <= at or slot.professional.profession != Profession.GP:
        return None
    waiting = (
        WaitingListEntry.objects.filter(
            status=WaitingStatus.WAITING, practice_id=slot.professional.organisation_id
        )
        .filter(Q(professional__isnull=True) | Q(professional_id=slot.professional_id))
        .order_by("created_at", "pk")
    )
    if not_for is not None:
        waiting = waiting.exclude(person=not_for)
    entry = waiting.first()
    if entry is None:
        return None
    entry.status, entry.offered_slot, entry.offered_at = WaitingStatus.OFFERED, slot, at
    entry.save(update_fields=["status", "offered_slot", "offered_at"])
    transaction.on_commit(partial(notifications.slot_offered, entry.pk))
    return entry


@transaction.atomic
def add_to_waiting_list(
    *, person, by, professional=None, access_request=None, at=None
) -> WaitingListEntry:
    """Put the person on their surgery's waiting list for an earlier GP appointment (with a
    named GP, or any). Already waiting: the entry they have."""
    if person.general_practice_id is None:
        raise InvalidRequest("The person is not registered with a GP surgery.")
    existing = WaitingListEntry.objects.for_person(person).open().first()
    if existing is not None:
        return existing
    return WaitingListEntry.objects.create(
        person=person,
        practice_id=person.general_practice_id,
        professional=professional,
        access_request=access_request,
        created_at=_now(at),
        created_by=by,
    )


@transaction.atomic
def remove_from_waiting_list(*, entry: WaitingListEntry, by) -> WaitingListEntry:
    if entry.status in WaitingStatus.open_values():
        entry.status = WaitingStatus.REMOVED
        entry.save(update_fields=["status"])
    return entry


def book_offered_slot(
    *, entry: WaitingListEntry, by, submission_id, channel=Channel.RECEPTION, at=None
) -> Appointment:
    """Book the slot offered to a waiting person. If someone else booked it first, the person
    goes back to waiting (and SlotTaken is raised)."""
    if entry.status != WaitingStatus.OFFERED or entry.offered_slot_id is None:
        raise BookingError("There is no appointment on offer.")
    try:
        return book_appointment(
            slot=Slot.objects.select_related("professional").get(pk=entry.offered_slot_id),
            person=entry.person,
            by=by,
            submission_id=submission_id,
            channel=channel,
            at=at,
            asked=True,  # the person asked for an earlier appointment: the waiting list
        )
    except BookingError:
        WaitingListEntry.objects.filter(pk=entry.pk, status=WaitingStatus.OFFERED).update(
            status=WaitingStatus.WAITING, offered_slot=None, offered_at=None
        )
        raise


# --- the hub's worklist ---------------------------------------------------------------------


@transaction.atomic
def resolve_access_request(*, access_request: AccessRequest, by, resolution: str, at=None):
    """Take an unmet right off the hub's worklist, saying what was done. It stays unmet."""
    if access_request.outcome != Outcome.UNMET:
        raise AppointmentError("Only unmet requests are on the worklist.")
    if access_request.resolved_at is None:
        access_request.resolved_at = _now(at)
        access_request.resolved_by = by
        access_request.resolution = resolution.strip()[:500]
        access_request.save(update_fields=["resolved_at", "resolved_by", "resolution"])
    return access_request


# --- feedback -------------------------------------------------------------------------------


def give_feedback(*, appointment: Appointment, answer: str, text: str, by, at=None) -> Feedback:
    """The Friends and Family Test answer and the person's words, once per appointment."""
    if appointment.status != S.FULFILLED:
        raise AppointmentError("You can give feedback once you have been seen.")
    try:
        with transaction.atomic():
            return Feedback.objects.create(
                appointment=appointment, answer=answer, text=text.strip(), submitted_at=_now(at)
            )
    except IntegrityError:
        return Feedback.objects.get(appointment=appointment)  # sent twice: the first stands
