"""Running case-finding and acting on what it finds."""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from oneroof.analytics import engines
from oneroof.analytics.codelists import read_codelists
from oneroof.analytics.reasons import criteria_met, reasons_for
from oneroof.analytics.rules import CURRENT_VERSION, load_ruleset
from oneroof.analytics.snapshot import open_snapshot
from oneroof.codelists.catalogue import codelists_in_force
from oneroof.people.models import Person
from oneroof.workforce.models import CareTeam

from .models import CohortMember, CohortRun, Trigger, WorklistEntry, WorklistStatus
from .snapshot import take_snapshot

logger = logging.getLogger(__name__)
Step = Callable[[str, int, int], None]  # (what, done, total)


@dataclass(frozen=True)
class RunSummary:
    run: CohortRun
    population: int
    cohort: int
    newly_found: int
    to_coordinators: int
    to_neighbourhood: int


def find_cases(
    *,
    snapshot_dir: Path,
    index_date: date | None = None,
    trigger: str = Trigger.ON_DEMAND,
    rule_version: str = CURRENT_VERSION,
    database: str = ":memory:",
    codelist_dir: Path | None = None,
    step: Step | None = None,
) -> RunSummary:
    """Snapshot the record, run the complex-needs rules on DuckDB, store the cohort with its
    rule version, and put the people newly found on a worklist.

    `snapshot_dir` is where the Parquet snapshot is written; `database` is DuckDB's (a path, or
    in memory). Only counts are logged, never anything about a person."""
    step = step or (lambda what, done, total: None)
    index_date = index_date or timezone.localdate()
    rules = load_ruleset(rule_version)
    codelists = read_codelists(codelist_dir) if codelist_dir else codelists_in_force()
    started_at = timezone.now()
    info = take_snapshot(
        snapshot_dir, today=index_date, progress=lambda d, t: step("Snapshot", d, t)
    )
    step("Case-finding", 0, 1)
    con = engines.duckdb_connection(database)
    try:
        result = engines.run_casefinding(
            con,
            open_snapshot(con, snapshot_dir),
            rules=rules,
            codelists=codelists,
            index_date=index_date,
        )
    finally:
        con.disconnect()
    step("Case-finding", 1, 1)
    # In the rule set's order: by need band first where it has bands (rules.priority).
    cohort = sorted(
        (row for row in result.to_pylist() if row["complex_needs"]), key=lambda r: r["priority"]
    )
    summary = _store(
        cohort,
        population=result.num_rows,
        run=CohortRun(
            started_at=started_at,
            index_date=index_date,
            trigger=trigger,
            rule_version=rules.version,
            rule_fingerprint=rules.fingerprint,
            engine="duckdb",
            snapshot_taken_at=info.taken_at,
            absent_tables=",".join(info.absent),
        ),
        rules=rules,
    )
    step("Storing", 1, 1)
    logger.info(
        "Case-finding run %s (rules %s): %s residents, %s in the cohort, %s newly found",
        summary.run.pk,
        rules.version,
        summary.population,
        summary.cohort,
        summary.newly_found,
    )
    return summary


@transaction.atomic
def _store(cohort: list[dict], *, population: int, run: CohortRun, rules) -> RunSummary:
    previous = CohortRun.objects.filter(finished_at__isnull=False).first()
    run.population = population
    run.cohort_size = len(cohort)
    run.save()
    reasons = {row["person_id"]: "; ".join(reasons_for(row, rules)) for row in cohort}
    CohortMember.objects.bulk_create(
        (
            CohortMember(
                run=run,
                person_id=row["person_id"],
                priority=row["priority"],
                need_band=row["need_band"],
                reasons=reasons[row["person_id"]],
                criteria=criteria_met(row),
                efi_deficits=row["efi_deficits"],
                efi_score=row["efi_score"],
                efi_category=row["efi_category"] or "",
                ltc_count=row["ltc_count"],
                imd_decile=row["imd_decile"],
            )
            for row in cohort
        ),
        batch_size=2_000,
    )
    already = set(WorklistEntry.objects.open().values_list("person_id", flat=True)) | (
        set(previous.members.values_list("person_id", flat=True)) if previous else set()
    )
    new = [row for row in cohort if row["person_id"] not in already]
    ids = [row["person_id"] for row in new]
    coordinators = dict(
        CareTeam.objects.filter(person_id__in=ids, coordinator__isnull=False).values_list(
            "person_id", "coordinator_id"
        )
    )
    neighbourhoods = dict(
        Person.objects.filter(pk__in=ids).values_list("pk", "general_practice__neighbourhood_id")
    )
    WorklistEntry.objects.bulk_create(
        (
            WorklistEntry(
                person_id=row["person_id"],
                coordinator_id=coordinators.get(row["person_id"]),
                neighbourhood_id=neighbourhoods.get(row["person_id"]),
                found_in=run,
                priority=row["priority"],
                need_band=row["need_band"],
                reasons=reasons[row["person_id"]],
                imd_decile=row["imd_decile"],
                efi_deficits=row["efi_deficits"],
                efi_category=row["efi_category"] or "",
            )
            for row in new
        ),
        batch_size=2_000,
    )
    run.newly_found = len(new)
    run.finished_at = timezone.now()
    run.save(update_fields=["newly_found", "finished_at"])
    to_coordinators = sum(1 for pid in ids if pid in coordinators)
    return RunSummary(
        run, population, len(cohort), len(new), to_coordinators, len(new) - to_coordinators
    )


class WorklistEntryClosed(Exception):
    """The entry was already closed another way: the message says how and by whom."""


def may_close(entry: WorklistEntry, professional) -> bool:
    """The person's named coordinator closes their entry; while none is named, anyone in the
    team with a legitimate relationship with the person may (the neighbourhood worklist)."""
    if entry.coordinator_id is not None:
        return entry.coordinator_id == professional.pk
    return Person.objects.visible_to(professional.user).filter(pk=entry.person_id).exists()


@transaction.atomic
def close_worklist_entry(*, entry: WorklistEntry, status: str, by, note: str = "") -> WorklistEntry:
    """Mark a worklist entry contacted or not needed, by its coordinator (see may_close).

    Idempotent: closing an entry again the way it was closed changes nothing, so a form sent
    twice records one outcome; closing it another way raises WorklistEntryClosed."""
    if status not in (WorklistStatus.DONE, WorklistStatus.DISMISSED):
        raise ValueError(f"cannot close a worklist entry as {status}")
    if not may_close(entry, by):
        raise PermissionError("only the person's coordinator closes their worklist entry")
    current = WorklistEntry.objects.select_for_update().get(pk=entry.pk)
    if current.status == status:
        return current
    if current.status != WorklistStatus.OPEN:
        who = f" by {current.closed_by.name}" if current.closed_by else ""
        raise WorklistEntryClosed(
            f"This was already marked as {current.get_status_display().lower()}{who}."
        )
    current.status = status
    current.note = note
    current.closed_at = timezone.now()
    current.closed_by = by
    current.save(update_fields=["status", "note", "closed_at", "closed_by"])
    return current
