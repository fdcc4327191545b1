"""Stored cohorts and the proactive-care worklist.

A CohortRun is one run of case-finding: the rule version and fingerprint that made it, the
snapshot it read and the counts. CohortMember holds who was in the complex-needs cohort, their
need band (from rule set 2026.2), priority and the reasons in words. WorklistEntry puts a person
newly found in front of their named coordinator, or of the neighbourhood for one to be assigned.
"""

from django.db import models
from django.db.models import F, Q
from django.utils import timezone


class Trigger(models.TextChoices):
    SCHEDULE = "schedule", "On schedule"
    ON_DEMAND = "on_demand", "On demand"


class CohortRun(models.Model):
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    index_date = models.DateField()
    trigger = models.CharField(max_length=10, choices=Trigger.choices)
    rule_version = models.CharField(max_length=40)
    rule_fingerprint = models.CharField(max_length=64)
    engine = models.CharField(max_length=20)
    snapshot_taken_at = models.DateTimeField()
    absent_tables = models.CharField(max_length=200, blank=True)  # sources not built yet
    population = models.PositiveIntegerField(default=0)
    cohort_size = models.PositiveIntegerField(default=0)
    newly_found = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"Cohort run {self.pk} (rules {self.rule_version}, {self.index_date})"


class CohortMemberQuerySet(models.QuerySet):
    def for_person(self, person):
        return self.filter(person=person).select_related("run")


class CohortMember(models.Model):
    run = models.ForeignKey(CohortRun, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="cohort_memberships"
    )
    priority = models.PositiveIntegerField()  # 1 = first to be seen
    # 1 = the greatest need; null when the run's rule set has no need bands (2026.1)
    need_band = models.PositiveSmallIntegerField(null=True, blank=True)
    reasons = models.CharField(max_length=500)
    criteria = models.JSONField(default=list)  # the criteria met, e.g. ["meets_frailty"]
    efi_deficits = models.PositiveSmallIntegerField(null=True)  # of 36; null in older runs
    efi_score = models.FloatField()
    efi_category = models.CharField(max_length=10, blank=True)  # "" below 65 (from 2026.2)
    ltc_count = models.PositiveSmallIntegerField()
    imd_decile = models.PositiveSmallIntegerField(null=True)

    objects = CohortMemberQuerySet.as_manager()

    class Meta:
        ordering = ["run", "priority"]
        constraints = [
            models.UniqueConstraint(fields=["run", "person"], name="one_membership_per_run")
        ]
        indexes = [models.Index(fields=["person", "run"])]


class WorklistStatus(models.TextChoices):
    OPEN = "open", "To contact"
    DONE = "done", "Contacted"
    DISMISSED = "dismissed", "Not needed"


class WorklistEntryQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=WorklistStatus.OPEN)

    def visible_to(self, professional):
        """Entries this professional may see: those on their own worklist as the person's named
        coordinator, and those of people they have a legitimate relationship with (care team,
        open referral, task or appointment: people.access). Nobody else sees an entry."""
        from oneroof.people.access import relationship_sources
        from oneroof.people.models import Person

        # One subquery per kind of relationship: far quicker than one over all their joins.
        user = professional.user
        visible = Q(coordinator=professional) | Q(person__user=user)
        for source in relationship_sources():
            visible |= Q(person__in=Person.objects.filter(source.people_q(user)).values("pk"))
        return self.filter(visible)

    def need_first(self):
        """The order for proactive care: clinical need first (the need band; entries from runs
        without bands after those with), then the most deprived areas, a decile not known
        counting as most deprived, then each run's priority."""
        return self.order_by(
            F("need_band").asc(nulls_last=True),
            F("imd_decile").asc(nulls_first=True),
            "priority",
            "pk",
        )

    def for_coordinator(self, professional):
        return self.filter(coordinator=professional).select_related("person", "found_in")

    def for_neighbourhood(self, neighbourhood_id):
        """People found with no named coordinator yet, for the neighbourhood to assign one."""
        return self.filter(coordinator__isnull=True, neighbourhood_id=neighbourhood_id)

    def for_person(self, person):
        return self.filter(person=person).select_related("coordinator", "found_in")


class WorklistEntry(models.Model):
    """A person found by case-finding, waiting for proactive contact."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    coordinator = models.ForeignKey(  # null: on the neighbourhood worklist to assign one
        "workforce.Professional",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="worklist_entries",
    )
    neighbourhood = models.ForeignKey(
        "workforce.Neighbourhood", on_delete=models.PROTECT, null=True, blank=True
    )
    found_in = models.ForeignKey(CohortRun, on_delete=models.PROTECT, related_name="+")
    priority = models.PositiveIntegerField()
    need_band = models.PositiveSmallIntegerField(null=True, blank=True)  # as CohortMember's
    reasons = models.CharField(max_length=500)
    imd_decile = models.PositiveSmallIntegerField(null=True, blank=True)  # where they live
    efi_deficits = models.PositiveSmallIntegerField(null=True, blank=True)  # of 36
    efi_category = models.CharField(max_length=10, blank=True)
    status = models.CharField(
        max_length=10, choices=WorklistStatus.choices, default=WorklistStatus.OPEN
    )
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        "workforce.Professional",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.CharField(max_length=500, blank=True)  # why contact was not needed, say

    objects = WorklistEntryQuerySet.as_manager()

    class Meta:
        ordering = ["priority", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(status="open"),
                name="one_open_worklist_entry_per_person",
            )
        ]
        indexes = [models.Index(fields=["coordinator", "status"])]
