"""Load a SNOMED CT release (RF2 Snapshot), replacing the one loaded before.

    python manage.py load_snomed /path/to/SnomedCT_UKClinicalRF2_PRODUCTION_20250101T000001Z

The folder is the release as downloaded and unzipped (or its Snapshot/Terminology folder).
Nothing changes unless the whole release loads.
"""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from oneroof.codelists.snomed import RF2Error, load_release


class Command(BaseCommand):
    help = "Load a SNOMED CT RF2 Snapshot release (concepts, terms, IS-A relationships)."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="the release folder")

    def handle(self, *args, path: Path, **options):
        columns = (
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.percentage:>3.0f}%"),
            TimeElapsedColumn(),
        )
        started = time.perf_counter()
        with Progress(*columns, transient=True) as progress:
            tasks = {}

            def step(what, done, total):
                if what not in tasks:
                    tasks[what] = progress.add_task(what, total=total)
                progress.update(tasks[what], completed=done)

            try:
                release = load_release(path, step=step)
            except RF2Error as error:
                raise CommandError(f"{error}. Nothing was changed.") from error
        self.stdout.write(
            f"Loaded SNOMED CT {release.version}: {release.concepts:,} concepts "
            f"({release.active_concepts:,} active), {release.is_a_relationships:,} active IS-A "
            f"relationships in {time.perf_counter() - started:.1f} s"
        )
