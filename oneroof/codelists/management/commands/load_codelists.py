from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from rich.progress import Progress

from oneroof.codelists.loader import (
    DATA_DIR,
    CodelistError,
    codelist_files,
    load_codelist,
    read_codelist,
)


class Command(BaseCommand):
    help = "Load the SNOMED CT codelists (CSV with provenance) into the database."

    def add_arguments(self, parser):
        parser.add_argument("--directory", type=Path, default=DATA_DIR)

    def handle(self, *args, directory: Path, **options):
        paths = codelist_files(directory)
        try:
            # Read and check every file before writing anything.
            files = [read_codelist(path) for path in paths]
        except CodelistError as error:
            raise CommandError(str(error)) from error
        with transaction.atomic(), Progress(transient=True) as progress:
            task = progress.add_task("Loading codelists", total=len(files))
            for codelist_file in files:
                load_codelist(codelist_file)
                progress.advance(task)
        self.stdout.write(
            f"Loaded {len(files)} codelists ({sum(len(f.entries) for f in files):,} codes)"
        )
