"""Benchmark: generating the demo neighbourhood into a fresh SQLite database.

    uv run python benchmarks/bench_demo.py [--residents N] [--seed S]

The generator runs in a child process (after `migrate`, which is not timed), so its peak
memory can be read from the operating system (ru_maxrss). Prints wall time, peak memory and
rows written per second, and as a baseline for this machine the rows per second of the ORM's
bulk_create on the Contact table, with the ratio between the two.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE_ROWS = 50_000


def child(residents: int, seed: int) -> None:
    """Set up Django on the temporary database, migrate, generate, report as JSON."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oneroof.config.settings")
    import django

    django.setup()
    from django.apps import apps
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from oneroof.care.models import Contact
    from oneroof.demo import generate_neighbourhood
    from oneroof.people.models import Person

    call_command("migrate", verbosity=0)

    def total_rows() -> int:
        return sum(model.objects.count() for model in apps.get_models())

    before = total_rows()
    started = time.perf_counter()
    summary = generate_neighbourhood(residents=residents, seed=seed)
    seconds = time.perf_counter() - started
    rows = total_rows() - before

    # Baseline: the ORM's bulk_create of plain rows, rolled back afterwards.
    someone = Person.objects.filter(nhs_number="9434765919").get()  # Mrs Patel
    professional = someone.contacts.first().professional
    baseline_started = time.perf_counter()
    with transaction.atomic():
        Contact.objects.bulk_create(
            (
                Contact(
                    person=someone,
                    professional=professional,
                    mode="phone",
                    occurred_at=timezone.now(),
                    summary="Baseline row.",
                )
                for _ in range(BASELINE_ROWS)
            ),
            batch_size=5_000,
        )
        transaction.set_rollback(True)
    baseline_seconds = time.perf_counter() - baseline_started
    print(
        json.dumps(
            {
                "residents": summary.residents,
                "complex": summary.with_complex_needs,
                "seconds": seconds,
                "rows": rows,
                "baseline_rows_per_second": BASELINE_ROWS / baseline_seconds,
            }
        )
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, default=30_000)
    parser.add_argument("--seed", type=int, default=12_031_944)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.residents, args.seed)
        return 0
    with tempfile.TemporaryDirectory(prefix="oneroof-bench-demo-") as var:
        env = {
            **os.environ,
            "ONEROOF_VAR_DIR": var,
            "DATABASE_URL": f"sqlite:///{var}/oneroof.sqlite3",
        }
        started = time.perf_counter()
        result = subprocess.run(
            [
                sys.executable,
                __file__,
                "--child",
                "--residents",
                str(args.residents),
                "--seed",
                str(args.seed),
            ],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        elapsed = time.perf_counter() - started
        if result.returncode != 0:
            sys.stderr.write(result.stderr)
            return result.returncode
        figures = json.loads(result.stdout.strip().splitlines()[-1])
        size = sum(f.stat().st_size for f in Path(var).iterdir()) / 2**20
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # Linux: KiB
    rate = figures["rows"] / figures["seconds"]
    print(
        f"demo neighbourhood, SQLite, {figures['residents']:,} residents "
        f"({figures['complex']:,} with complex needs)"
    )
    print(
        f"  generator wall time   {figures['seconds']:8.1f} s   (child process {elapsed:.1f} s "
        "including migrate)"
    )
    print(f"  peak memory (RSS)     {peak_mb:8.0f} MiB")
    print(f"  rows written          {figures['rows']:8,}   ({rate:,.0f} rows/s)")
    print(f"  database size         {size:8.0f} MiB")
    print(
        f"  baseline: ORM bulk_create {figures['baseline_rows_per_second']:,.0f} rows/s; "
        f"ratio generator/baseline {rate / figures['baseline_rows_per_second']:.1f}x"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
