"""When an appointment gives its professional a relationship with the person (ADR 0014).

A relationship is made by someone other than the professional who gains it. So booking into a
slot gives the slot's professional access to the record only when the booking was made by the
person (or their carer acting with consent), by someone who already had a relationship with the
person, or by a colleague of the professional's own organisation answering something on record
(a request under a right, a waiting-list offer, an accepted referral, the person's call to the
reception of their own practice, or a reason typed on the form). A professional booking into
their own slot someone they have no relationship with makes a self-claimed relationship
instead: only with a reason, until the end of the appointment's day, and reviewed by the
privacy officer like break-glass. Anything else books the appointment and gives no access.

`appointment_basis` is the rule, a plain function of facts; `booking_facts` gathers the facts
from the database. The basis is decided when booking and kept on the appointment, so that what
happens later (a role change, a new relationship) does not rewrite why it was allowed.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from functools import cached_property

from django.utils import timezone

from oneroof.audit.models import Purpose, SelfClaimSource
from oneroof.audit.reasons import InvalidReason, check_reason
from oneroof.audit.services import claim_relationship
from oneroof.people.access import relationship_with
from oneroof.people.models import Person
from oneroof.workforce.models import Profession

from .lifecycles import BookingError
from .models import Channel, RelationshipBasis

B = RelationshipBasis

# Relationships that do not count as "already had a relationship" when booking: one made by
# the booker's own action cannot launder itself into a lasting appointment relationship.
SELF_MADE = frozenset({Purpose.SELF_CLAIMED})


class ReasonNeeded(BookingError):
    """The booking gives the professional access to the record only for a reason the booker
    records, and none (or one that says nothing) was given. `field` is the form field at
    fault: "reason_kind" or "reason"."""

    def __init__(self, message: str, field: str = "reason"):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class BookingReason:
    """The reason a booker gives when the rule asks for one: a kind from the break-glass list
    (`audit.reasons.BreakGlassReason`) and words that say what happened."""

    kind: str
    text: str


@dataclass(frozen=True)
class BookingFacts:
    by_person: bool  # the person themselves, or a carer acting for them with consent
    had_relationship: bool  # the booker had a relationship (not self-claimed) when booking
    own_slot: bool  # the booker is the slot's professional
    same_organisation: (
        bool  # the slot is the booker's own organisation's (or offered for a request)
    )
    recorded_reason: bool  # a request, an offer, a referral, or a reason typed on the form
    reason_given: bool  # a reason typed on the form


def appointment_basis(facts: BookingFacts) -> RelationshipBasis | None:
    """The basis of a new appointment, or None when the booker must first give a reason.

    A colleague's booking for something on record is taken before asking whether the booker
    had a relationship: both give one, and the everyday booking at reception then needs no
    look-up of relationships inside the booking's transaction."""
    if facts.by_person:
        return B.PERSON
    if facts.same_organisation and facts.recorded_reason and not facts.own_slot:
        return B.OWN_TEAM
    if facts.had_relationship:
        return B.RELATIONSHIP
    if facts.own_slot:
        return B.SELF_CLAIMED if facts.reason_given else None
    if facts.same_organisation:
        return None
    return B.NONE


def grants_access(basis: str) -> bool:
    return basis in B.granting_values()


def professional_of(user):
    return getattr(user, "professional", None)


def booked_by_person(user, person) -> bool:
    """The person's own sign-in, or a carer's whom the person has consented to act for them."""
    if person.user_id is not None and person.user_id == user.pk:
        return True
    if professional_of(user) is not None:
        return False
    return Person.objects.proxied_by(user).filter(pk=person.pk).exists()


def has_standing_relationship(user, person) -> bool:
    """A relationship someone else's care made (not self-claimed, not break-glass)."""
    purpose = relationship_with(user, person)
    return purpose is not None and purpose not in SELF_MADE


def answers_a_recorded_ask(*, slot, person, channel: str, asked: bool) -> bool:
    """Whether the booking answers something already on record: a request under a right or a
    waiting-list offer (`asked`), an accepted referral, or the person's own call or visit to
    reception of the practice they are registered with (the appointment records the channel)."""
    if asked or channel == Channel.REFERRAL:
        return True
    registered_here = person.general_practice_id == slot.professional.organisation_id
    return channel == Channel.RECEPTION and registered_here


class _ReadFacts:
    """`BookingFacts` read from the database; whether the booker had a relationship (one query
    a relationship source) is looked up only if the rule asks."""

    def __init__(self, *, by, person, **facts):
        self._by, self._person = by, person
        self.__dict__.update(facts)

    @cached_property
    def had_relationship(self) -> bool:
        return has_standing_relationship(self._by, self._person)


def booking_facts(
    *,
    slot,
    person,
    by,
    channel: str,
    asked: bool,
    reason: BookingReason | None,
    under_request: bool = False,
):
    """The facts `appointment_basis` decides on, read from the database as they are now.

    Under a request, the slots the rights engine offered (the practice's team, and the
    neighbourhood centre's GP sessions that meet the right when the practice is closed) count
    as the booker's own team: the slot was checked to meet the person's right."""
    mine = professional_of(by)
    recorded = answers_a_recorded_ask(slot=slot, person=person, channel=channel, asked=asked)
    return _ReadFacts(
        by=by,
        person=person,
        by_person=booked_by_person(by, person),
        own_slot=mine is not None and mine.pk == slot.professional_id,
        same_organisation=mine is not None
        and (under_request or mine.organisation_id == slot.professional.organisation_id),
        recorded_reason=recorded or reason is not None,
        reason_given=reason is not None,
    )


def may_change_professional(*, by, person) -> bool:
    """Rebooking keeps the professional, unless the person (or their carer) or a clinician
    with a relationship with the person chooses another: reception never moves a person to
    someone else's diary, where the move would make a relationship nobody asked for."""
    if booked_by_person(by, person):
        return True
    mine = professional_of(by)
    return (
        mine is not None
        and mine.profession != Profession.RECEPTIONIST
        and has_standing_relationship(by, person)
    )


def self_claim_ends(slot) -> datetime:
    """A self-claimed relationship from an own-slot booking ends with the appointment's day."""
    day = timezone.localdate(slot.start) + timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, time.min))


NO_REASON = {
    RelationshipBasis.SELF_CLAIMED: (
        "You have no care relationship with this person. Give a reason for booking them into "
        "your own appointment, or ask a colleague to book it."
    ),
    None: (
        "Give a reason for booking this appointment: it lets your colleague open the "
        "person's record."
    ),
}


def _checked(reason: BookingReason) -> BookingReason:
    try:
        return BookingReason(reason.kind, check_reason(reason.kind, reason.text))
    except InvalidReason as problem:
        field = "reason_kind" if str(problem).startswith("Choose") else "reason"
        raise ReasonNeeded(str(problem), field) from None


def _carried(rebooked_from, slot):
    """A rebooking with the same professional keeps the basis (and reason) it was booked on."""
    if rebooked_from is None or rebooked_from.slot.professional_id != slot.professional_id:
        return None
    if rebooked_from.relationship_basis == RelationshipBasis.NONE:
        return None
    if not rebooked_from.relationship_reason_kind:
        if rebooked_from.relationship_basis == RelationshipBasis.SELF_CLAIMED:
            return None  # a self-claim needs its reason: decide afresh
        return rebooked_from.relationship_basis, None
    reason = BookingReason(
        rebooked_from.relationship_reason_kind, rebooked_from.relationship_reason
    )
    return rebooked_from.relationship_basis, reason


def decide_relationship(
    *,
    slot,
    person,
    by,
    channel: str,
    asked: bool,
    reason: BookingReason | None,
    rebooked_from=None,
    under_request: bool = False,
) -> tuple[str, BookingReason | None]:
    """The appointment's relationship basis and the reason kept with it; ReasonNeeded when the
    rule asks for a reason and none that says something was given."""
    carried = _carried(rebooked_from, slot)
    if carried is not None:
        return carried
    facts = booking_facts(
        slot=slot,
        person=person,
        by=by,
        channel=channel,
        asked=asked,
        reason=reason,
        under_request=under_request,
    )
    basis = appointment_basis(facts)
    if basis is None:  # only when no reason was given
        raise ReasonNeeded(NO_REASON[RelationshipBasis.SELF_CLAIMED if facts.own_slot else None])
    if reason is not None and basis in (RelationshipBasis.SELF_CLAIMED, RelationshipBasis.OWN_TEAM):
        return basis, _checked(reason)
    return basis, None


def record_self_claim(appointment, reason: BookingReason | None) -> None:
    """An own-slot booking's self-claimed relationship, linked to the appointment."""
    if appointment.relationship_basis != RelationshipBasis.SELF_CLAIMED:
        return
    assert reason is not None, "a self-claimed basis is decided only with a reason"
    appointment.self_claim = claim_relationship(
        user=appointment.booked_by,
        person=appointment.person,
        source=SelfClaimSource.OWN_SLOT_BOOKING,
        reason_kind=reason.kind,
        reason=reason.text,
        expires_at=self_claim_ends(appointment.slot),
    )
    appointment.save(update_fields=["self_claim"])
