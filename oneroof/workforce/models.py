"""The neighbourhood's organisations, sites, services and professionals, and each person's care
team with its named coordinator (FHIR Organization, Location, HealthcareService, Practitioner,
PractitionerRole, CareTeam)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class GpAppointmentMode(models.TextChoices):
    """What counts as "a GP appointment" under the right to one within 48 hours."""

    FACE_TO_FACE = "face_to_face", "Face to face only"
    TELEPHONE = "telephone", "Face to face or by telephone (or video)"


class Neighbourhood(models.Model):
    """A population of 30-50k people served by one neighbourhood team."""

    code = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    # Whether a GP telephone (or video) consultation meets the right to a GP appointment within
    # 48 hours, or only a face-to-face one (a home visit is face to face). Set by the manager.
    within_48h_mode = models.CharField(
        max_length=20,
        choices=GpAppointmentMode.choices,
        default=GpAppointmentMode.FACE_TO_FACE,
        verbose_name="What counts as a GP appointment within 48 hours",
    )

    def __str__(self) -> str:
        return self.name


class OrganisationKind(models.TextChoices):
    GP_PRACTICE = "gp_practice", "GP practice"
    COMMUNITY_TRUST = "community_trust", "Community health trust"
    MENTAL_HEALTH_TRUST = "mental_health_trust", "Mental health trust"
    LOCAL_AUTHORITY = "local_authority", "Council adult social care"
    HOSPICE = "hospice", "Hospice"
    PHARMACY = "pharmacy", "Community pharmacy"
    OPTICIAN = "optician", "Optician"
    VOLUNTARY = "voluntary", "Voluntary and community sector"
    SCHOOL = "school", "School"


class Sector(models.TextChoices):
    NHS = "nhs", "NHS"
    COUNCIL = "council", "Council"
    VOLUNTARY = "voluntary", "Voluntary and community sector"
    INDEPENDENT = "independent", "Independent contractor"  # community pharmacy, optician
    EDUCATION = "education", "Education"


SECTOR_OF_KIND = {
    OrganisationKind.GP_PRACTICE: Sector.NHS,
    OrganisationKind.COMMUNITY_TRUST: Sector.NHS,
    OrganisationKind.MENTAL_HEALTH_TRUST: Sector.NHS,
    OrganisationKind.LOCAL_AUTHORITY: Sector.COUNCIL,
    OrganisationKind.HOSPICE: Sector.VOLUNTARY,
    OrganisationKind.PHARMACY: Sector.INDEPENDENT,
    OrganisationKind.OPTICIAN: Sector.INDEPENDENT,
    OrganisationKind.VOLUNTARY: Sector.VOLUNTARY,
    OrganisationKind.SCHOOL: Sector.EDUCATION,
}


class Organisation(models.Model):
    """FHIR Organization."""

    # The organisation's id in exchanges such as Open Referral UK (organization.id).
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # NHS and council bodies have an ODS code; a voluntary group fed in from a directory may not.
    ods_code = models.CharField(
        max_length=10, unique=True, null=True, blank=True, verbose_name="ODS code"
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    website = models.URLField(blank=True)
    email = models.EmailField(blank=True)
    kind = models.CharField(max_length=30, choices=OrganisationKind.choices)
    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.PROTECT, related_name="organisations"
    )

    def __str__(self) -> str:
        return self.name

    @property
    def sector(self) -> str:
        return SECTOR_OF_KIND[self.kind]


class Site(models.Model):
    """FHIR Location: a building where care is given, with its opening hours."""

    # The site's id in exchanges such as Open Referral UK (location.id).
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="sites")
    neighbourhood = models.ForeignKey(Neighbourhood, on_delete=models.PROTECT, related_name="sites")
    line = models.CharField(max_length=200)
    postal_code = models.CharField(max_length=10)
    is_health_centre = models.BooleanField(default=False)

    def __str__(self) -> str:
        return self.name


class OpeningHours(models.Model):
    """Location.hoursOfOperation: one row per day the site opens."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, "Monday"
        TUESDAY = 1, "Tuesday"
        WEDNESDAY = 2, "Wednesday"
        THURSDAY = 3, "Thursday"
        FRIDAY = 4, "Friday"
        SATURDAY = 5, "Saturday"
        SUNDAY = 6, "Sunday"

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    opens = models.TimeField()
    closes = models.TimeField()

    class Meta:
        ordering = ["weekday"]
        constraints = [
            models.UniqueConstraint(fields=["site", "weekday"], name="one_opening_per_site_day"),
            models.CheckConstraint(
                condition=models.Q(closes__gt=models.F("opens")), name="opening_closes_after_opens"
            ),
        ]


class Profession(models.TextChoices):
    # Every profession of the neighbourhood team (docs/architecture.md, "Who uses it").
    GP = "gp", "GP"
    DISTRICT_NURSE = "district_nurse", "District nurse"
    PRACTICE_NURSE = "practice_nurse", "Practice nurse"
    SOCIAL_WORKER = "social_worker", "Social worker"
    CARE_WORKER = "care_worker", "Care worker"
    PHYSIOTHERAPIST = "physiotherapist", "Physiotherapist"
    OCCUPATIONAL_THERAPIST = "occupational_therapist", "Occupational therapist"
    PALLIATIVE_CARE = "palliative_care", "Palliative care nurse"
    MENTAL_HEALTH = "mental_health", "Mental health practitioner"
    PHARMACIST = "pharmacist", "Pharmacist"
    LINK_WORKER = "link_worker", "Social prescribing link worker"
    HEALTH_VISITOR = "health_visitor", "Health visitor"
    OPTOMETRIST = "optometrist", "Optometrist"
    RECEPTIONIST = "receptionist", "Receptionist"
    TEACHER = "teacher", "Teacher"  # a school's pastoral or safeguarding lead, who refers


class Professional(models.Model):
    """FHIR Practitioner with one PractitionerRole: who they are and what they do here."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="professional"
    )
    prefix = models.CharField(max_length=20, blank=True)
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    profession = models.CharField(max_length=30, choices=Profession.choices)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="professionals"
    )
    registration_number = models.CharField(max_length=20, blank=True)  # GMC, NMC, HCPC, GPhC
    phone = models.CharField(max_length=30, blank=True)
    active = models.BooleanField(default=True)
    # An optician, community pharmacist, school or voluntary group outside the neighbourhood
    # team: they refer and see the referrals they sent, and never open a person's record.
    is_external_referrer = models.BooleanField(default=False)

    class Meta:
        ordering = ["family_name", "given_name"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return " ".join(p for p in (self.prefix, self.given_name, self.family_name) if p)

    @property
    def name_and_role(self) -> str:
        return f"{self.name} ({self.get_profession_display()})"


class CareTeam(models.Model):
    """The people around one person, across every profession, with one named coordinator."""

    person = models.OneToOneField(
        "people.Person", on_delete=models.CASCADE, related_name="care_team"
    )
    coordinator = models.ForeignKey(  # the person's single named contact
        Professional,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coordinated_teams",
    )
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Care team for person {self.person_id}"


class CareTeamMember(models.Model):
    """CareTeam.participant."""

    care_team = models.ForeignKey(CareTeam, on_delete=models.CASCADE, related_name="members")
    professional = models.ForeignKey(
        Professional, on_delete=models.PROTECT, related_name="care_team_memberships"
    )
    period_start = models.DateField(default=timezone.localdate)
    period_end = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["care_team", "professional"],
                condition=models.Q(period_end__isnull=True),
                name="one_current_membership",
            )
        ]


class ReferrerKind(models.TextChoices):
    """Who may send a referral to a service: the front doors of the neighbourhood."""

    SELF = "self", "The person themselves"
    GP = "gp", "GP"
    NURSE = "nurse", "Nurse"
    SOCIAL_WORKER = "social_worker", "Social worker"
    SCHOOL = "school", "School"
    OPTICIAN = "optician", "Optician"
    PHARMACIST = "pharmacist", "Community pharmacist"
    PROFESSIONAL = "professional", "Other neighbourhood professional"


class ServiceStatus(models.TextChoices):
    # Open Referral UK service.status; FHIR HealthcareService.active is status == active.
    ACTIVE = "active", "Open"
    INACTIVE = "inactive", "Not taking referrals"
    DEFUNCT = "defunct", "Closed"
    TEMPORARILY_CLOSED = "temporarily closed", "Temporarily closed"


class ServiceQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=ServiceStatus.ACTIVE)

    def taking_self_referrals(self):
        return self.active().filter(accepts_self_referral=True)

    def triaged_by(self, professional):
        return self.filter(triagers=professional)


class Service(models.Model):
    """FHIR HealthcareService: one service in the neighbourhood's directory, NHS, council or
    voluntary, with who may refer to it, who is eligible and its waiting-time standards.

    Field names follow Open Referral UK where it has one (it is the format voluntary-sector
    directories exchange), and FHIR otherwise.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)  # ORUK id
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    organisation = models.ForeignKey(  # providedBy / ORUK organization
        Organisation, on_delete=models.PROTECT, related_name="services"
    )
    sites = models.ManyToManyField(  # location / ORUK service_at_locations
        Site, blank=True, related_name="services"
    )
    status = models.CharField(
        max_length=20, choices=ServiceStatus.choices, default=ServiceStatus.ACTIVE
    )
    url = models.URLField(blank=True)
    email = models.EmailField(blank=True)
    accepts_self_referral = models.BooleanField(default=False)
    # Who else may refer: a list of ReferrerKind values other than "self".
    referrers = models.JSONField(default=list, blank=True)
    # Eligibility by age in whole years, both ends included: "under 25" is maximum_age 24.
    minimum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    maximum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    eligibility_description = models.CharField(max_length=500, blank=True)
    # Measures report waiting times for mental health services separately.
    is_mental_health = models.BooleanField(default=False)
    triagers = models.ManyToManyField(  # who works this service's triage worklist
        Professional, blank=True, related_name="triaged_services"
    )
    updated_at = models.DateTimeField(default=timezone.now)  # ORUK last_modified

    objects = ServiceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(minimum_age__isnull=True)
                | models.Q(maximum_age__isnull=True)
                | models.Q(minimum_age__lte=models.F("maximum_age")),
                name="service_minimum_age_not_above_maximum",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.status == ServiceStatus.ACTIVE


class WaitingTimeStandard(models.Model):
    """A waiting-time standard the service is held to: `percent` of referrals seen within
    `days` of being received (talking therapies: 75% within 6 weeks, 95% within 18 weeks)."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="standards")
    days = models.PositiveSmallIntegerField()
    percent = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["days"]
        constraints = [
            models.UniqueConstraint(fields=["service", "days"], name="one_standard_per_wait"),
            models.CheckConstraint(
                condition=models.Q(percent__gte=1, percent__lte=100, days__gte=1),
                name="standard_percent_1_to_100",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.percent}% within {describe_days(self.days)}"


def describe_days(days: int) -> str:
    """'6 weeks', '1 week', '10 days': how a waiting time reads."""
    if days % 7 == 0:
        weeks = days // 7
        return f"{weeks} week" if weeks == 1 else f"{weeks} weeks"
    return "1 day" if days == 1 else f"{days} days"
