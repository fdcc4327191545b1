"""The neighbourhood's organisations, sites, services and professionals, and each person's care
team with its named coordinator (FHIR Organization, Location, HealthcareService, Practitioner,
PractitionerRole, CareTeam)."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Neighbourhood(models.Model):
    """A population of 30-50k people served by one neighbourhood team."""

    code = models.SlugField(unique=True)
    name = models.CharField(max_length=200)

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


class Organisation(models.Model):
    """FHIR Organization."""

    ods_code = models.CharField(max_length=10, unique=True, verbose_name="ODS code")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=OrganisationKind.choices)
    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.PROTECT, related_name="organisations"
    )

    def __str__(self) -> str:
        return self.name


class Site(models.Model):
    """FHIR Location: a building where care is given, with its opening hours."""

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
    # Every profession the seeds name as part of the neighbourhood team.
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
