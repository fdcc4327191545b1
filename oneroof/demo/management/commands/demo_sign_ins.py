"""manage.py demo_sign_ins: print the demo's sign-ins (what `make run` shows)."""

from django.core.management.base import BaseCommand

from oneroof.demo import DEMO_PASSWORD, DEMO_SIGN_INS


class Command(BaseCommand):
    help = "List the demo sign-ins and their password (development only)."

    def handle(self, *args, **options):
        self.stdout.write(f"Demo sign-ins (password for all: {DEMO_PASSWORD}):")
        width = max(len(username) for username, _ in DEMO_SIGN_INS)
        for username, description in DEMO_SIGN_INS:
            self.stdout.write(f"  {username:<{width}}  {description}")
