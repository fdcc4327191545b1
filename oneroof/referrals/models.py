"""Referrals: the front doors into the neighbourhood's services (FHIR ServiceRequest).

A referral is received from the person themselves, a professional in the team, or an external
referrer (optician, community pharmacist, school); it is triaged by the service, which accepts
it, redirects it to a better-suited service or declines it with a reason; an accepted referral
is later booked and completed. The waiting-time clock runs from `received_at`.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from oneroof.workforce.models import ReferrerKind


class ReferralStatus(models.TextChoices):
    RECEIVED = "received", "Waiting to be looked at"
    ACCEPTED = "accepted", "Accepted"
    REDIRECTED = "redirected", "Sent to another service"
    DECLINED = "declined", "Declined"
    BOOKED = "booked", "Appointment booked"
    COMPLETED = "completed", "Completed"

    @classmethod
    def open_values(cls) -> list[str]:
        """The person is still waiting on the service."""
        return [cls.RECEIVED, cls.ACCEPTED, cls.BOOKED]

    @classmethod
    def relationship_values(cls) -> list[str]:
        """The service has taken the person on and not finished: an accepted referral whose
        acceptance granted it is a legitimate relationship for the service's triagers. One
        still waiting to be looked at is not: anyone can send one."""
        return [cls.ACCEPTED, cls.BOOKED]


class IdentityMatch(models.TextChoices):
    """How the NHS number, date of birth and last name given with the referral compared with
    the record holding that NHS number, when it arrived."""

    MATCHED = "matched", "The details match the record for that NHS number"
    UNKNOWN = "unknown", "No record holds that NHS number"
    MISMATCH = "mismatch", "The date of birth or last name does not match the record"
    # Referrals sent before issue 10 made a record for an unknown NHS number; none are now.
    CREATED = "created", "No record found: a new record was made, to be confirmed"


class IdentityConfirmation(models.TextChoices):
    """How OneRoof knows which person the referral is for. Empty: nobody knows yet (a
    self-referral from the public form, or details that matched no record), and the referral
    waits for a triager to check and confirm before it can be accepted."""

    REFERRER = "referrer", "A professional referrer's details matched the record"
    RESIDENT = "resident", "Sent by the resident, signed in with their verified identity"
    TRIAGER = "triager", "Confirmed by a triager"


class ReferralQuerySet(models.QuerySet):
    def sent_by(self, professional):
        """What a referrer sent: all an external referrer may ever see."""
        return self.filter(requester=professional)

    def for_triager(self, professional):
        """Referrals to the services this professional triages."""
        return self.filter(service__triagers=professional)

    def visible_to(self, user):
        """Referrals this user sent, or that reached a service they triage."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            models.Q(requester__user=user) | models.Q(service__triagers__user=user)
        ).distinct()

    def for_resident(self, person):
        return self.filter(person=person)

    def for_person(self, person):
        """A person's referrals, for the whole-person record (after the record is authorised)."""
        return self.filter(person=person)

    def open(self):
        return self.filter(status__in=ReferralStatus.open_values())

    def with_details(self):
        return self.select_related(
            "service__organisation", "person", "requester__organisation", "triaged_by"
        )


class Referral(models.Model):
    """FHIR ServiceRequest: a request for one service to see one person."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    service = models.ForeignKey(  # performer: the HealthcareService asked
        "workforce.Service", on_delete=models.PROTECT, related_name="referrals"
    )
    # subject. Empty until OneRoof knows who this is (identity_confirmation): a referral never
    # makes or changes a record; staff check who it is before it can be accepted.
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="referrals",
    )
    source = models.CharField(max_length=20, choices=ReferrerKind.choices)  # the front door
    requester = models.ForeignKey(  # requester; empty when the person referred themselves
        "workforce.Professional",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sent_referrals",
    )
    # The person as the referrer described them, kept as given so staff can check identity.
    nhs_number = models.CharField(max_length=10, verbose_name="NHS number")
    birth_date = models.DateField()
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True)  # where the person is told of status changes
    identity_match = models.CharField(max_length=10, choices=IdentityMatch.choices)
    # Who the referral is for, once known: `person` is set only together with this.
    identity_confirmation = models.CharField(
        max_length=10, choices=IdentityConfirmation.choices, blank=True
    )
    identity_confirmed_at = models.DateTimeField(null=True, blank=True)
    identity_confirmed_by = models.ForeignKey(  # the triager, when one confirmed it
        "workforce.Professional",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Set when accepted: whether the acceptance gives the service's triagers a relationship
    # with the person (the "open_referral" source). Not when a triager accepted a referral
    # that only they vouch for (a public self-referral, or one they sent themselves): that is
    # a self-claimed relationship, time limited and reviewed (audit.claim_relationship).
    relationship_granted = models.BooleanField(default=False)

    reason = models.TextField()  # reasonCode / note: why, in the referrer's words
    status = models.CharField(
        max_length=12, choices=ReferralStatus.choices, default=ReferralStatus.RECEIVED
    )
    status_reason = models.TextField(blank=True)  # why declined or redirected: shown to both
    received_at = models.DateTimeField(default=timezone.now)  # the waiting-time clock starts
    standard_due_at = models.DateTimeField(null=True, blank=True)  # the tightest standard's end
    triaged_at = models.DateTimeField(null=True, blank=True)
    triaged_by = models.ForeignKey(
        "workforce.Professional",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="triaged_referrals",
    )
    first_seen_at = models.DateTimeField(null=True, blank=True)  # first contact: seen
    # The first treatment session, recorded by the service's clinician: a mental health
    # service's clock (NHS Talking Therapies, early intervention in psychosis) stops here, not
    # at an assessment.
    first_treated_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    replaces = models.OneToOneField(  # the referral this one was redirected from
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaced_by"
    )
    # The appointment booked for an accepted referral (access.Appointment's public id, which
    # is also what other systems see: a value, so an appointment's rows can be archived apart).
    appointment_public_id = models.UUIDField(null=True, blank=True)
    # A double-clicked or retried form carries the same submission id, so it creates one row.
    submission_id = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-pk"]
        indexes = [
            models.Index(fields=["service", "status", "standard_due_at"]),
            models.Index(fields=["person", "status"]),
        ]

    def __str__(self) -> str:
        return f"Referral {self.public_id} to {self.service_id}"

    @property
    def name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def is_open(self) -> bool:
        return self.status in ReferralStatus.open_values()

    @property
    def is_self_referral(self) -> bool:
        return self.source == ReferrerKind.SELF

    @property
    def identity_unconfirmed(self) -> bool:
        """A triager must confirm who the person is before the referral is accepted or
        booked."""
        return self.person_id is None or not self.identity_confirmation


class ReferralEvent(models.Model):
    """One change in a referral's status: who made it, when and why (the referral's history)."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=12, choices=ReferralStatus.choices)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(  # empty for a resident who referred themselves without signing in
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]
