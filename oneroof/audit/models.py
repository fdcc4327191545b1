"""Who opened which record, when and why (FHIR AuditEvent), and break-glass access."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from .reasons import BreakGlassReason


class Purpose(models.TextChoices):
    SELF = "self", "The person themselves"
    PROXY = "proxy", "Carer acting with consent"
    CARE_TEAM = "care_team", "Member of the care team"
    OPEN_TASK = "open_task", "Holds an open task"
    OPEN_REFERRAL = "open_referral", "Triaging an open referral"
    OPEN_APPOINTMENT = "open_appointment", "Has an appointment with the person"
    REGISTERED_PRACTICE = "registered_practice", "Booking for a patient of their practice"
    REFERRER = "referrer", "Sent the referral"
    COMMUNITY_PHARMACY = "community_pharmacy", "Community pharmacist recording care given"
    SYSTEM = "system", "A connected NHS system"
    BREAK_GLASS = "break_glass", "Emergency access (break-glass)"
    SELF_CLAIMED = "self_claimed", "Self-claimed relationship (reviewed like break-glass)"


class ReviewedAccessQuerySet(models.QuerySet):
    def live(self, *, at=None):
        return self.filter(expires_at__gt=at or timezone.now())

    def for_review(self):
        """Every grant of this kind, for the privacy officer's review."""
        return self.select_related("user", "person", "reviewed_by")


class ReviewedAccess(models.Model):
    """Access to a record that nobody else's care gave: for a stated reason, time limited, and
    reviewed by the privacy officer (break-glass, self-claimed relationships)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    reason = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)

    objects = ReviewedAccessQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-created_at"]


class BreakGlass(ReviewedAccess):
    """Access to a record without a relationship, for a stated reason, flagged for review."""

    reason_kind = models.CharField(
        max_length=20, choices=BreakGlassReason.choices, default=BreakGlassReason.OTHER
    )
    # Read-only unless the reason is clinical care now (reasons.CAN_CHANGE).
    read_only = models.BooleanField(default=True)

    class Meta(ReviewedAccess.Meta):
        indexes = [models.Index(fields=["user", "person", "expires_at"])]


class SelfClaimSource(models.TextChoices):
    """The actions by which a professional makes a relationship for themselves."""

    OWN_SLOT_BOOKING = "own_slot_booking", "Booked the person into their own appointment"
    SELF_REFERRAL_ACCEPTED = (
        "self_referral_accepted",
        "Accepted a self-referral whose identity they confirmed themselves",
    )


class SelfClaimedRelationship(ReviewedAccess):
    """A relationship a professional made by their own action (booking a person they had no
    relationship with into their own appointment; accepting a self-referral whose identity they
    confirmed themselves). Allowed with a stated reason, time limited, and reviewed by the
    privacy officer like break-glass: nobody else's care made it."""

    source = models.CharField(max_length=30, choices=SelfClaimSource.choices)
    reason_kind = models.CharField(max_length=20, choices=BreakGlassReason.choices)

    class Meta(ReviewedAccess.Meta):
        indexes = [models.Index(fields=["user", "expires_at"])]


class RecordAccessQuerySet(models.QuerySet):
    def for_person(self, person):
        return self.filter(person=person).order_by("-at")


class RecordAccess(models.Model):
    """One opening of, or change to, a person's record. Written for every view; never edited."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Who they were at the time, so the trail reads true even after a role changes.
    actor_name = models.CharField(max_length=200)
    actor_role = models.CharField(max_length=100)
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    action = models.CharField(max_length=40)  # "viewed record", "changed care plan"
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    break_glass = models.ForeignKey(
        BreakGlass, on_delete=models.PROTECT, null=True, blank=True, related_name="accesses"
    )

    objects = RecordAccessQuerySet.as_manager()

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["person", "at"])]


class SignInThrottle(models.Model):
    """Wrong attempts at one sign-in name (a user's username, or an API client's id), so that
    repeated failures lock it for a while, each lockout twice as long as the last."""

    key = models.CharField(max_length=160, unique=True)
    failures = models.PositiveIntegerField(default=0)
    lockouts = models.PositiveIntegerField(default=0)
    last_failure_at = models.DateTimeField()
    locked_until = models.DateTimeField(null=True, blank=True)


class SignInLockoutQuerySet(models.QuerySet):
    def for_review(self):
        """Every lockout, newest first, for the privacy officer."""
        return self.order_by("-at")


class SignInLockout(models.Model):
    """One lockout, kept for the privacy officer: which sign-in name, through which door, and
    until when. Never the password or the address it came from."""

    class Door(models.TextChoices):
        STAFF = "staff", "Staff sign-in"
        RESIDENT = "resident", "Resident sign-in"
        API = "api", "API token endpoint"

    key = models.CharField(max_length=160)
    door = models.CharField(max_length=10, choices=Door.choices)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    until = models.DateTimeField()
    failures = models.PositiveIntegerField()

    objects = SignInLockoutQuerySet.as_manager()

    class Meta:
        ordering = ["-at"]


class PersonSearchQuerySet(models.QuerySet):
    def by(self, user, *, since):
        return self.filter(user=user, at__gte=since)


class PersonSearch(models.Model):
    """One staff find-a-person search: who, when and how many people it found. Never what was
    searched for: the terms are a name, a birth date or an NHS number."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    results = models.PositiveIntegerField()

    objects = PersonSearchQuerySet.as_manager()

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["user", "at"])]
