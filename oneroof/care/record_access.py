"""Opening a person's record: the relationship check, break-glass and the audit row, in one
place so that no view can show a record without all three."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied

from oneroof.audit.models import BreakGlass, Purpose
from oneroof.audit.services import active_break_glass, record_access
from oneroof.people.access import relationship_with, withheld_among, withheld_relationship
from oneroof.people.consent import latest_sharing_decision
from oneroof.people.models import ConsentStatus, Person


class NoLegitimateRelationship(PermissionDenied):
    """The user has no relationship with this person and has not broken the glass."""

    def __init__(self, person):
        super().__init__("You do not have a care relationship with this person.")
        self.person = person


class ConsentWithdrawn(NoLegitimateRelationship):
    """The user has a relationship with this person, but the person has refused or withdrawn
    consent to share their record with the wider team, and that relationship is not one they
    chose (people.consent). Break-glass still opens the record in an emergency."""

    def __init__(self, person, purpose: str, decision: str | None):
        super().__init__(person)
        self.purpose = purpose  # the relationship the objection overrides
        self.relationship = dict(Purpose.choices).get(purpose, purpose)
        self.refused = decision == ConsentStatus.REJECTED  # else withdrawn
        said = "refused" if self.refused else "withdrawn"
        self.args = (
            f"This person has {said} consent to share their record with the team. Open it "
            "only in an emergency, by breaking the glass.",
        )


class ReadOnlyAccess(PermissionDenied):
    """Break-glass for a reason other than clinical care now reads the record, never changes
    it."""

    def __init__(self):
        super().__init__(
            "You broke the glass for a reason other than giving clinical care now, so you can "
            "read this record but not change it."
        )


@dataclass(frozen=True)
class RecordAccessGrant:
    """Why this user may see this person's record now."""

    user: object
    person: object
    purpose: str
    break_glass: BreakGlass | None = None

    @property
    def read_only(self) -> bool:
        return self.break_glass is not None and self.break_glass.read_only

    def check_can_change(self) -> None:
        """Raise ReadOnlyAccess before any change made under a read-only break-glass."""
        if self.read_only:
            raise ReadOnlyAccess()

    def audit(self, action: str) -> None:
        record_access(
            user=self.user,
            person=self.person,
            action=action,
            purpose=self.purpose,
            break_glass=self.break_glass,
        )


def authorise_record_access(*, user, person) -> RecordAccessGrant:
    """Raise NoLegitimateRelationship unless there is a relationship or a live break-glass;
    ConsentWithdrawn when the person's objection to sharing is what stands in the way."""
    purpose = relationship_with(user, person)
    if purpose is not None:
        return RecordAccessGrant(user, person, purpose)
    grant = active_break_glass(user=user, person=person)
    if grant is None:
        withheld = withheld_relationship(user, person)
        if withheld is not None:
            raise ConsentWithdrawn(person, withheld, latest_sharing_decision(person))
        raise NoLegitimateRelationship(person)
    return RecordAccessGrant(user, person, Purpose.BREAK_GLASS, grant)


def open_record(*, user, person, action: str = "viewed record") -> RecordAccessGrant:
    """Authorise and audit one view of a person's record."""
    access = authorise_record_access(user=user, person=person)
    access.audit(action)
    return access


IN_CARE, CONSENT_WITHDRAWN, NO_RELATIONSHIP = "in_care", "consent_withdrawn", "none"


def search_results(user, people: list) -> list[tuple]:
    """Each person found, with whether this user may open their record: in their care, consent
    withdrawn (break-glass to open: a relationship their objection to sharing overrides), or no
    relationship. Two queries, however many were found."""
    pks = [person.pk for person in people]
    visible = set(Person.objects.visible_to(user).filter(pk__in=pks).values_list("pk", flat=True))
    withheld = withheld_among(user, pks)
    return [
        (
            person,
            IN_CARE
            if person.pk in visible
            else CONSENT_WITHDRAWN
            if person.pk in withheld
            else NO_RELATIONSHIP,
        )
        for person in people
    ]
