"""The whole-person record: coded conditions and needs (physical, mental, social),
observations, medicines, one care plan per person with goals and actions, tasks, MDT reviews and
contacts, and the vaccinations and medicines that others (a community pharmacy) record (FHIR
Condition, Observation, MedicationStatement, Immunization, CarePlan, Goal, Task, Encounter)."""

import uuid

from django.db import models
from django.utils import timezone


class NeedCategory(models.TextChoices):
    PHYSICAL = "physical", "Physical health"
    MENTAL = "mental", "Mental health"
    SOCIAL = "social", "Social needs"


class ClinicalStatus(models.TextChoices):
    # FHIR condition-clinical
    ACTIVE = "active", "Active"
    INACTIVE = "inactive", "Inactive"
    RESOLVED = "resolved", "Resolved"


class Condition(models.Model):
    """A coded problem or need: a long-term condition, a mental health condition, a frailty
    deficit or a social need such as debt or isolation."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="conditions")
    code = models.CharField(max_length=18, db_index=True)  # SNOMED CT concept id
    display = models.CharField(max_length=255)
    category = models.CharField(max_length=10, choices=NeedCategory.choices)
    clinical_status = models.CharField(
        max_length=10, choices=ClinicalStatus.choices, default=ClinicalStatus.ACTIVE
    )
    onset_date = models.DateField(null=True, blank=True)
    recorded_date = models.DateField(default=timezone.localdate)
    recorder = models.ForeignKey(
        "workforce.Professional",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["category", "display"]

    def __str__(self) -> str:
        return self.display


class Observation(models.Model):
    """A coded measurement, such as weight, blood pressure or a questionnaire score."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="observations"
    )
    code = models.CharField(max_length=18, db_index=True)  # SNOMED CT concept id
    display = models.CharField(max_length=255)
    value = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    unit = models.CharField(max_length=30, blank=True)  # UCUM
    effective_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-effective_at"]


class MedicationStatus(models.TextChoices):
    ACTIVE = "active", "Current"
    COMPLETED = "completed", "Completed"
    STOPPED = "stopped", "Stopped"


class MedicationStatement(models.Model):
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="medications"
    )
    code = models.CharField(max_length=18)  # dm+d (SNOMED CT) concept id
    display = models.CharField(max_length=255)
    dosage = models.CharField(max_length=255, blank=True)  # dosage.text
    status = models.CharField(
        max_length=10, choices=MedicationStatus.choices, default=MedicationStatus.ACTIVE
    )
    effective_start = models.DateField(default=timezone.localdate)
    effective_end = models.DateField(null=True, blank=True)
    # informationSource: who told us, when it was not the practice's own prescribing (a community
    # pharmacy's supply, say), and the professional who recorded it.
    information_source = models.ForeignKey(
        "workforce.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        "workforce.Professional",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    date_asserted = models.DateTimeField(null=True, blank=True)  # dateAsserted
    # A double-clicked or retried form carries the same submission id, so it creates one row.
    submission_id = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["display"]

    def __str__(self) -> str:
        return self.display


class ImmunizationStatus(models.TextChoices):
    # FHIR immunization-status
    COMPLETED = "completed", "Given"
    ENTERED_IN_ERROR = "entered-in-error", "Entered in error"
    NOT_DONE = "not-done", "Not given"


class Immunization(models.Model):
    """FHIR Immunization: a vaccination given to the person, by whom and where.

    Coded as NHS England's immunisation records are: the SNOMED CT vaccination procedure
    (seasonal influenza vaccination 822851000000102), with the vaccine product (dm+d) when known.
    """

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="immunizations"
    )
    status = models.CharField(
        max_length=16, choices=ImmunizationStatus.choices, default=ImmunizationStatus.COMPLETED
    )
    procedure_code = models.CharField(max_length=18)  # SNOMED CT vaccination procedure
    procedure_display = models.CharField(max_length=255)
    vaccine_code = models.CharField(max_length=18, blank=True)  # vaccineCode: dm+d product
    vaccine_display = models.CharField(max_length=255, blank=True)
    lot_number = models.CharField(max_length=40, blank=True)  # lotNumber (batch)
    occurrence_date = models.DateField()  # occurrenceDateTime, to the day
    performer_organisation = models.ForeignKey(  # performer.actor (Organization)
        "workforce.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(  # performer.actor (Practitioner) who recorded it
        "workforce.Professional", on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)  # recorded
    # A double-clicked or retried form carries the same submission id, so it creates one row.
    submission_id = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["-occurrence_date", "-recorded_at"]
        indexes = [models.Index(fields=["person", "occurrence_date"])]

    def __str__(self) -> str:
        return self.procedure_display


class CarePlan(models.Model):
    """The person's one shared care plan, owned by everyone in their team."""

    person = models.OneToOneField(
        "people.Person", on_delete=models.CASCADE, related_name="care_plan"
    )
    what_matters = models.TextField(blank=True, verbose_name="What matters to me")
    next_review_date = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Care plan for person {self.person_id}"


class CarePlanReview(models.Model):
    """A review of the care plan with the person, recorded as one: the care plan review measure
    counts these, not edits to the plan."""

    care_plan = models.ForeignKey(CarePlan, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField()
    summary = models.TextField(blank=True)  # what was looked at and agreed
    recorded_by = models.ForeignKey(
        "workforce.Professional", on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    # A double-clicked or retried form carries the same submission id, so it creates one row.
    submission_id = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["-reviewed_on", "-recorded_at"]

    def __str__(self) -> str:
        return f"Care plan review on {self.reviewed_on}"


class GoalStatus(models.TextChoices):
    # FHIR goal lifecycleStatus, the values a person would recognise
    ACTIVE = "active", "Working on it"
    COMPLETED = "completed", "Achieved"
    CANCELLED = "cancelled", "No longer a goal"


class Goal(models.Model):
    care_plan = models.ForeignKey(CarePlan, on_delete=models.CASCADE, related_name="goals")
    description = models.CharField(max_length=500)  # in the person's own words
    lifecycle_status = models.CharField(
        max_length=10, choices=GoalStatus.choices, default=GoalStatus.ACTIVE
    )
    target_date = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # A double-clicked or retried form carries the same submission id, so it creates one row.
    submission_id = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.description


class TaskStatus(models.TextChoices):
    # FHIR task-status, the subset a neighbourhood team uses
    REQUESTED = "requested", "To do"
    IN_PROGRESS = "in-progress", "In progress"
    COMPLETED = "completed", "Done"
    CANCELLED = "cancelled", "Cancelled"

    @classmethod
    def open_values(cls) -> list[str]:
        return [cls.REQUESTED, cls.IN_PROGRESS]


class CarePlanAction(models.Model):
    """CarePlan.activity: something to be done for the person, owned by a named professional.

    Each action is worked as a Task in its owner's task list."""

    care_plan = models.ForeignKey(CarePlan, on_delete=models.CASCADE, related_name="actions")
    goal = models.ForeignKey(
        Goal, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    description = models.CharField(max_length=500)
    owner = models.ForeignKey(
        "workforce.Professional", on_delete=models.PROTECT, related_name="care_plan_actions"
    )
    due_date = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        "workforce.Professional", on_delete=models.PROTECT, related_name="+"
    )
    # A double-clicked or retried form carries the same submission id, so it creates one row.
    submission_id = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.description


class TaskQuerySet(models.QuerySet):
    def for_owner(self, professional):
        return self.filter(owner=professional).select_related("person", "requester")

    def open(self):
        return self.filter(status__in=TaskStatus.open_values())


class Task(models.Model):
    """FHIR Task: a piece of work for one professional about one person."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="tasks")
    description = models.CharField(max_length=500)
    status = models.CharField(
        max_length=12, choices=TaskStatus.choices, default=TaskStatus.REQUESTED
    )
    owner = models.ForeignKey(
        "workforce.Professional", on_delete=models.PROTECT, related_name="tasks"
    )
    requester = models.ForeignKey(
        "workforce.Professional", on_delete=models.PROTECT, related_name="requested_tasks"
    )
    action = models.OneToOneField(  # Task.focus, when the task works a care plan action
        CarePlanAction, on_delete=models.CASCADE, null=True, blank=True, related_name="task"
    )
    due_date = models.DateField(null=True, blank=True)
    authored_on = models.DateTimeField(default=timezone.now)
    last_modified = models.DateTimeField(default=timezone.now)
    completed_note = models.CharField(max_length=500, blank=True)

    objects = TaskQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "authored_on"]
        indexes = [models.Index(fields=["owner", "status"])]

    def __str__(self) -> str:
        return self.description

    @property
    def is_open(self) -> bool:
        return self.status in TaskStatus.open_values()


class MdtReview(models.Model):
    """A multidisciplinary team review of one person at the neighbourhood huddle."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="mdt_reviews"
    )
    held_on = models.DateField(default=timezone.localdate)
    decision = models.TextField()
    attendees = models.ManyToManyField("workforce.Professional", related_name="mdt_reviews")
    recorded_by = models.ForeignKey(
        "workforce.Professional", on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    next_review_date = models.DateField(null=True, blank=True)
    # A double-clicked or retried form carries the same submission id, so it creates one row.
    submission_id = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["-held_on", "-recorded_at"]


class ContactMode(models.TextChoices):
    FACE_TO_FACE = "face_to_face", "Face to face"
    PHONE = "phone", "Phone"
    VIDEO = "video", "Video"
    HOME_VISIT = "home_visit", "Home visit"


class Contact(models.Model):
    """FHIR Encounter: one contact between a professional and the person."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="contacts")
    professional = models.ForeignKey(
        "workforce.Professional", on_delete=models.PROTECT, related_name="contacts"
    )
    mode = models.CharField(max_length=15, choices=ContactMode.choices)
    occurred_at = models.DateTimeField(default=timezone.now)
    summary = models.TextField(blank=True)

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        indexes = [models.Index(fields=["person", "occurred_at"])]
