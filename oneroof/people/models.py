"""People: the resident (FHIR Patient), their address with LSOA and deprivation, the people who
care for them (RelatedPerson), their preferences and their consent to share.

Field names follow FHIR R4 / UK Core where one exists.
"""

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone

from .nhs_numbers import validate_nhs_number


class Gender(models.TextChoices):
    # FHIR AdministrativeGender
    MALE = "male", "Male"
    FEMALE = "female", "Female"
    OTHER = "other", "Other"
    UNKNOWN = "unknown", "Unknown"


class EthnicGroup(models.TextChoices):
    # The five high-level groups of the 2021 Census, as NHS England reports equity by them.
    WHITE = "white", "White"
    MIXED = "mixed", "Mixed or multiple ethnic groups"
    ASIAN = "asian", "Asian or Asian British"
    BLACK = "black", "Black, Black British, Caribbean or African"
    OTHER = "other", "Other ethnic group"
    NOT_STATED = "not_stated", "Not stated"


class NhsNumberVerification(models.TextChoices):
    # UK Core NHS Number Verification Status (England): the two codes OneRoof sets. A resident who
    # refers themselves and matches no record is created "present but not traced" until staff
    # confirm who they are.
    VERIFIED = "01", "Number present and verified"
    NOT_TRACED = "02", "Number present but not traced"


class PersonQuerySet(models.QuerySet):
    def visible_to(self, user):
        """People whose record this user may open without break-glass (docs/architecture.md)."""
        from .access import visible_people_q

        return self.filter(visible_people_q(user)).distinct()

    def proxied_by(self, user):
        """People who have consented to this user, as their carer, acting for them."""
        current = Consent.objects.filter(
            scope=ConsentScope.CARER_PROXY,
            grantee__carer_person__user=user,
            grantee__period_end__isnull=True,
        ).order_by("person_id", "grantee_id", "-date_time")
        # Only the latest decision counts: a withdrawn consent ends the proxy.
        latest = {}
        for consent in current.values("person_id", "grantee_id", "status"):
            latest.setdefault((consent["person_id"], consent["grantee_id"]), consent["status"])
        allowed = [person for (person, _), status in latest.items() if status == "active"]
        return self.filter(pk__in=allowed)

    def for_identity(self, *, nhs_number: str, birth_date):
        """The resident an identity provider has proven: NHS number and date of birth must both
        match, so a mistyped or borrowed NHS number alone never opens a record."""
        return self.filter(nhs_number=nhs_number, birth_date=birth_date, deceased_at__isnull=True)

    def for_record(self, public_id):
        """The person a record URL names; the caller must then authorise the view
        (care.record_access.open_record) before showing anything of it."""
        return self.select_related("general_practice").get(public_id=public_id)

    def find(self, *, nhs_number: str = "", family_name: str = "", birth_date=None):
        """Find by NHS number, or by family name and date of birth (a search, not a record view)."""
        if nhs_number:
            return self.filter(nhs_number=nhs_number)
        return self.filter(family_name__iexact=family_name.strip(), birth_date=birth_date)


class Person(models.Model):
    """A resident of the neighbourhood (FHIR Patient)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    nhs_number = models.CharField(
        max_length=10, unique=True, validators=[validate_nhs_number], verbose_name="NHS number"
    )
    nhs_number_verification = models.CharField(  # identifier.extension NHSNumberVerificationStatus
        max_length=2,
        choices=NhsNumberVerification.choices,
        default=NhsNumberVerification.VERIFIED,
        # The demo generator writes people with raw INSERTs: the database supplies the default.
        db_default=NhsNumberVerification.VERIFIED,
    )
    prefix = models.CharField(max_length=20, blank=True)  # name.prefix: Mrs, Mr, Dr
    given_name = models.CharField(max_length=100)  # name.given
    family_name = models.CharField(max_length=100, db_index=True)  # name.family
    birth_date = models.DateField()  # birthDate
    gender = models.CharField(max_length=10, choices=Gender.choices)
    ethnic_group = models.CharField(
        max_length=12, choices=EthnicGroup.choices, default=EthnicGroup.NOT_STATED
    )
    phone = models.CharField(max_length=30, blank=True)  # telecom (phone)
    email = models.EmailField(blank=True)  # telecom (email)
    deceased_at = models.DateTimeField(null=True, blank=True)  # deceasedDateTime
    general_practice = models.ForeignKey(  # generalPractitioner (the registered practice)
        "workforce.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="registered_people",
    )
    lives_alone = models.BooleanField(default=False)
    user = models.OneToOneField(  # the resident's own sign-in, when they have one
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
    )

    objects = PersonQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["family_name", "birth_date"])]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return " ".join(p for p in (self.prefix, self.given_name, self.family_name) if p)

    def age_on(self, day: date) -> int:
        born = self.birth_date
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    @property
    def age(self) -> int:
        return self.age_on(timezone.localdate())


class Address(models.Model):
    """Where a person lives (FHIR Address), with the LSOA and its IMD 2019 decile."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="addresses")
    line = models.CharField(max_length=200)
    city = models.CharField(max_length=100)
    postal_code = models.CharField(max_length=10)
    lsoa_code = models.CharField(max_length=9, verbose_name="LSOA", db_index=True)
    imd_decile = models.PositiveSmallIntegerField(  # 1 = most deprived 10% of England
        verbose_name="IMD decile"
    )
    period_start = models.DateField(default=timezone.localdate)
    period_end = models.DateField(null=True, blank=True)  # set when the person moves out

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(imd_decile__gte=1, imd_decile__lte=10),
                name="address_imd_decile_1_to_10",
            )
        ]

    def __str__(self) -> str:
        return f"{self.line}, {self.city} {self.postal_code}"


class CarerRelationship(models.TextChoices):
    # FHIR v3 RoleCode, the codes a RelatedPerson.relationship uses
    SPOUSE = "SPS", "Spouse"
    PARTNER = "DOMPART", "Partner"
    CHILD = "CHILD", "Son or daughter"
    GRANDCHILD = "GRNDCHILD", "Grandchild"
    PARENT = "PRN", "Parent"
    SIBLING = "SIB", "Brother or sister"
    FRIEND = "FRND", "Friend"
    NEIGHBOUR = "NBOR", "Neighbour"


class Carer(models.Model):
    """Someone who cares for a person, unpaid (FHIR RelatedPerson).

    The carer may be a resident with their own record (`carer_person`) or named only here.
    A young carer is one under 18.
    """

    cared_for = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="carers")
    carer_person = models.ForeignKey(
        Person, on_delete=models.CASCADE, null=True, blank=True, related_name="caring_for"
    )
    name = models.CharField(max_length=200)
    relationship = models.CharField(max_length=10, choices=CarerRelationship.choices)
    birth_date = models.DateField(null=True, blank=True)
    phone = models.CharField(max_length=30, blank=True)
    is_main_carer = models.BooleanField(default=False)
    period_start = models.DateField(default=timezone.localdate)
    period_end = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name

    @property
    def is_young_carer(self) -> bool:
        born = self.carer_person.birth_date if self.carer_person_id else self.birth_date
        if born is None:
            return False
        today = timezone.localdate()
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day)) < 18


class PreferenceKind(models.TextChoices):
    PREFERRED_PLACE_OF_CARE = "place_of_care", "Where I want to be cared for at the end of my life"
    PREFERRED_PLACE_OF_DEATH = "place_of_death", "Where I would prefer to die"
    COMMUNICATION = "communication", "How I like to be contacted"
    INTERPRETER = "interpreter", "Interpreter needed"
    ACCESSIBLE_INFORMATION = "accessible_information", "Accessible information needs"
    RESUSCITATION = "resuscitation", "Resuscitation decision (ReSPECT)"


class Preference(models.Model):
    """Something the person has told us about how they want to be cared for."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="preferences")
    kind = models.CharField(max_length=30, choices=PreferenceKind.choices)
    value = models.CharField(max_length=300)
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        "workforce.Professional",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "kind"], name="one_preference_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"


class ConsentScope(models.TextChoices):
    SHARE_WITH_TEAM = "share_with_team", "Share my record with my neighbourhood care team"
    CARER_PROXY = "carer_proxy", "Let my carer act for me"


class ConsentStatus(models.TextChoices):
    # FHIR Consent.status
    ACTIVE = "active", "Given"
    REJECTED = "rejected", "Refused"
    INACTIVE = "inactive", "Withdrawn"


class Consent(models.Model):
    """The person's decision to share their information, or to let a carer act for them."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    scope = models.CharField(max_length=20, choices=ConsentScope.choices)
    status = models.CharField(max_length=10, choices=ConsentStatus.choices)
    grantee = models.ForeignKey(  # for carer_proxy: the carer allowed to act for the person
        Carer, on_delete=models.CASCADE, null=True, blank=True, related_name="proxy_consents"
    )
    date_time = models.DateTimeField(default=timezone.now)  # Consent.dateTime
    recorded_by = models.ForeignKey(
        "workforce.Professional",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    def __str__(self) -> str:
        return f"{self.get_scope_display()}: {self.get_status_display()}"
