"""manage.py export_oruk FILE: write the service directory as Open Referral UK JSON."""

import json

from django.core.management.base import BaseCommand

from oneroof.referrals.openreferral import export_directory


class Command(BaseCommand):
    help = "Export the service directory as an Open Referral UK (HSDS 3.0 UK profile) page."

    def add_arguments(self, parser):
        parser.add_argument("path", help="the JSON file to write ('-' for standard output)")

    def handle(self, *args, path, **options):
        text = json.dumps(export_directory(), indent=2, ensure_ascii=False)
        if path == "-":
            self.stdout.write(text)
            return
        with open(path, "w", encoding="utf-8") as out:
            out.write(text + "\n")
        if options["verbosity"]:
            self.stdout.write(f"Wrote the directory to {path}.")
