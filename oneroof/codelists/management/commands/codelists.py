"""The codelists in force, one list's codes, and expanding a deployment's definitions.

python manage.py codelists                          # every list: source, version, size
python manage.py codelists show ltc-diabetes        # its codes, as CSV (code,term)
python manage.py codelists expand DEFINITIONS_DIR   # expand *.toml against the loaded
                                                    # SNOMED CT release, into
                                                    # ONEROOF_CODELISTS_DIR (or --into)
"""

import csv
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from rich.progress import Progress

from oneroof.analytics.codelists import CodelistFormatError, read_codelist
from oneroof.codelists import loader
from oneroof.codelists.catalogue import catalogue, local_directory, provenance
from oneroof.codelists.snomed import (
    DefinitionError,
    expand,
    loaded_release,
    read_definitions,
    write_expansions,
)


class Command(BaseCommand):
    help = "List the codelists in force, show one as CSV, or expand SNOMED CT definitions."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action")
        actions.add_parser("list", help="every list with its source, version and size")
        show = actions.add_parser("show", help="one list's codes as CSV (code,term)")
        show.add_argument("name", help="the list's name (its slug, e.g. ltc-diabetes)")
        expand_ = actions.add_parser("expand", help="expand definitions (*.toml)")
        expand_.add_argument("definitions", type=Path, help="the folder of definitions")
        expand_.add_argument(
            "--into", type=Path, default=None, help="default: ONEROOF_CODELISTS_DIR"
        )

    def handle(self, *args, action=None, **options):
        try:
            if action == "show":
                return self.show(options["name"])
            if action == "expand":
                return self.expand(options["definitions"], options["into"])
            return self.list()
        except (CodelistFormatError, loader.CodelistError, DefinitionError) as error:
            raise CommandError(str(error)) from error

    def list(self):
        release = loaded_release()
        local = local_directory()
        self.stdout.write(
            f"SNOMED CT release loaded: {release.version}"
            if release
            else "SNOMED CT release loaded: none"
        )
        self.stdout.write(
            f"Local codelists: {local}"
            if local
            else "Local codelists: none (ONEROOF_CODELISTS_DIR is not set)"
        )
        rows, stale = [("name", "codes", "version", "origin", "source")], []
        for slug, item in catalogue().items():
            codelist = read_codelist(item.path)
            rows.append((slug, str(len(codelist.codes)), codelist.version, item.origin))
            rows[-1] += (codelist.source,)
            expanded_against = provenance(item.path).get("release")
            if expanded_against and (not release or expanded_against != release.version):
                stale.append(slug)
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        for row in rows:
            cells = [cell.ljust(width) for cell, width in zip(row[:4], widths, strict=True)]
            self.stdout.write("  ".join([*cells, row[4]]))
        for slug in stale:
            self.stderr.write(
                f"{slug} was expanded against another SNOMED CT release than the one loaded: "
                "run `manage.py codelists expand` again."
            )

    def show(self, name: str):
        listed = catalogue()
        if name not in listed:
            raise CommandError(
                f"There is no codelist called {name!r}. `manage.py codelists` lists them all."
            )
        codelist = loader.read_codelist(listed[name].path)
        writer = csv.writer(self.stdout, lineterminator="\n")
        writer.writerow(["code", "term"])
        writer.writerows(codelist.entries)

    def expand(self, definitions_dir: Path, into: Path | None):
        into = into or local_directory()
        if into is None:
            raise CommandError(
                "Where should the expanded lists go? Set ONEROOF_CODELISTS_DIR (the folder "
                "case-finding and the measures read a deployment's own lists from), or pass "
                "--into."
            )
        release = loaded_release()
        if release is None:
            raise CommandError("No SNOMED CT release is loaded: run `manage.py load_snomed`.")
        definitions = read_definitions(definitions_dir)
        with Progress(transient=True) as progress:
            task = progress.add_task("Expanding", total=len(definitions))
            expansions = []
            for definition in definitions:  # every one expands before any is written
                expansions.append(expand(definition, release))
                progress.advance(task)
        write_expansions(expansions, into, today=timezone.localdate())
        bundled = {path.stem: path for path in loader.codelist_files()}
        for expansion in expansions:
            slug = expansion.definition.slug
            line = f"{slug}: {len(expansion.entries):,} codes, SNOMED CT {release.version}"
            if slug in bundled:
                line += self._against_bundled(expansion, bundled[slug])
            self.stdout.write(line)
        lists = "list" if len(expansions) == 1 else "lists"
        self.stdout.write(f"Wrote {len(expansions)} {lists} to {into}")

    @staticmethod
    def _against_bundled(expansion, path: Path) -> str:
        """A list that replaces a bundled one says how many of the bundled codes it leaves out:
        people coded with those would no longer be found."""
        codes = read_codelist(path).codes
        missing = sorted(codes - {code for code, _ in expansion.entries}, key=int)
        text = f" (replaces the bundled list of {len(codes):,} codes"
        if not missing:
            return text + ", and holds every one of them)"
        shown = ", ".join(missing[:10]) + (", ..." if len(missing) > 10 else "")
        return text + f"; WARNING: {len(missing):,} of them are not in it: {shown})"
