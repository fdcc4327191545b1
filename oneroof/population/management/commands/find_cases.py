"""Run case-finding now, or on a schedule.

    python manage.py find_cases                    # once, on demand, for today
    python manage.py find_cases --index-date 2026-06-30 --rules 2026.1
    python manage.py find_cases --every 24         # a scheduler: run every 24 hours

Prints counts only: nothing about any one person.
"""

import time
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from oneroof.analytics.rules import CURRENT_VERSION, RuleSetError
from oneroof.population.models import Trigger
from oneroof.population.services import find_cases


class Command(BaseCommand):
    help = "Find people with complex needs and put those newly found on a worklist."

    def add_arguments(self, parser):
        parser.add_argument("--index-date", type=date.fromisoformat, default=None)
        parser.add_argument("--rules", default=CURRENT_VERSION, help="rule set version")
        parser.add_argument(
            "--snapshot-dir",
            type=Path,
            default=None,
            help="where to write the Parquet snapshot (default: var/snapshots/<time>)",
        )
        parser.add_argument(
            "--every", type=float, default=None, help="keep running, every this many hours"
        )

    def handle(self, *args, index_date, rules, snapshot_dir, every, **options):
        trigger = Trigger.SCHEDULE if every else Trigger.ON_DEMAND
        while True:
            self._run_once(index_date, rules, snapshot_dir, trigger)
            if not every:
                return
            time.sleep(every * 3600)

    def _run_once(self, index_date, rules, snapshot_dir, trigger):
        directory = snapshot_dir or (
            Path(settings.VAR_DIR) / "snapshots" / timezone.now().strftime("%Y%m%dT%H%M%S")
        )
        columns = (
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.percentage:>3.0f}%"),
            TimeElapsedColumn(),
        )
        with Progress(*columns, transient=True) as progress:
            tasks = {}

            def step(what: str, done: int, total: int) -> None:
                if what not in tasks:
                    tasks[what] = progress.add_task(what, total=max(total, 1))
                progress.update(tasks[what], completed=done, total=max(total, 1))

            try:
                summary = find_cases(
                    snapshot_dir=directory,
                    index_date=index_date,
                    trigger=trigger,
                    rule_version=rules,
                    step=step,
                )
            except RuleSetError as error:
                raise CommandError(str(error)) from error
        run = summary.run
        self.stdout.write(
            f"Rules {run.rule_version}: {summary.population:,} residents, "
            f"{summary.cohort:,} with complex needs, {summary.newly_found:,} newly found "
            f"({summary.to_coordinators:,} to their coordinator, "
            f"{summary.to_neighbourhood:,} to the neighbourhood worklist)."
        )
        if run.absent_tables:
            self.stdout.write(f"Not in the snapshot yet (written empty): {run.absent_tables}.")
