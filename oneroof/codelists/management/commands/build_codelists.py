"""Regenerate every codelist CSV from its declared sources (a maintainer's tool).

    python manage.py build_codelists --published PATH

PATH is the folder of published lists a maintainer has downloaded (with `nhsd-qof-refsets/` and
`gm-sde/` inside). Every list is built in memory first; a missing or malformed published file
stops the build before any CSV is written.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from oneroof.codelists.build import (
    SOURCES_FILE,
    BuildError,
    build_all,
    load_definitions,
    write_all,
)
from oneroof.codelists.loader import DATA_DIR


class Command(BaseCommand):
    help = "Build every codelist CSV from sources.toml and a folder of published lists."

    def add_arguments(self, parser):
        parser.add_argument("--published", type=Path, required=True)
        parser.add_argument("--sources", type=Path, default=SOURCES_FILE)
        parser.add_argument("--directory", type=Path, default=DATA_DIR, help="where to write")

    def handle(self, *args, published: Path, sources: Path, directory: Path, **options):
        if not published.is_dir():
            raise CommandError(f"no folder of published lists at {published}")
        columns = (
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        try:
            version, definitions = load_definitions(sources)
            with Progress(*columns, transient=True) as progress:
                task = progress.add_task("Building codelists", total=len(definitions))
                built = build_all(published, definitions, lambda slug: progress.advance(task))
            paths = write_all(built, version, directory)
        except BuildError as error:
            raise CommandError(str(error)) from error
        codes = sum(len(codelist.entries) for codelist in built.values())
        self.stdout.write(f"Wrote {len(paths)} codelists ({codes:,} codes) to {directory}")
