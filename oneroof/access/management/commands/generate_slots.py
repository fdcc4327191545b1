"""manage.py generate_slots: cut the rota's sessions into bookable slots."""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from oneroof.access.models import RotaSession
from oneroof.access.slots import generate_slots


class Command(BaseCommand):
    help = "Make the slots of rota sessions that have none yet, from today for --days days."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=28, help="how far ahead (default 28)")

    def handle(self, *args, days, **options):
        today = timezone.localdate()
        sessions = RotaSession.objects.filter(
            date__gte=today, date__lt=today + timedelta(days=days), slots_generated_at__isnull=True
        ).order_by("date", "start")
        total = sessions.count()
        with Progress(
            TextColumn("Making slots"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            disable=options["verbosity"] == 0,
        ) as bar:
            task = bar.add_task("sessions", total=total)
            made = generate_slots(sessions.iterator(), progress=lambda n: bar.advance(task, n))
        self.stdout.write(f"Made {made:,} slots from {total:,} sessions.")
