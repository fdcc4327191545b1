"""Writing the audit trail and granting break-glass access."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import BreakGlass, Purpose, RecordAccess


def describe_actor(user) -> tuple[str, str]:
    """The name and role to keep in the trail, as they are today."""
    professional = getattr(user, "professional", None)
    if professional is not None:
        return professional.name, professional.get_profession_display()
    person = getattr(user, "person", None)
    if person is not None:
        return person.name, "Resident"
    return user.get_full_name() or user.get_username(), "Staff"


def record_access(*, user, person, action: str, purpose: str, break_glass=None) -> RecordAccess:
    """Write one row of the trail. Called for every view of, and change to, a record."""
    name, role = describe_actor(user)
    return RecordAccess.objects.create(
        user=user,
        actor_name=name,
        actor_role=role,
        person=person,
        action=action,
        purpose=purpose,
        break_glass=break_glass,
    )


def active_break_glass(*, user, person) -> BreakGlass | None:
    return (
        BreakGlass.objects.filter(user=user, person=person, expires_at__gt=timezone.now())
        .order_by("-created_at")
        .first()
    )


@transaction.atomic
def break_glass(*, user, person, reason: str) -> BreakGlass:
    """Open a record without a relationship, for a stated reason. Flagged for review.

    While a grant is live, breaking the glass again (a double click, a second tab) returns it
    rather than making another."""
    existing = active_break_glass(user=user, person=person)
    if existing is not None:
        return existing
    grant = BreakGlass.objects.create(
        user=user,
        person=person,
        reason=reason.strip(),
        expires_at=timezone.now() + timedelta(hours=settings.BREAK_GLASS_HOURS),
    )
    record_access(
        user=user,
        person=person,
        action="broke the glass",
        purpose=Purpose.BREAK_GLASS,
        break_glass=grant,
    )
    return grant


@transaction.atomic
def review_break_glass(*, grant: BreakGlass, by, note: str) -> BreakGlass:
    grant.reviewed_by = by
    grant.reviewed_at = timezone.now()
    grant.review_note = note.strip()
    grant.save(update_fields=["reviewed_by", "reviewed_at", "review_note"])
    return grant
