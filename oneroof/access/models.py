"""Rotas and slots, appointments and the requests that asked for them (FHIR Schedule, Slot,
Appointment), each person's usual GP, the waiting list, and Friends and Family Test feedback.

One rule is kept by the database itself, not only by Python: a slot has at most one active
appointment (a partial unique index), so no slot is ever double-booked, whichever process or
thread gets there first. A cancelled appointment is not active, so its slot can be booked again.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from oneroof.audit.reasons import BreakGlassReason

from .rights import Right, UnmetReason


def bookable_q(professional, *, via: str = "person") -> Q:
    """Rows about people this professional may book for: registered with their practice, or
    with whom they have a legitimate relationship (people.access)."""
    from oneroof.people.models import Person

    return Q(**{f"{via}__general_practice_id": professional.organisation_id}) | Q(
        **{f"{via}__in": Person.objects.visible_to(professional.user)}
    )


RIGHT_CHOICES = [(right.value, right.label) for right in Right]
UNMET_REASON_CHOICES = [(reason.value, reason.label) for reason in UnmetReason]


class Mode(models.TextChoices):
    # The same values as care.ContactMode: an appointment that is seen becomes a contact.
    FACE_TO_FACE = "face_to_face", "Face to face"
    PHONE = "phone", "Phone"
    VIDEO = "video", "Video"
    HOME_VISIT = "home_visit", "Home visit"


class Channel(models.TextChoices):
    RECEPTION = "reception", "Reception or phone"
    ONLINE = "online", "Online"
    CLINICIAN = "clinician", "Booked by the team"
    REFERRAL = "referral", "From a referral"
    SYSTEM = "system", "By another system (FHIR API)"


class RotaSession(models.Model):
    """A block of one professional's time at one site on one day, in one mode, cut into slots of
    `slot_minutes` (FHIR Schedule, for one day)."""

    professional = models.ForeignKey(
        "workforce.Professional", on_delete=models.PROTECT, related_name="rota_sessions"
    )
    site = models.ForeignKey("workforce.Site", on_delete=models.PROTECT, related_name="+")
    # A session given over to one service's clinic (MSK physiotherapy): where that service's
    # triagers book the referrals they accept. Empty for general sessions.
    service = models.ForeignKey(
        "workforce.Service",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rota_sessions",
    )
    date = models.DateField()
    start = models.TimeField()
    end = models.TimeField()
    mode = models.CharField(max_length=15, choices=Mode.choices)
    slot_minutes = models.PositiveSmallIntegerField(default=10)
    slots_generated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["date", "start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="rota_session_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(slot_minutes__gte=5, slot_minutes__lte=240),
                name="rota_session_slot_5_to_240_minutes",
            ),
            models.UniqueConstraint(
                fields=["professional", "date", "start"], name="one_session_per_start"
            ),
        ]
        indexes = [models.Index(fields=["date"])]

    def __str__(self) -> str:
        return f"{self.professional} at {self.site} on {self.date} {self.start}-{self.end}"


class AppointmentStatus(models.TextChoices):
    # FHIR appointmentstatus, the subset a neighbourhood uses
    BOOKED = "booked", "Booked"
    ARRIVED = "arrived", "Arrived"
    FULFILLED = "fulfilled", "Seen"
    NOSHOW = "noshow", "Did not attend"
    CANCELLED = "cancelled", "Cancelled"

    @classmethod
    def active_values(cls) -> list[str]:
        """The statuses that hold the slot: every one but cancelled."""
        return [cls.BOOKED, cls.ARRIVED, cls.FULFILLED, cls.NOSHOW]

    @classmethod
    def open_values(cls) -> list[str]:
        """Still to happen, or happening."""
        return [cls.BOOKED, cls.ARRIVED]


class SlotQuerySet(models.QuerySet):
    def free(self):
        """Slots with no active appointment."""
        taken = Appointment.objects.filter(
            slot=OuterRef("pk"), status__in=AppointmentStatus.active_values()
        )
        return self.filter(~Exists(taken))

    def starting(self, *, after, until):
        """Starting after `after`, up to and including `until`."""
        return self.filter(start__gt=after, start__lte=until)

    def for_service(self, service):
        """Slots in the sessions given over to `service`'s clinic."""
        return self.filter(session__service=service)


class Slot(models.Model):
    """A time a professional can see one person (FHIR Slot). Whether it is free is not stored:
    it is free when it has no active appointment."""

    session = models.ForeignKey(
        RotaSession, on_delete=models.CASCADE, null=True, blank=True, related_name="slots"
    )
    professional = models.ForeignKey(
        "workforce.Professional", on_delete=models.PROTECT, related_name="slots"
    )
    site = models.ForeignKey("workforce.Site", on_delete=models.PROTECT, related_name="+")
    start = models.DateTimeField()
    end = models.DateTimeField()
    mode = models.CharField(max_length=15, choices=Mode.choices)

    objects = SlotQuerySet.as_manager()

    class Meta:
        ordering = ["start", "professional_id"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="slot_ends_after"),
            models.UniqueConstraint(fields=["professional", "start"], name="one_slot_per_start"),
        ]
        indexes = [models.Index(fields=["start"])]

    def __str__(self) -> str:
        return f"{self.professional} at {self.start:%Y-%m-%d %H:%M}"


class RelationshipBasis(models.TextChoices):
    """Why an appointment does, or does not, give its professional a relationship with the
    person: decided when it is booked (`relationships.appointment_basis`) and kept."""

    PERSON = "person", "Booked by the person, or their carer with consent"
    RELATIONSHIP = "relationship", "Booked by someone with a care relationship"
    OWN_TEAM = "own_team", "Booked by a colleague of the professional, for a recorded reason"
    SELF_CLAIMED = "self_claimed", "Booked by the professional into their own appointment"
    NONE = "none", "Gives no access to the record"

    @classmethod
    def granting_values(cls) -> list[str]:
        """The bases on which an open appointment is a relationship. A self-claimed one is not:
        its access is the time-limited self-claimed relationship, reviewed like break-glass."""
        return [cls.PERSON, cls.RELATIONSHIP, cls.OWN_TEAM]


class AppointmentQuerySet(models.QuerySet):
    def for_person(self, person):
        return self.filter(person=person)

    def for_professional(self, professional):
        return self.filter(slot__professional=professional)

    def active(self):
        return self.filter(status__in=AppointmentStatus.active_values())

    def upcoming(self, *, now):
        return self.filter(status__in=AppointmentStatus.open_values(), slot__end__gt=now)

    def with_slot(self):
        return self.select_related("slot__professional", "slot__site")

    def manageable_by(self, professional):
        """Appointments this professional may mark, cancel or rebook: their own, their
        organisation's, and those of people they may book for."""
        return self.filter(
            Q(slot__professional__organisation_id=professional.organisation_id)
            | bookable_q(professional)
        )


class Appointment(models.Model):
    """One person booked into one slot (FHIR Appointment)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="appointments")
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="appointments"
    )
    status = models.CharField(
        max_length=10, choices=AppointmentStatus.choices, default=AppointmentStatus.BOOKED
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    cancellation_reason = models.CharField(max_length=200, blank=True)
    rebooked_from = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="rebooked_as"
    )
    # Home visits carry the address the professional goes to, as it was when booked.
    address = models.CharField(max_length=300, blank=True)
    # A double-clicked or retried booking form carries the same id, so it books once.
    submission_id = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    # Whether the appointment gives the professional a relationship, decided when booked.
    relationship_basis = models.CharField(
        max_length=12,
        choices=RelationshipBasis.choices,
        default=RelationshipBasis.NONE,
        db_default=RelationshipBasis.NONE,
    )
    # The reason the booker recorded, when the rule asked for one.
    relationship_reason_kind = models.CharField(
        max_length=20, choices=BreakGlassReason.choices, blank=True, db_default=""
    )
    relationship_reason = models.TextField(blank=True, db_default="")
    self_claim = models.ForeignKey(
        "audit.SelfClaimedRelationship",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        # No default ordering: it would join the slot table into every query, the booking
        # path's own included. Lists order by slot__start explicitly.
        constraints = [
            models.UniqueConstraint(
                fields=["slot"],
                condition=Q(status__in=AppointmentStatus.active_values()),
                name="one_active_appointment_per_slot",
            )
        ]
        indexes = [models.Index(fields=["person", "status"])]

    def __str__(self) -> str:
        return f"Appointment {self.public_id}"


class Outcome(models.TextChoices):
    MET = "met", "Booked"
    OFFERED = "offered", "Offered, not booked"
    UNMET = "unmet", "Not met"


class AccessRequestQuerySet(models.QuerySet):
    def for_person(self, person):
        return self.filter(person=person)

    def on_worklist(self):
        """Unmet rights the hub has not yet resolved."""
        return self.filter(outcome=Outcome.UNMET, resolved_at__isnull=True)

    def bookable_by(self, professional):
        return self.filter(bookable_q(professional))


class AccessRequest(models.Model):
    """One request for an appointment under a right, with its time and outcome. Every request
    is kept, met or not, because the access measures count them."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="access_requests"
    )
    practice = models.ForeignKey(  # the surgery asked: the person's, at the time
        "workforce.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    right = models.CharField(max_length=12, choices=RIGHT_CHOICES)
    requested_at = models.DateTimeField()
    channel = models.CharField(max_length=10, choices=Channel.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    chosen_gp = models.ForeignKey(
        "workforce.Professional",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    usual_gp = models.ForeignKey(  # as it was when asked
        "workforce.Professional",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    outcome = models.CharField(max_length=8, choices=Outcome.choices)
    options_offered = models.PositiveIntegerField(default=0)
    unmet_reason = models.CharField(max_length=15, choices=UNMET_REASON_CHOICES, blank=True)
    appointment = models.OneToOneField(
        Appointment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="access_request",
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    resolution = models.CharField(max_length=500, blank=True)

    objects = AccessRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(outcome="unmet") & ~Q(unmet_reason=""))
                | (~Q(outcome="unmet") & Q(unmet_reason="")),
                name="unmet_request_has_reason",
            )
        ]
        indexes = [
            models.Index(fields=["outcome", "resolved_at"]),
            models.Index(fields=["person", "requested_at"]),
        ]

    @property
    def right_enum(self) -> Right:
        return Right(self.right)


class UsualGpChoice(models.Model):
    """The GP the person has chosen as their usual GP. Without one, the usual GP is the GP they
    saw most in the last two years."""

    person = models.OneToOneField(
        "people.Person", on_delete=models.CASCADE, related_name="usual_gp_choice"
    )
    professional = models.ForeignKey(
        "workforce.Professional", on_delete=models.PROTECT, related_name="+"
    )
    chosen_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )


class WaitingStatus(models.TextChoices):
    WAITING = "waiting", "Waiting"
    OFFERED = "offered", "Offered a slot"
    BOOKED = "booked", "Booked"
    REMOVED = "removed", "Removed"

    @classmethod
    def open_values(cls) -> list[str]:
        return [cls.WAITING, cls.OFFERED]


class WaitingListEntryQuerySet(models.QuerySet):
    def for_person(self, person):
        return self.filter(person=person)

    def open(self):
        return self.filter(status__in=WaitingStatus.open_values())

    def bookable_by(self, professional):
        return self.filter(bookable_q(professional))


class WaitingListEntry(models.Model):
    """A person waiting for an earlier GP appointment: when one is freed, it is offered to the
    person who has waited longest."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="waiting_list_entries"
    )
    practice = models.ForeignKey(
        "workforce.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    professional = models.ForeignKey(  # a named GP; blank for any GP of the practice
        "workforce.Professional",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    access_request = models.ForeignKey(
        AccessRequest, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        max_length=8, choices=WaitingStatus.choices, default=WaitingStatus.WAITING
    )
    offered_slot = models.ForeignKey(
        Slot, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    offered_at = models.DateTimeField(null=True, blank=True)
    appointment = models.ForeignKey(
        Appointment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = WaitingListEntryQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(status__in=["waiting", "offered"]),
                name="one_open_waiting_entry_per_person",
            )
        ]


FFT_QUESTION = "Overall, how was your experience of our service?"


class FftAnswer(models.TextChoices):
    # The six answers of the NHS Friends and Family Test
    VERY_GOOD = "very_good", "Very good"
    GOOD = "good", "Good"
    NEITHER = "neither", "Neither good nor poor"
    POOR = "poor", "Poor"
    VERY_POOR = "very_poor", "Very poor"
    DONT_KNOW = "dont_know", "Don't know"


class Feedback(models.Model):
    """The person's answer to the Friends and Family Test after an appointment, and their
    words."""

    appointment = models.OneToOneField(
        Appointment, on_delete=models.CASCADE, related_name="feedback"
    )
    answer = models.CharField(max_length=10, choices=FftAnswer.choices)
    text = models.TextField(blank=True, max_length=2000)
    submitted_at = models.DateTimeField(default=timezone.now)
