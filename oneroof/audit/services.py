"""Writing the audit trail, granting break-glass access and recording self-claimed
relationships."""

from datetime import timedelta
from typing import TypeVar

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import (
    BreakGlass,
    PersonSearch,
    Purpose,
    RecordAccess,
    ReviewedAccess,
    SelfClaimedRelationship,
    SelfClaimSource,
)
from .reasons import check_reason, is_read_only

R = TypeVar("R", bound=ReviewedAccess)


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
def break_glass(*, user, person, reason_kind: str, reason: str) -> BreakGlass:
    """Open a record without a relationship, for a stated reason: a kind from
    `BreakGlassReason` and words that say what happened (InvalidReason otherwise). Flagged for
    review. Read-only unless the kind is clinical care now.

    While a grant is live, breaking the glass again (a double click, a second tab) returns it
    rather than making another."""
    reason = check_reason(reason_kind, reason)
    existing = active_break_glass(user=user, person=person)
    if existing is not None:
        return existing
    grant = BreakGlass.objects.create(
        user=user,
        person=person,
        reason_kind=reason_kind,
        reason=reason,
        read_only=is_read_only(reason_kind),
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
def review_access(*, grant: R, by, note: str) -> R:
    """The privacy officer's review of a break-glass grant or a self-claimed relationship."""
    grant.reviewed_by = by
    grant.reviewed_at = timezone.now()
    grant.review_note = note.strip()
    grant.save(update_fields=["reviewed_by", "reviewed_at", "review_note"])
    return grant


# How long accepting a self-referral one confirmed oneself opens the record, at most. An
# own-slot booking's claim ends with the appointment's day instead.
SELF_REFERRAL_CLAIM = timedelta(hours=24)


@transaction.atomic
def claim_relationship(
    *, user, person, source: str, reason_kind: str, reason: str, expires_at
) -> SelfClaimedRelationship:
    """Record a relationship `user` made with `person` by their own action (`source`, one of
    `SelfClaimSource`): allowed only for a reason that passes the break-glass rules
    (InvalidReason otherwise), until `expires_at`, and shown to the privacy officer for review.
    The audit trail marks it with its own purpose, and the record is then opened under it.
    A claim from accepting a self-referral lasts at most `SELF_REFERRAL_CLAIM`."""
    reason = check_reason(reason_kind, reason)
    if source not in SelfClaimSource.values:
        raise ValueError(f"Unknown source of a self-claimed relationship: {source!r}")
    now = timezone.now()
    if expires_at <= now:
        raise ValueError("A self-claimed relationship must end in the future")
    if source == SelfClaimSource.SELF_REFERRAL_ACCEPTED:
        expires_at = min(expires_at, now + SELF_REFERRAL_CLAIM)  # at most a day
    claim = SelfClaimedRelationship.objects.create(
        user=user,
        person=person,
        source=source,
        reason_kind=reason_kind,
        reason=reason,
        expires_at=expires_at,
    )
    record_access(
        user=user, person=person, action="claimed a relationship", purpose=Purpose.SELF_CLAIMED
    )
    return claim


def end_self_claim(*, claim: SelfClaimedRelationship, at=None) -> None:
    """End a self-claimed relationship early (its appointment was cancelled or moved). It stays
    on the privacy officer's list."""
    at = at or timezone.now()
    SelfClaimedRelationship.objects.filter(pk=claim.pk, expires_at__gt=at).update(expires_at=at)


class TooManySearches(Exception):
    """A member of staff searched for people more often than the limit allows."""

    def __init__(self):
        minutes = settings.STAFF_SEARCH_WINDOW_MINUTES
        super().__init__(
            f"You have searched for people {settings.STAFF_SEARCH_LIMIT} times in the last "
            f"{minutes} minutes, which is the limit. Wait a few minutes, then try again."
        )


def check_search_allowed(*, user, at=None) -> None:
    """Raise TooManySearches when `user` has reached the limit of find-a-person searches in
    the window: finding people is how someone would trawl for names and birth dates."""
    at = at or timezone.now()
    since = at - timedelta(minutes=settings.STAFF_SEARCH_WINDOW_MINUTES)
    if PersonSearch.objects.by(user, since=since).count() >= settings.STAFF_SEARCH_LIMIT:
        raise TooManySearches()


def record_search(*, user, results: int, at=None) -> PersonSearch:
    """Audit one find-a-person search: who, when, how many found; never the terms."""
    return PersonSearch.objects.create(user=user, at=at or timezone.now(), results=results)
