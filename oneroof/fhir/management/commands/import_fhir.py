import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from oneroof.fhir.importer import Options, Settings, bundle_paths, import_bundle
from oneroof.fhir.importer.files import read_json
from oneroof.fhir.importer.report import CREATED, SKIPPED, UNCHANGED, UPDATED, BundleReport
from oneroof.fhir.outcomes import Issue
from oneroof.workforce.models import Neighbourhood, OrganisationKind, Profession

OUTCOMES = (CREATED, UPDATED, UNCHANGED, SKIPPED)


class Command(BaseCommand):
    help = (
        "Import FHIR R4 transaction or collection Bundles (files or folders; .json or .json.gz). "
        "Each Bundle is imported whole or not at all; importing it again changes nothing. "
        "Prints a report per Bundle: what was created, updated, unchanged or skipped, and why."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path)
        parser.add_argument(
            "--source",
            default="",
            help="The sending system (the identity of its resource ids); defaults to each "
            "Bundle's meta.source, else 'fhir-import'",
        )
        parser.add_argument(
            "--neighbourhood",
            default="imported",
            help="Neighbourhood code for imported organisations (made if missing)",
        )
        parser.add_argument(
            "--organisation-kind",
            default=OrganisationKind.COMMUNITY_TRUST,
            choices=OrganisationKind.values,
            help="Kind of organisation when the source does not say",
        )
        parser.add_argument(
            "--profession",
            default=Profession.GP,
            choices=Profession.values,
            help="Profession of imported practitioners when the source does not say",
        )
        parser.add_argument("--strict", action="store_true", help="Fail a Bundle on any skip")
        parser.add_argument("--report", type=Path, help="Write every Bundle's report as JSON")

    def handle(self, *args, paths, report, **options):
        missing = [str(p) for p in paths if not p.exists()]
        if missing:
            raise CommandError(f"No such file or folder: {', '.join(missing)}")
        files = bundle_paths(paths)
        if not files:
            raise CommandError("No .json or .json.gz files found")
        neighbourhood, _ = Neighbourhood.objects.get_or_create(
            code=options["neighbourhood"],
            defaults={"name": "Imported from other systems"},
        )
        console = Console(file=self.stdout, highlight=False)
        reports = []
        columns = (
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        with Progress(*columns, console=console) as progress:
            task = progress.add_task("Importing bundles", total=len(files))
            for path in files:
                result = self.import_file(path, neighbourhood, options)
                reports.append(result)
                mark = "[green]✓[/green]" if result.ok else "[red]✗[/red]"
                progress.console.print(f"{mark} {path.name}: {result.summary()}")
                progress.advance(task)
        console.print(totals_table(reports))
        console.print(reasons_table(reports))
        failed = [r for r in reports if not r.ok]
        if report:
            report.write_text(json.dumps([r.as_dict() for r in reports], indent=2))
            console.print(f"Report written to {report}")
        if failed:
            raise CommandError(
                f"{len(failed)} of {len(reports)} bundles failed; nothing of them was written"
            )

    def import_file(self, path: Path, neighbourhood, options) -> BundleReport:
        try:
            bundle = read_json(path)
        except ValueError as error:
            result = BundleReport(str(path))
            result.errors.append(Issue("error", "invalid", str(error)))
            return result
        meta_source = (bundle.get("meta") or {}).get("source") if isinstance(bundle, dict) else None
        source = options["source"] or meta_source or "fhir-import"
        settings = Settings(
            Options(
                source=source,
                organisation_kind=options["organisation_kind"],
                profession=options["profession"],
            ),
            neighbourhood,
            strict=options["strict"],
        )
        return import_bundle(bundle, name=str(path), settings=settings)


def totals_table(reports: list[BundleReport]) -> Table:
    """Every bundle added up, by resource type and outcome."""
    table = Table(title=f"{len(reports)} bundles, {sum(not r.ok for r in reports)} failed")
    table.add_column("resource")
    for outcome in OUTCOMES:
        table.add_column(outcome, justify="right")
    totals: dict = {}
    for result in reports:
        for (kind, outcome), n in result.outcomes.items():
            totals.setdefault(kind, {}).setdefault(outcome, 0)
            totals[kind][outcome] += n
    for kind in sorted(totals):
        table.add_row(kind, *(f"{totals[kind].get(o, 0):,}" for o in OUTCOMES))
    return table


def reasons_table(reports: list[BundleReport], limit: int = 20) -> Table:
    """Why resources were skipped, most common first."""
    reasons: dict = {}
    for result in reports:
        for key, n in result.skipped.items():
            reasons[key] = reasons.get(key, 0) + n
    table = Table(title=f"Skipped, and why (the {limit} commonest reasons; --report has all)")
    table.add_column("resource")
    table.add_column("reason")
    table.add_column("count", justify="right")
    for (kind, reason), n in sorted(reasons.items(), key=lambda item: -item[1])[:limit]:
        table.add_row(kind, reason, f"{n:,}")
    return table
