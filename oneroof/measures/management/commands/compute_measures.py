"""Compute the measures from the latest analytic snapshot, now or on a schedule.

    python manage.py compute_measures                  # last complete month, latest snapshot
    python manage.py compute_measures --months 12      # and the 11 before it (trends)
    python manage.py compute_measures --month 2026-05 --snapshot-dir var/snapshots/2026...
    python manage.py compute_measures --every 24       # a scheduler: every 24 hours

The snapshot is the one `find_cases` writes (var/snapshots/<time>/). Prints counts only.
"""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from oneroof.analytics.measures import MEASURES, Period, last_complete_month
from oneroof.measures.models import Trigger
from oneroof.measures.services import NoSnapshot, compute_measures, latest_snapshot


def month(text: str) -> Period:
    try:
        return Period.parse(text)
    except ValueError as error:
        raise CommandError(str(error)) from error


class Command(BaseCommand):
    help = "Compute every measure for each neighbourhood and store the results."

    def add_arguments(self, parser):
        parser.add_argument(
            "--month", type=month, default=None, help="YYYY-MM (default: the last complete month)"
        )
        parser.add_argument(
            "--months", type=int, default=1, help="this many months, ending with --month"
        )
        parser.add_argument(
            "--snapshot-dir", type=Path, default=None, help="default: the newest in var/snapshots"
        )
        parser.add_argument("--threads", type=int, default=None, help="DuckDB threads")
        parser.add_argument(
            "--every", type=float, default=None, help="keep running, every this many hours"
        )

    def handle(self, *args, month, months, snapshot_dir, threads, every, **options):
        if months < 1:
            raise CommandError("--months must be 1 or more")
        while True:
            last = month or last_complete_month(timezone.localdate())
            self._run_once(last.months_back(months), snapshot_dir, threads, every)
            if not every:
                return
            time.sleep(every * 3600)

    def _run_once(self, periods, snapshot_dir, threads, every):
        try:
            directory = snapshot_dir or latest_snapshot()
        except NoSnapshot as error:
            raise CommandError(str(error)) from error
        columns = (
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        started = time.perf_counter()
        with Progress(*columns, transient=True) as progress:
            task = progress.add_task("Measures", total=len(periods) * len(MEASURES))

            def step(description: str, done: int, total: int) -> None:
                progress.update(task, description=description, completed=done, total=total)

            try:
                computed = compute_measures(
                    snapshot_dir=directory,
                    months=periods,
                    trigger=Trigger.SCHEDULE if every else Trigger.ON_DEMAND,
                    step=step,
                    threads=threads,
                )
            except NoSnapshot as error:
                raise CommandError(str(error)) from error
        run = computed.run
        span = (
            periods[0].label if len(periods) == 1 else f"{periods[0].label} to {periods[-1].label}"
        )
        self.stdout.write(
            f"{len(MEASURES)} measures for {span}: {run.results:,} results stored from the "
            f"snapshot of {timezone.localtime(run.snapshot_taken_at):%d %B %Y %H:%M} "
            f"in {time.perf_counter() - started:.1f}s."
        )
        if computed.no_data:
            self.stdout.write(
                f"No data yet for {len(computed.no_data)}: {', '.join(computed.no_data)} "
                "(their tables are absent from the snapshot or empty)."
            )
