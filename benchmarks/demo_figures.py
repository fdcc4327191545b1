"""Figures of the demo neighbourhood as case-finding sees it, for docs/demo-neighbourhood.md.

    uv run python benchmarks/demo_figures.py [--residents N] [--seed S] [--old-lists DIR]
        [--old-rules VERSION]

Generates the demo into a fresh SQLite database, takes the analytic snapshot and runs the real
case-finding engine (DuckDB) on it with the repository's codelists, and, given --old-lists, a
second time with the codelist files of DIR (for example an earlier release's
oneroof/codelists/data, extracted with `git archive`) under the rule set version those lists
were made for (--old-rules, 2026.1 by default), on the same snapshot. Prints the eFI
categories among people aged 65+, the complex-needs cohort under each set of lists, the
palliative care register a year ago and today, and continuity for people with a preferred GP.
"""

import argparse
import os
import sys
import tempfile
from collections import Counter, defaultdict
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def casefinding(directory: Path, lists: Path, today, version: str | None = None):
    from oneroof.analytics import engines
    from oneroof.analytics.codelists import read_codelists
    from oneroof.analytics.rules import load_ruleset
    from oneroof.analytics.snapshot import open_snapshot

    con = engines.duckdb_connection()
    return engines.run_casefinding(
        con,
        open_snapshot(con, directory),
        rules=load_ruleset() if version is None else load_ruleset(version),
        codelists=read_codelists(lists),
        index_date=today,
    ).to_pylist()


def report(label: str, rows: list[dict]) -> set[int]:
    older = [r for r in rows if r["age"] >= 65]
    counts = Counter(r["efi_category"] for r in older)
    shares = ", ".join(
        f"{c} {counts[c] / len(older):.1%}" for c in ("fit", "mild", "moderate", "severe")
    )
    cohort = {r["person_id"] for r in rows if r["complex_needs"]}
    print(f"{label}: {len(older):,} aged 65+: {shares}; complex-needs cohort {len(cohort):,}")
    bands = Counter(r.get("need_band") for r in rows if r["complex_needs"])
    if None not in bands:
        print("  by need band: " + ", ".join(f"{b}: {bands[b]:,}" for b in sorted(bands)))
    return cohort


def register_and_continuity(today) -> None:
    from oneroof.access.models import Appointment, UsualGpChoice
    from oneroof.care.models import Condition
    from oneroof.demo.codes import PALLIATIVE
    from oneroof.people.models import Person

    year_ago = today - timedelta(days=365)
    joined = dict(
        Condition.objects.filter(code=PALLIATIVE.code).values_list("person_id", "recorded_date")
    )
    died = {
        p: d.date()
        for p, d in Person.objects.filter(deceased_at__isnull=False).values_list(
            "pk", "deceased_at"
        )
    }

    def on(day):
        return sum(1 for p, d in joined.items() if d <= day and (p not in died or died[p] > day))

    print(
        f"palliative care register: {on(year_ago):,} a year ago, {on(today):,} today; "
        f"{len(died):,} died on it in the year"
    )
    choices = dict(UsualGpChoice.objects.values_list("person_id", "professional_id"))
    seen = defaultdict(list)
    for person, gp in Appointment.objects.filter(
        status="fulfilled", slot__professional__profession="gp", slot__start__date__gte=year_ago
    ).values_list("person_id", "slot__professional_id"):
        if person in choices:
            seen[person].append(gp == choices[person])
    usually = sum(sum(s) * 2 > len(s) for s in seen.values())
    print(
        f"continuity: {usually:,} of {len(seen):,} people with a preferred GP and a GP "
        f"appointment in the year saw that GP for most of them ({usually / len(seen):.0%})"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, default=30_000)
    parser.add_argument("--seed", type=int, default=12_031_944)
    parser.add_argument("--old-lists", type=Path)
    parser.add_argument("--old-rules", default="2026.1")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="oneroof-demo-figures-") as var:
        os.environ["ONEROOF_VAR_DIR"] = var
        os.environ["DATABASE_URL"] = f"sqlite:///{var}/oneroof.sqlite3"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oneroof.config.settings")
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.core.management import call_command
        from django.utils import timezone

        from oneroof.codelists.loader import DATA_DIR
        from oneroof.demo import generate_neighbourhood
        from oneroof.population.snapshot import take_snapshot

        call_command("migrate", verbosity=0)
        today = timezone.localdate()
        generate_neighbourhood(residents=args.residents, seed=args.seed, today=today)
        snapshot = Path(var) / "snapshot"
        take_snapshot(snapshot, today=today)
        print(f"demo neighbourhood, {args.residents:,} residents, seed {args.seed}, {today}")
        new = report("repository's codelists", casefinding(snapshot, DATA_DIR, today))
        if args.old_lists:
            old = report(
                f"lists of {args.old_lists}, rule set {args.old_rules}",
                casefinding(snapshot, args.old_lists, today, args.old_rules),
            )
            print(
                f"the repository's lists find {len(new - old):,} people the old ones do not "
                f"and miss {len(old - new):,} they found ({len(new) - len(old):+,})"
            )
        register_and_continuity(today)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
