"""Stored measure results: one row per measure, neighbourhood and month.

A MeasureRun is one computation (on a schedule or on demand): which snapshot it read, the
definitions and rule versions, the engine. A MeasureResult holds the counts of one measure for
one neighbourhood and month, total and breakdowns, as the analytics package returns them
(`cells`). Values, intervals and disclosure control are derived from the counts when shown, by
the same pure functions everywhere. Nothing here is about any one person.
"""

from django.db import models
from django.utils import timezone

from oneroof.analytics.measures import MeasureResult as Result
from oneroof.analytics.measures import Period


class Trigger(models.TextChoices):
    SCHEDULE = "schedule", "On schedule"
    ON_DEMAND = "on_demand", "On demand"


class RunStatus(models.TextChoices):
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class MeasureRun(models.Model):
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    trigger = models.CharField(max_length=10, choices=Trigger.choices)
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.RUNNING)
    first_month = models.DateField()
    last_month = models.DateField()
    engine = models.CharField(max_length=20)
    definitions_version = models.CharField(max_length=20)
    rule_version = models.CharField(max_length=40)
    snapshot_taken_at = models.DateTimeField(null=True, blank=True)
    absent_tables = models.CharField(max_length=300, blank=True)
    results = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"Measure run {self.pk} ({self.first_month:%Y-%m} to {self.last_month:%Y-%m})"


class MeasureResultQuerySet(models.QuerySet):
    def for_neighbourhood(self, neighbourhood):
        return self.filter(neighbourhood=neighbourhood)

    def for_month(self, period: Period):
        return self.filter(period_start=period.start)

    def months(self):
        """The months with results, newest first, as Periods."""
        starts = self.order_by("-period_start").values_list("period_start", flat=True).distinct()
        return [Period.containing(start) for start in starts]


class Status(models.TextChoices):
    OK = "ok", "Computed"
    NO_DATA = "no_data", "No data yet"


class MeasureResult(models.Model):
    run = models.ForeignKey(MeasureRun, on_delete=models.CASCADE, related_name="measure_results")
    measure = models.CharField(max_length=60)  # a key of analytics.measures.MEASURES
    neighbourhood = models.ForeignKey(
        "workforce.Neighbourhood", on_delete=models.CASCADE, related_name="measure_results"
    )
    period_start = models.DateField()
    period_end = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices)
    missing_sources = models.JSONField(default=list, blank=True)
    # {"total": [units, numerator, sum_squares], "breakdowns": {breakdown: {group: [...]}},
    #  "labels": {breakdown: {group: label}}}: counts only.
    cells = models.JSONField(default=dict)
    computed_at = models.DateTimeField(default=timezone.now)

    objects = MeasureResultQuerySet.as_manager()

    class Meta:
        ordering = ["neighbourhood", "measure", "period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "neighbourhood", "period_start"],
                name="one_result_per_measure_neighbourhood_month",
            )
        ]
        indexes = [models.Index(fields=["neighbourhood", "period_start"])]

    def __str__(self) -> str:
        return f"{self.measure} for neighbourhood {self.neighbourhood_id}, {self.period_start}"

    @property
    def period(self) -> Period:
        return Period(self.period_start, self.period_end)

    def to_result(self) -> Result:
        fields = {
            "measure": self.measure,
            "neighbourhood_id": self.neighbourhood_id,
            "period": self.period,
            "status": self.status,
            "missing_sources": tuple(self.missing_sources),
        }
        if not self.cells:
            return Result(**fields)
        return Result.from_json(self.cells, **fields)
