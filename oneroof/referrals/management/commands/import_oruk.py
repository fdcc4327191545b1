"""manage.py import_oruk FILE: load services from an Open Referral UK file, all or nothing."""

import json

from django.core.management.base import BaseCommand, CommandError

from oneroof.referrals.openreferral import OrukError, import_directory
from oneroof.workforce.models import Neighbourhood


class Command(BaseCommand):
    help = (
        "Create or update services from an Open Referral UK JSON file. If anything in the file "
        "is wrong, nothing is imported and every problem is listed."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the Open Referral UK JSON file")
        parser.add_argument(
            "--neighbourhood",
            help="code of the neighbourhood the services belong to (needed when there are several)",
        )

    def _neighbourhood(self, code):
        if code:
            try:
                return Neighbourhood.objects.get(code=code)
            except Neighbourhood.DoesNotExist:
                raise CommandError(f"There is no neighbourhood with code {code!r}.") from None
        hoods = list(Neighbourhood.objects.all()[:2])
        if len(hoods) != 1:
            raise CommandError("Say which neighbourhood with --neighbourhood.")
        return hoods[0]

    def handle(self, *args, path, neighbourhood, **options):
        hood = self._neighbourhood(neighbourhood)
        try:
            with open(path, encoding="utf-8-sig") as source:
                document = json.load(source)
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise CommandError(f"Could not read {path} as JSON: {error}") from None
        try:
            summary = import_directory(document, neighbourhood=hood)
        except OrukError as error:
            raise CommandError(
                "Nothing was imported:\n" + "\n".join(f"  {e}" for e in error.errors)
            ) from None
        if options["verbosity"]:
            self.stdout.write(
                f"Imported {len(summary.created)} new and {len(summary.updated)} updated services."
            )
