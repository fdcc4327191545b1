"""Computing the measures and storing their results.

`compute_measures` reads an analytic snapshot (Parquet, written by the population app's
snapshot writer), runs the measure suite on DuckDB for each month asked for, and stores one
MeasureResult per measure, neighbourhood and month, replacing what an earlier run stored for
the same month. Only counts are stored or logged: nothing about any one person.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from oneroof.analytics import engines
from oneroof.analytics.measures import DEFINITIONS_VERSION, MEASURES, Period, run_measures
from oneroof.analytics.rules import load_ruleset
from oneroof.analytics.snapshot import MANIFEST, SnapshotError, open_snapshot, read_manifest
from oneroof.codelists.catalogue import codelists_in_force
from oneroof.workforce.models import Neighbourhood

from .models import MeasureResult, MeasureRun, RunStatus, Trigger

# step(description, done, total): progress for the management command's bars.
Step = Callable[[str, int, int], None]


class NoSnapshot(Exception):
    """There is no analytic snapshot to compute the measures from."""


def snapshots_dir() -> Path:
    return Path(settings.VAR_DIR) / "snapshots"


def latest_snapshot(directory: Path | None = None) -> Path:
    """The newest complete snapshot (one with a manifest) under var/snapshots."""
    root = directory or snapshots_dir()
    found = sorted(p.parent for p in root.glob(f"*/{MANIFEST}")) if root.is_dir() else []
    if not found:
        raise NoSnapshot(
            f"There is no analytic snapshot in {root}. Take one first: `python manage.py "
            "find_cases` writes one there, or pass --snapshot-dir."
        )
    return found[-1]


@dataclass(frozen=True)
class Computed:
    run: MeasureRun
    months: int
    no_data: tuple[str, ...]  # measures with no data yet (their sources are not in the snapshot)


def compute_measures(
    *,
    snapshot_dir: Path,
    months: Sequence[Period],
    trigger: str = Trigger.ON_DEMAND,
    step: Step | None = None,
    threads: int | None = None,
) -> Computed:
    """Compute every measure for each month and neighbourhood, and store the results."""
    try:
        info = read_manifest(snapshot_dir)
    except (FileNotFoundError, SnapshotError) as error:
        raise NoSnapshot(f"{snapshot_dir} is not an analytic snapshot: {error}") from error
    rules = load_ruleset()
    codelists = codelists_in_force()
    months = sorted(months)
    neighbourhoods = list(Neighbourhood.objects.order_by("pk").values_list("pk", flat=True))
    run = MeasureRun.objects.create(
        trigger=trigger,
        first_month=months[0].start,
        last_month=months[-1].start,
        engine="duckdb",
        definitions_version=DEFINITIONS_VERSION,
        rule_version=rules.version,
        snapshot_taken_at=info.taken_at,
        absent_tables=", ".join(info.absent),
    )
    con = engines.duckdb_connection(threads=threads)
    tables = open_snapshot(con, snapshot_dir)
    total = len(months) * len(MEASURES)
    done = 0
    no_data = set()
    try:
        for period in months:
            description = f"Measures for {period.label}"

            def tick(_measure, description=description):
                nonlocal done
                done += 1
                if step:
                    step(description, done, total)

            results = run_measures(
                con,
                tables,
                period=period,
                rules=rules,
                codelists=codelists,
                neighbourhoods=neighbourhoods,
                absent=info.absent,
                on_measure=tick,
            )
            no_data |= {r.measure for r in results if r.status == "no_data"}
            store_results(run, period, results)
    except Exception:
        MeasureRun.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED, finished_at=timezone.now()
        )
        raise
    finally:
        con.disconnect()
    run.status = RunStatus.DONE
    run.finished_at = timezone.now()
    run.results = run.measure_results.count()
    run.save(update_fields=["status", "finished_at", "results"])
    return Computed(run, len(months), tuple(m.key for m in MEASURES if m.key in no_data))


def store_results(run: MeasureRun, period: Period, results) -> None:
    """Replace the month's stored results for these neighbourhoods with `results` (from
    analytics.measures.run_measures), in one transaction."""
    now = timezone.now()
    rows = [
        MeasureResult(
            run=run,
            measure=r.measure,
            neighbourhood_id=r.neighbourhood_id,
            period_start=period.start,
            period_end=period.end,
            status=r.status,
            missing_sources=list(r.missing_sources),
            cells=r.to_json(),
            computed_at=now,
        )
        for r in results
    ]
    with transaction.atomic():
        MeasureResult.objects.filter(
            period_start=period.start, neighbourhood_id__in={r.neighbourhood_id for r in rows}
        ).delete()
        MeasureResult.objects.bulk_create(rows)
