"""The availability search for each right, over the demo's four weeks of rota.

    uv run python benchmarks/bench_availability.py [--residents 30000] [--searches 300]
        [--database sqlite|postgres|both]

Loads the default demo neighbourhood (its rota: about 40 professionals, four weeks of
sessions, a third to three quarters of the slots booked) into a fresh database, then times
`access.services.find_options` - the usual GP, the surgery's working week and the slots that
meet the right, in the order they are offered - for residents of all three practices at
request times spread from 8am to 9pm, Monday to Saturday: the surgeries' hours, and the evenings
and Saturdays when the neighbourhood centre's GP sessions cover for them. Prints the median and 95th
percentile for each right and, as a baseline measured in the same run, the same figures for
fetching one person by NHS number (the cheapest thing a booking page does).
"""

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from server import ROOT, env_for, summary

RIGHTS = ("same_day", "within_48h", "book_ahead")


def measure(residents: int, searches: int, seed: int) -> dict:
    """In this process, against the database in the environment: load the demo, then time."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oneroof.config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from oneroof.access.models import RotaSession, Slot
    from oneroof.access.services import find_options, practice_gps
    from oneroof.demo import generate_neighbourhood
    from oneroof.people.models import Person

    call_command("migrate", verbosity=0)
    generate_neighbourhood(residents=residents)
    rng = random.Random(seed)
    people = list(
        Person.objects.filter(general_practice__isnull=False)
        .select_related("general_practice")
        .order_by("pk")
    )
    gps = {pk: list(practice_gps(pk)) for pk in {p.general_practice_id for p in people}}
    today = timezone.localdate()
    days = [today + timedelta(days=n) for n in range(28)]
    days = [d for d in days if d.weekday() < 6]  # Saturdays too: the centre's GP sessions
    times: dict[str, list[float]] = {right: [] for right in (*RIGHTS, "baseline")}
    options: dict[str, list[int]] = {right: [] for right in RIGHTS}
    for _ in range(searches):
        person = rng.choice(people)
        day = rng.choice(days)
        at = timezone.make_aware(  # 8am to 9pm: evenings after the surgeries close included
            datetime.combine(day, datetime.min.time()) + timedelta(minutes=rng.randint(480, 1260))
        )
        for right in RIGHTS:
            chosen = rng.choice(gps[person.general_practice_id]) if right == "book_ahead" else None
            started = time.perf_counter()
            found = find_options(person=person, right=right, at=at, chosen_gp=chosen)
            times[right].append((time.perf_counter() - started) * 1000)
            options[right].append(len(found.offer.options))
        started = time.perf_counter()
        Person.objects.get(nhs_number=person.nhs_number)
        times["baseline"].append((time.perf_counter() - started) * 1000)
    return {
        "times": times,
        "options": {right: sorted(counts)[len(counts) // 2] for right, counts in options.items()},
        "professionals": RotaSession.objects.values("professional").distinct().count(),
        "slots": Slot.objects.filter(session__isnull=False).count(),
    }


def run_on(database: str, residents: int, searches: int) -> dict:
    """In a child process, on a fresh SQLite file or a throwaway PostgreSQL cluster."""
    with tempfile.TemporaryDirectory(prefix="oneroof-bench-") as var_dir:
        command = [sys.executable, __file__, "--child", str(residents), str(searches)]
        if database == "postgres":
            command = [str(ROOT / "scripts" / "with-postgres.sh"), *command]
        out = subprocess.run(
            command,
            cwd=ROOT,
            env=env_for(Path(var_dir)),
            check=True,
            capture_output=True,
            text=True,
        )
    return json.loads(out.stdout.strip().splitlines()[-1])


def report(database: str, result: dict, searches: int) -> None:
    print(
        f"Availability search on {database}: {result['professionals']} professionals with "
        f"sessions, {result['slots']:,} slots over 4 weeks, {searches} searches per right"
    )
    for right in (*RIGHTS, "baseline"):
        median, p95 = summary(result["times"][right])
        label = right if right != "baseline" else "baseline (person by NHS number)"
        extra = f"   median options {result['options'][right]}" if right in RIGHTS else ""
        print(f"  {label:<34} median {median:6.2f} ms   p95 {p95:6.2f} ms{extra}")


def main() -> None:
    if sys.argv[1:2] == ["--child"]:
        print(json.dumps(measure(int(sys.argv[2]), int(sys.argv[3]), seed=20_261_125)))
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("--residents", type=int, default=30_000)
    parser.add_argument("--searches", type=int, default=300)
    parser.add_argument("--database", choices=("sqlite", "postgres", "both"), default="both")
    args = parser.parse_args()
    databases = ("sqlite", "postgres") if args.database == "both" else (args.database,)
    for database in databases:
        report(database, run_on(database, args.residents, args.searches), args.searches)


if __name__ == "__main__":
    main()
