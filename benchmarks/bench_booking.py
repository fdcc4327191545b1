"""A booking race through the real HTTP server, on PostgreSQL.

    uv run python benchmarks/bench_booking.py [--clients 64] [--attempts 10000] [--slots 2000]
        [--workers 4] [--pgbench-seconds 15]

Starts a throwaway PostgreSQL cluster (scripts/with-postgres.sh) and gunicorn on 127.0.0.1.
64 clients, each signed in as a receptionist, send 10,000 booking attempts at 2,000 slots:
five attempts at each slot, in slot order, so up to 64 requests race for the same dozen slots
at any moment. Each attempt is the staff page's own booking form (`access:slot_book`, a POST
with a fresh submission id): 302 when it booked, 409 when the slot was taken.

Prints bookings and attempts per second, client-side p50 and p99 latency, and double bookings
counted from the database (slots with more than one active appointment: must be 0). As
ceilings, measured in the same run: the same server answering a trivial authenticated endpoint
(GET /, which only looks up the session and redirects), and PostgreSQL's own TPC-B-like rate
from `pgbench` with the same number of clients. Client, server and database share the machine.
"""

import argparse
import asyncio
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import httpx
from server import ROOT, env_for, gunicorn, manage, percentile, server_ms

USERNAME = "bench.reception"


def setup_data(slots: int, people: int) -> list[tuple[str, int]]:
    """A practice with 20 GPs sharing `slots` slots tomorrow onwards, `people` patients and a
    receptionist; returns (person public id, slot id) pairs' ingredients."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oneroof.config.settings")
    import django

    django.setup()
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from oneroof.access.models import Slot
    from oneroof.people.models import Person
    from oneroof.workforce.models import Neighbourhood, Organisation, Professional, Site

    hood = Neighbourhood.objects.create(code="bench", name="Bench")
    practice = Organisation.objects.create(
        ods_code="B00001", name="Bench Practice", kind="gp_practice", neighbourhood=hood
    )
    site = Site.objects.create(
        name="Bench Practice", organisation=practice, neighbourhood=hood, line="1", postal_code="B"
    )
    users = get_user_model()
    receptionist = users.objects.create_user(USERNAME)
    Professional.objects.create(
        user=receptionist,
        given_name="Bench",
        family_name="Reception",
        profession="receptionist",
        organisation=practice,
    )
    gps = [
        Professional.objects.create(
            user=users.objects.create(username=f"bench.gp{i}"),
            given_name="Bench",
            family_name=f"GP {i}",
            profession="gp",
            organisation=practice,
        )
        for i in range(20)
    ]
    start = timezone.now() + timedelta(days=1)
    per_gp = -(-slots // len(gps))
    made = Slot.objects.bulk_create(
        Slot(
            professional=gps[i % len(gps)],
            site=site,
            start=start + timedelta(minutes=10 * (i // len(gps))),
            end=start + timedelta(minutes=10 * (i // len(gps) + 1)),
            mode="face_to_face",
        )
        for i in range(per_gp * len(gps))
    )[:slots]
    from tests.factories import _nhs_numbers

    numbers = _nhs_numbers()
    Person.objects.bulk_create(
        Person(
            nhs_number=next(numbers),
            given_name=f"Bench{i}",
            family_name="Patient",
            birth_date="1960-01-01",
            gender="female",
            general_practice=practice,
        )
        for i in range(people)
    )
    person_ids = [str(p) for p in Person.objects.values_list("public_id", flat=True)]
    return person_ids, [slot.pk for slot in made]


def double_bookings() -> tuple[int, int]:
    from django.db.models import Count

    from oneroof.access.models import Appointment, AppointmentStatus

    active = Appointment.objects.filter(status__in=AppointmentStatus.active_values())
    doubled = active.values("slot").annotate(n=Count("pk")).filter(n__gt=1).count()
    return doubled, active.count()


def signed_in_cookies(count: int) -> list[dict]:
    """A session of its own for each client, as if each had signed in (without spending half a
    second of password hashing on each), and a CSRF secret for its forms."""
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils.crypto import get_random_string

    user = get_user_model().objects.get(username=USERNAME)
    cookies = []
    for _ in range(count):
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        cookies.append({"sessionid": session.session_key, "csrftoken": get_random_string(32)})
    return cookies


async def load(base: str, cookies: list[dict], jobs: list, send) -> tuple[float, list, list]:
    """Run `jobs` through one client per cookie jar; return the wall time, each request's
    latency and each answer's (status, server time)."""
    pool = [
        httpx.AsyncClient(
            base_url=base,
            timeout=60,
            follow_redirects=False,
            cookies=jar,
            headers={"X-CSRFToken": jar["csrftoken"]},
        )
        for jar in cookies
    ]
    try:
        queue: asyncio.Queue = asyncio.Queue()
        for job in jobs:
            queue.put_nowait(job)
        latencies, answers = [], []

        async def worker(client):
            while not queue.empty():
                job = queue.get_nowait()
                started = time.perf_counter()
                response = await send(client, job)
                latencies.append((time.perf_counter() - started) * 1000)
                answers.append((response.status_code, server_ms(response)))

        started = time.perf_counter()
        await asyncio.gather(*(worker(client) for client in pool))
        return time.perf_counter() - started, latencies, answers
    finally:
        await asyncio.gather(*(client.aclose() for client in pool))


async def book(client: httpx.AsyncClient, job) -> httpx.Response:
    person, slot = job
    return await client.post(
        f"/appointments/people/{person}/book/",
        data={"slot": slot, "submission_id": str(uuid.uuid4())},
    )


async def home(client: httpx.AsyncClient, _job) -> httpx.Response:
    return await client.get("/")


def pgbench(clients: int, seconds: int) -> float:
    """PostgreSQL's TPC-B-like rate on this machine, in a database of its own."""
    url = urlsplit(os.environ["DATABASE_URL"])
    pg_bin = Path(os.environ["PGBIN"])
    connect = ["-h", url.hostname, "-p", str(url.port), "-U", url.username]
    subprocess.run([pg_bin / "createdb", *connect, "pgbench"], check=True)
    subprocess.run(
        [pg_bin / "pgbench", *connect, "-i", "-q", "-s", "10", "pgbench"],
        check=True,
        capture_output=True,
    )
    out = subprocess.run(
        [
            pg_bin / "pgbench",
            *connect,
            "-c",
            str(clients),
            "-j",
            "2",
            "-T",
            str(seconds),
            "pgbench",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return float(re.search(r"tps = ([\d.]+)", out).group(1))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--attempts", type=int, default=10_000)
    parser.add_argument("--slots", type=int, default=2_000)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--pgbench-seconds", type=int, default=15)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        # Start a throwaway cluster and run again inside it; it is removed when we return.
        command = [str(ROOT / "scripts" / "with-postgres.sh"), sys.executable, *sys.argv]
        sys.exit(subprocess.run(command, cwd=ROOT).returncode)

    with tempfile.TemporaryDirectory(prefix="oneroof-bench-") as var_dir:
        env = env_for(Path(var_dir))
        env["DATABASE_URL"] = os.environ["DATABASE_URL"]
        manage("migrate", "--noinput", "-v", "0", env=env)
        people, slots = setup_data(args.slots, max(args.clients * 4, 256))
        per_slot = -(-args.attempts // len(slots))
        jobs = [
            (people[i % len(people)], slots[i // per_slot])
            for i in range(min(args.attempts, per_slot * len(slots)))
        ]
        cookies = signed_in_cookies(args.clients)
        load_before = os.getloadavg()[0]
        with gunicorn(env, workers=args.workers) as base:
            race_s, race_ms, race = asyncio.run(load(base, cookies, jobs, book))
            home_s, home_ms, home_answers = asyncio.run(load(base, cookies, jobs, home))
        doubled, active = double_bookings()
    tps = pgbench(args.clients, args.pgbench_seconds)
    report(args, len(slots), race_s, race_ms, race, home_s, home_ms, home_answers, tps)
    print(
        f"  double bookings       {doubled:8d}   (active appointments in the database: {active:,})"
    )
    print(f"  load average (1 min) before {load_before:.1f}, after {os.getloadavg()[0]:.1f}")
    booked = sum(1 for status, _ in race if status == 302)
    if doubled or booked != len(slots) or any(status not in (302, 409) for status, _ in race):
        sys.exit("The race did not end with exactly one booking per slot.")


def report(args, slots, race_s, race_ms, race, home_s, home_ms, home_answers, tps) -> None:
    by_status: dict[int, list[float]] = {}
    for status, server in race:
        by_status.setdefault(status, []).append(server)
    booked, taken = len(by_status.get(302, [])), len(by_status.get(409, []))
    attempts_per_s, home_per_s = len(race) / race_s, len(home_answers) / home_s
    print(
        f"Booking race: {args.clients} clients, {len(race):,} attempts on {slots:,} slots, "
        f"gunicorn {args.workers} workers, PostgreSQL, {os.cpu_count()} cores"
    )
    print(f"  booked {booked:,}, taken {taken:,}, other {len(race) - booked - taken}, "
          f"in {race_s:.1f} s")  # fmt: skip
    print(f"  bookings per second   {booked / race_s:8.1f}")
    print(f"  attempts per second   {attempts_per_s:8.1f}")
    p50, p99 = statistics.median(race_ms), percentile(race_ms, 0.99)
    print(f"  latency p50 {p50:6.1f} ms   p99 {p99:6.1f} ms (client side, queueing included)")
    for status, label in ((302, "booked (302)"), (409, "taken (409, page shown again)")):
        if by_status.get(status):
            print(f"  server time, {label}: median {statistics.median(by_status[status]):.1f} ms")
    home_other = sum(1 for status, _ in home_answers if status != 302)
    print(
        f"  ceiling 1: trivial authenticated GET / on the same server: {home_per_s:8.1f} req/s "
        f"(p50 {statistics.median(home_ms):.1f} ms, server median "
        f"{statistics.median(server for _, server in home_answers):.1f} ms, non-302 {home_other})"
        f"; attempts / ceiling = {attempts_per_s / home_per_s:.2f}"
    )
    print(
        f"  ceiling 2: pgbench TPC-B-like, {args.clients} clients: {tps:8.1f} tps; "
        f"attempts / tps = {attempts_per_s / tps:.3f}, bookings / tps = {booked / race_s / tps:.4f}"
    )


if __name__ == "__main__":
    main()
