"""Opening a person's record: the relationship check, break-glass and the audit row, in one
place so that no view can show a record without all three."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied

from oneroof.audit.models import BreakGlass, Purpose
from oneroof.audit.services import active_break_glass, record_access
from oneroof.people.access import relationship_with


class NoLegitimateRelationship(PermissionDenied):
    """The user has no relationship with this person and has not broken the glass."""

    def __init__(self, person):
        super().__init__("You do not have a care relationship with this person.")
        self.person = person


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
    """Raise NoLegitimateRelationship unless there is a relationship or a live break-glass."""
    purpose = relationship_with(user, person)
    if purpose is not None:
        return RecordAccessGrant(user, person, purpose)
    grant = active_break_glass(user=user, person=person)
    if grant is None:
        raise NoLegitimateRelationship(person)
    return RecordAccessGrant(user, person, Purpose.BREAK_GLASS, grant)


def open_record(*, user, person, action: str = "viewed record") -> RecordAccessGrant:
    """Authorise and audit one view of a person's record."""
    access = authorise_record_access(user=user, person=person)
    access.audit(action)
    return access
