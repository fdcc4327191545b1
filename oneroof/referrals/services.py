"""Making and triaging referrals.

Every function that changes a referral takes the actor as `by` (a Professional; for a resident
referring themselves, their User or None), runs in one transaction, records the change in the
referral's history and the audit trail, and queues the notifications for after the commit. A
`submission_id` from the form makes a double submission create one referral.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from oneroof.audit.models import SelfClaimSource
from oneroof.audit.reasons import InvalidReason
from oneroof.audit.services import claim_relationship, record_access
from oneroof.people.models import NhsNumberVerification, Person

from .lifecycle import ReferralError, check_transition
from .models import IdentityConfirmation, IdentityMatch, Referral, ReferralEvent, ReferralStatus
from .notifications import notify_status_change
from .rules import (
    Problem,
    ServiceRules,
    acceptance_is_self_claimed,
    describe_ages,
    details_match,
    is_eligible_age,
    referral_problems,
)
from .rules import standard_due as standard_due_at

S = ReferralStatus
# Why a user could see or change the person's details, as the audit trail records it.
PURPOSE_TRIAGE = "open_referral"  # works the service's triage worklist (and a relationship)
PURPOSE_REFERRER = "referrer"  # sent the referral
PURPOSE_SELF = "self"
# How long the relationship a triager claims by accepting a self-referral lasts: long enough to
# book the first appointment; after it the record needs the care team or break-glass.
SELF_CLAIM_HOURS = 24


class ReferralRefused(ReferralError):
    """The rules do not allow this referral (see `problems`); nothing was written."""

    def __init__(self, problems: list[Problem]):
        super().__init__(problems[0].message)
        self.problems = problems


@dataclass(frozen=True)
class PersonDetails:
    """Who is being referred, as the referrer gave it."""

    nhs_number: str
    birth_date: date
    given_name: str
    family_name: str
    phone: str = ""
    email: str = ""


def match_person(details: PersonDetails, *, vouched: bool) -> tuple[Person | None, str]:
    """Compare the details with the record holding that NHS number: (the person the referral
    is for, or None while nobody knows; how the details matched).

    Only a referrer who vouches for the details (a professional) links the referral to the
    record, and only when the date of birth and last name match a traced record. Otherwise the
    referral holds the details as given and waits for a triager to confirm who it is: a
    referral never makes or changes a record, so a self-referral with someone else's NHS
    number blocks nothing of theirs. The referrer is never told whether the number is held
    (that would let anyone test NHS numbers against dates of birth).
    """
    person = Person.objects.filter(nhs_number=details.nhs_number).first()
    if person is None:
        return None, IdentityMatch.UNKNOWN
    matched = details_match(
        birth_date=details.birth_date,
        family_name=details.family_name,
        held_birth_date=person.birth_date,
        held_family_name=person.family_name,
    )
    if not matched:
        return None, IdentityMatch.MISMATCH
    verified = person.nhs_number_verification == NhsNumberVerification.VERIFIED
    return (person if vouched and verified else None), IdentityMatch.MATCHED


def submit_referral(
    *,
    service,
    details: PersonDetails,
    reason: str,
    kind: str,
    requester=None,
    by=None,
    resident=None,
    submission_id,
    now: datetime | None = None,
) -> Referral:
    """Send a referral to `service` through front door `kind` ("self", "gp", "optician"...).

    `requester` is the referring Professional (None for a self-referral); `by` is the User who
    pressed send (None for a resident who is not signed in); `resident` the Person a signed-in
    resident proved they are (their own referral is theirs without a check). Raises
    ReferralRefused when the service does not take this referral. Sending the same
    `submission_id` twice returns the referral the first one made.
    """
    try:
        return _submit(
            service=service,
            details=details,
            reason=reason,
            kind=kind,
            requester=requester,
            by=by,
            resident=resident,
            submission_id=submission_id,
            now=now or timezone.now(),
        )
    except IntegrityError:
        # Two copies of one submission raced past the check below: the other one won.
        existing = Referral.objects.filter(submission_id=submission_id).first()
        if existing is None:
            raise
        return existing


def _identify(details, *, requester, resident) -> tuple[Person | None, str, str]:
    """(person, identity_match, identity_confirmation) for a new referral."""
    if resident is not None:
        return resident, IdentityMatch.MATCHED, IdentityConfirmation.RESIDENT
    person, match = match_person(details, vouched=requester is not None)
    return person, match, (IdentityConfirmation.REFERRER if person is not None else "")


@transaction.atomic
def _submit(
    *, service, details, reason, kind, requester, by, resident, submission_id, now
) -> Referral:
    existing = Referral.objects.filter(submission_id=submission_id).first()
    if existing is not None:
        return existing
    problems = referral_problems(
        ServiceRules.of(service),
        kind=kind,
        birth_date=details.birth_date,
        day=timezone.localdate(now),
    )
    if problems:
        raise ReferralRefused(problems)
    person, match, confirmation = _identify(details, requester=requester, resident=resident)
    referral = Referral.objects.create(
        service=service,
        person=person,
        source=kind,
        requester=requester,
        nhs_number=details.nhs_number,
        birth_date=details.birth_date,
        given_name=details.given_name.strip(),
        family_name=details.family_name.strip(),
        phone=details.phone.strip(),
        email=details.email.strip(),
        identity_match=match,
        identity_confirmation=confirmation,
        identity_confirmed_at=now if confirmation else None,
        reason=reason.strip(),
        received_at=now,
        standard_due_at=standard_due_at(now, _standard_days(service)),
        submission_id=submission_id,
        updated_at=now,
    )
    user = by if by is not None and by.is_authenticated else None
    ReferralEvent.objects.create(referral=referral, status=S.RECEIVED, at=now, by=user)
    if person is not None and user is not None:
        purpose = PURPOSE_REFERRER if requester is not None else PURPOSE_SELF
        record_access(user=user, person=person, action="sent a referral", purpose=purpose)
    notify_status_change(referral)
    return referral


def _standard_days(service) -> list[int]:
    return list(service.standards.values_list("days", flat=True))


# Triage


def _locked(referral) -> Referral:
    return (
        Referral.objects.select_for_update(of=("self",))
        .select_related("service", "person", "requester__user")
        .get(pk=referral.pk)
    )


def _check_triager(referral, by) -> None:
    if not referral.service.triagers.filter(pk=by.pk).exists():
        raise ReferralError(f"You do not triage referrals for {referral.service.name}.")


def _move(referral: Referral, new: str, *, by, note: str = "", action: str) -> Referral:
    """Change the status, keep the history, audit it and tell the referrer and the person."""
    check_transition(referral.status, new)
    now = timezone.now()
    if referral.status == S.RECEIVED:
        referral.triaged_at, referral.triaged_by = now, by
    referral.status = new
    referral.status_reason = note.strip() if new in (S.DECLINED, S.REDIRECTED) else ""
    if new == S.COMPLETED and referral.first_seen_at is None:
        # Completed without a recorded first contact: counted as seen when it was completed.
        referral.first_seen_at = now
    if new in (S.DECLINED, S.REDIRECTED, S.COMPLETED):
        referral.closed_at = now
    referral.updated_at = now
    referral.save()
    ReferralEvent.objects.create(
        referral=referral, status=new, at=now, by=by.user if by else None, note=note.strip()
    )
    if referral.person is not None and by is not None:
        record_access(user=by.user, person=referral.person, action=action, purpose=PURPOSE_TRIAGE)
    notify_status_change(referral)
    return referral


def needs_claim_reason(referral, by) -> bool:
    """Accepting this referral is a self-claimed relationship for `by`: they must say why."""
    return acceptance_is_self_claimed(
        source=referral.source,
        identity_confirmation=referral.identity_confirmation,
        requester_id=referral.requester_id,
        triager_id=by.pk,
    )


@transaction.atomic
def accept_referral(
    *, referral, by, note: str = "", reason_kind: str = "", reason: str = ""
) -> Referral:
    """The service will see the person: the referral waits to be booked.

    Only once a triager knows who the person is (the referral is linked to their record).
    Accepting gives the service's triagers a relationship with the person, unless only the
    accepting triager vouches for the referral (`needs_claim_reason`): then it is a self-claimed
    relationship for them alone, for the reason given (`reason_kind` from the break-glass list
    and words), time limited and reviewed by the privacy officer.
    """
    referral = _locked(referral)
    _check_triager(referral, by)
    if referral.status == S.ACCEPTED:
        return referral  # a second click on "Accept" changes nothing
    if referral.identity_unconfirmed:
        raise ReferralError(
            "Confirm who this person is before accepting the referral: check their details "
            "with them or the referrer, then confirm their identity."
        )
    check_transition(referral.status, S.ACCEPTED)
    if needs_claim_reason(referral, by):
        try:
            claim_relationship(
                user=by.user,
                person=referral.person,
                source=SelfClaimSource.SELF_REFERRAL_ACCEPTED,
                reason_kind=reason_kind,
                reason=reason,
                expires_at=timezone.now() + timedelta(hours=SELF_CLAIM_HOURS),
            )
        except InvalidReason as error:
            raise ReferralError(str(error)) from None
        referral.relationship_granted = False
    else:
        referral.relationship_granted = True
    return _move(referral, S.ACCEPTED, by=by, note=note, action="accepted a referral")


@transaction.atomic
def decline_referral(*, referral, by, reason: str) -> Referral:
    """The service will not see the person; the reason is shown to the referrer and to them."""
    referral = _locked(referral)
    _check_triager(referral, by)
    if referral.status == S.DECLINED:
        return referral
    if not reason.strip():
        raise ReferralError("Enter why the referral is declined")
    return _move(referral, S.DECLINED, by=by, note=reason, action="declined a referral")


@transaction.atomic
def redirect_referral(*, referral, to_service, by, reason: str) -> Referral:
    """Send the referral on to a better-suited service; returns the new referral there.

    The person's wait does not start again: the new referral keeps the original time of
    receipt, and its clock runs to the new service's standard from then.
    """
    referral = _locked(referral)
    _check_triager(referral, by)
    if referral.status == S.REDIRECTED:
        return referral.replaced_by
    if to_service.pk == referral.service_id:
        raise ReferralError("Choose a different service to send the referral to")
    if not to_service.is_active:
        raise ReferralError(f"{to_service.name} is not taking referrals at the moment")
    if not is_eligible_age(
        to_service.minimum_age,
        to_service.maximum_age,
        referral.birth_date,
        timezone.localdate(),
    ):
        who = describe_ages(to_service.minimum_age, to_service.maximum_age)
        raise ReferralError(f"{to_service.name} is for {who}")
    if not reason.strip():
        raise ReferralError("Enter why the referral is being sent to another service")
    from_service = referral.service
    _move(referral, S.REDIRECTED, by=by, note=reason, action="redirected a referral")
    now = timezone.now()
    onward = Referral.objects.create(
        service=to_service,
        person=referral.person,
        source=referral.source,
        requester=referral.requester,
        nhs_number=referral.nhs_number,
        birth_date=referral.birth_date,
        given_name=referral.given_name,
        family_name=referral.family_name,
        phone=referral.phone,
        email=referral.email,
        identity_match=referral.identity_match,
        identity_confirmation=referral.identity_confirmation,
        identity_confirmed_at=referral.identity_confirmed_at,
        identity_confirmed_by=referral.identity_confirmed_by,
        reason=referral.reason,
        received_at=referral.received_at,
        standard_due_at=standard_due_at(referral.received_at, _standard_days(to_service)),
        replaces=referral,
        updated_at=now,
    )
    ReferralEvent.objects.create(
        referral=onward,
        status=S.RECEIVED,
        at=now,
        by=by.user,
        note=f"Sent on from {from_service.name}",
    )
    return onward


@transaction.atomic
def confirm_identity(*, referral, by) -> Referral:
    """A triager has checked with the person (or the referrer) that the referral is for whoever
    the traced record with its NHS number describes: link the referral to that record. Audited.
    The record itself is not changed, and nothing of it is shown by confirming."""
    referral = _locked(referral)
    _check_triager(referral, by)
    if not referral.identity_unconfirmed:
        return referral
    person = Person.objects.filter(
        nhs_number=referral.nhs_number,
        nhs_number_verification=NhsNumberVerification.VERIFIED,
    ).first()
    if person is None:
        raise ReferralError(
            "There is no record with this NHS number to link the referral to. Check the NHS "
            "number with the person; if they have no record here yet, they need to register "
            "with a GP practice first."
        )
    now = timezone.now()
    referral.person = person
    referral.identity_confirmation = IdentityConfirmation.TRIAGER
    referral.identity_confirmed_at, referral.identity_confirmed_by = now, by
    referral.updated_at = now
    referral.save(
        update_fields=[
            "person",
            "identity_confirmation",
            "identity_confirmed_at",
            "identity_confirmed_by",
            "updated_at",
        ]
    )
    ReferralEvent.objects.create(
        referral=referral, status=referral.status, at=now, by=by.user, note="Identity confirmed"
    )
    record_access(user=by.user, person=person, action="confirmed identity", purpose=PURPOSE_TRIAGE)
    return referral


# After acceptance: the hooks the access app's booking calls (see docs/adr/0004).


@transaction.atomic
def book_referral(*, referral, appointment_public_id, by) -> Referral:
    """An appointment was booked for an accepted referral: remember which one.

    `appointment_public_id` is the access app's Appointment.public_id; `by` the Professional
    who booked it. Booking the same appointment twice changes nothing.
    """
    referral = _locked(referral)
    if referral.status == S.BOOKED and referral.appointment_public_id == appointment_public_id:
        return referral
    referral.appointment_public_id = appointment_public_id
    return _move(referral, S.BOOKED, by=by, action="booked a referral")


@transaction.atomic
def cancel_booking(*, referral, by, note: str = "") -> Referral:
    """The appointment was cancelled: the referral waits to be booked again."""
    referral = _locked(referral)
    referral.appointment_public_id = None
    return _move(referral, S.ACCEPTED, by=by, note=note, action="cancelled a booking")


@transaction.atomic
def record_first_seen(*, referral, seen_at: datetime) -> Referral:
    """The person was first seen (their appointment was attended): the waiting clock stops.
    Only the first time counts."""
    referral = _locked(referral)
    if referral.first_seen_at is None:
        referral.first_seen_at = seen_at
        referral.save(update_fields=["first_seen_at"])
    return referral


# The states in which the service may have started treating the person.
TREATABLE = (S.ACCEPTED, S.BOOKED, S.COMPLETED)


@transaction.atomic
def record_first_treatment(*, referral, treated_on: date, by) -> Referral:
    """The service's clinician records the date of the person's first treatment session (an
    assessment is not one): a mental health service's waiting clock stops then. Only the first
    counts, so recording it again changes nothing. Raises ReferralError for a date in the future
    or before the referral, or a referral the service is not treating."""
    referral = _locked(referral)
    _check_triager(referral, by)
    if referral.first_treated_at is not None:
        return referral
    if referral.status not in TREATABLE:
        raise ReferralError("Treatment can be recorded only once the referral is accepted.")
    if treated_on > timezone.localdate():
        raise ReferralError("The date of the first treatment must be today or in the past.")
    if treated_on < timezone.localtime(referral.received_at).date():
        raise ReferralError("The date of the first treatment must be on or after the referral.")
    # The start of the local day: waits then count in whole days from the referral's date,
    # as the national waiting-time returns count them.
    referral.first_treated_at = timezone.make_aware(datetime.combine(treated_on, time()))
    referral.updated_at = timezone.now()
    referral.save(update_fields=["first_treated_at", "updated_at"])
    if referral.person is not None:
        record_access(
            user=by.user,
            person=referral.person,
            action="recorded a first treatment",
            purpose=PURPOSE_TRIAGE,
        )
    return referral


@transaction.atomic
def complete_referral(*, referral, by, note: str = "") -> Referral:
    referral = _locked(referral)
    if referral.status == S.COMPLETED:
        return referral
    return _move(referral, S.COMPLETED, by=by, note=note, action="completed a referral")
