"""manage.py load_demo: create the demo neighbourhood (development only).

python manage.py load_demo --if-empty --with-measures    # what `make run` does
"""

import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from oneroof.demo.generator import DEFAULT_RESIDENTS, DEFAULT_SEED, generate_neighbourhood
from oneroof.people.models import Person

MEASURE_MONTHS = 12  # a year, so the measures pages show a trend


class Command(BaseCommand):
    help = "Create the synthetic demo neighbourhood (Mrs Patel and her neighbours)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--residents",
            type=int,
            default=DEFAULT_RESIDENTS,
            help=f"how many residents (default {DEFAULT_RESIDENTS:,})",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help="random seed: the same seed on the same day gives the same data",
        )
        parser.add_argument(
            "--with-measures",
            action="store_true",
            help=f"then run case-finding and compute the last {MEASURE_MONTHS} months' measures",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing if the database already has residents",
        )

    def handle(self, *args, residents, seed, if_empty, with_measures, **options):
        if Person.objects.exists():
            if if_empty:
                self.stdout.write("The database already has residents: demo not loaded.")
                return
            raise CommandError(
                "The database already has residents. Use a fresh database, or --if-empty."
            )
        started = time.perf_counter()
        with Progress(
            TextColumn("Creating the demo neighbourhood"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            disable=options["verbosity"] == 0,
        ) as bar:
            task = bar.add_task("residents", total=residents)
            summary = generate_neighbourhood(
                residents=residents,
                seed=seed,
                progress=lambda done, total: bar.update(task, completed=done, total=total),
            )
        self.stdout.write(
            f"Created {summary.residents:,} residents ({summary.with_complex_needs:,} with "
            f"complex needs) in {time.perf_counter() - started:.1f}s."
        )
        if with_measures:
            # So that the worklists and the measures pages have something to show at once.
            options = {"stdout": self.stdout, "verbosity": options["verbosity"]}
            call_command("find_cases", **options)
            call_command("compute_measures", months=MEASURE_MONTHS, **options)
