"""`make bench`: every benchmark in turn, each printing its figures and its baseline ratios."""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent
BENCHMARKS = [
    "bench_demo.py",
    "bench_record.py",
    "bench_casefinding.py",
    "bench_measures.py",
    "bench_fhir.py",
    "bench_availability.py",
    "bench_booking.py",
    "bench_snomed.py",
]


def main() -> int:
    for name in BENCHMARKS:
        print(f"\n=== {name}", flush=True)
        result = subprocess.run([sys.executable, str(HERE / name)], cwd=HERE.parent)
        if result.returncode != 0:
            print(f"{name} failed with exit code {result.returncode}", file=sys.stderr)
            return result.returncode
    return 0


if __name__ == "__main__":
    sys.exit(main())
