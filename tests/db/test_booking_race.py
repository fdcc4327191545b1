"""No slot is ever double-booked, however many threads and processes race for it.

Each racer tries to book every slot for its own person. Exactly one booking per slot wins; every
other attempt gets a clear SlotTaken; and nothing is lost: attempts = bookings + taken answers.
The count of bookings per slot is read back from the database, not from the racers.
"""

import json
import os
import subprocess
import sys
import threading
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from oneroof.access.models import Appointment, AppointmentStatus
from oneroof.access.services import SlotTaken, book_appointment
from tests.db.access_factories import make_surgery

ROOT = Path(__file__).absolute().parents[2]
HELPER = Path(__file__).with_name("booking_race.py")


@pytest.mark.django_db(transaction=True)
def test_booking_race_threads_book_each_slot_once():
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip(
            "The in-memory SQLite test database shares one cache between threads, which "
            "reports locks instead of waiting; SQLite is raced on a file, in processes, below."
        )
    surgery = make_surgery()
    start = timezone.now() + timedelta(days=1)
    slots = [surgery.slot(surgery.dr_hughes, start + timedelta(minutes=10 * i)) for i in range(25)]
    threads = 16
    people = [surgery.patient() for _ in range(threads)]
    barrier = threading.Barrier(threads)
    outcomes: list[str] = []
    lock = threading.Lock()

    def racer(person):
        barrier.wait()
        for slot in slots:
            try:
                book_appointment(
                    slot=slot,
                    person=person,
                    by=surgery.receptionist.user,
                    submission_id=uuid.uuid4(),
                )
                outcome = "booked"
            except SlotTaken:
                outcome = "taken"
            except Exception as error:  # noqa: BLE001 - anything else is the failure to see
                outcome = repr(error)
            with lock:
                outcomes.append(outcome)
        connection.close()

    pool = [threading.Thread(target=racer, args=(p,)) for p in people]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()

    attempts = len(slots) * threads
    assert len(outcomes) == attempts
    assert outcomes.count("booked") == len(slots)
    assert outcomes.count("taken") == attempts - len(slots)
    per_slot = (
        Appointment.objects.filter(status__in=AppointmentStatus.active_values())
        .values("slot")
        .annotate(n=Count("pk"))
    )
    assert sorted(row["n"] for row in per_slot) == [1] * len(slots)


def _database_env(tmp_path) -> dict:
    """Where the racing processes find the database: for PostgreSQL, this test's database; for
    SQLite a file of their own (the in-memory test database is not reachable from another
    process), in WAL mode as `make run` uses it."""
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="oneroof.config.settings")
    if connection.vendor == "sqlite":
        env.pop("DATABASE_URL", None)
        env["ONEROOF_VAR_DIR"] = str(tmp_path)
    else:
        db = connection.settings_dict
        env["DATABASE_URL"] = (
            f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
        )
    return env


def _helper_runner(env):
    """A function that runs the race helper (or manage.py) in a child process on `env`'s
    database, migrated first when it is a SQLite file, and returns what it printed."""

    def run(*args):
        return subprocess.run(
            [sys.executable, *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
        ).stdout

    if connection.vendor == "sqlite":
        run("manage.py", "migrate", "-v", "0")
    return run


def _race_in_processes(env, command: str, processes: int, threads: int) -> list[dict]:
    """Start every racing process at once and collect each one's counts."""
    racers = [
        subprocess.Popen(
            [sys.executable, str(HELPER), command, str(worker), str(threads)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        for worker in range(processes)
    ]
    return [json.loads(racer.communicate(timeout=120)[0]) for racer in racers]


@pytest.mark.django_db(transaction=True)
def test_booking_race_processes_book_each_slot_once(tmp_path):
    """Five processes of four threads each, as gunicorn's workers would race."""
    env = _database_env(tmp_path)
    slots, processes, threads = 25, 5, 4

    run = _helper_runner(env)
    run(str(HELPER), "setup", str(slots), str(processes * threads))
    results = _race_in_processes(env, "race", processes, threads)

    assert [r["errors"] for r in results] == [[]] * processes
    attempts = sum(r["attempts"] for r in results)
    booked = sum(r["booked"] for r in results)
    assert attempts == slots * processes * threads == booked + sum(r["taken"] for r in results)
    assert booked == slots
    assert json.loads(run(str(HELPER), "count", "0", "0")) == [1] * slots


# --- one request, one booking ----------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_booking_race_threads_book_one_request_once():
    """Four offered options of one request posted at once (four tabs): one appointment."""
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip(
            "The in-memory SQLite test database shares one cache between threads, which "
            "reports locks instead of waiting; SQLite is raced on a file, in processes, below."
        )
    from oneroof.access.models import AccessRequest, Channel, Outcome
    from oneroof.access.services import BookingError

    surgery = make_surgery()
    person = surgery.patient()
    start = timezone.now() + timedelta(hours=3)
    slots = [surgery.slot(surgery.dr_hughes, start + timedelta(minutes=10 * i)) for i in range(8)]
    record = AccessRequest.objects.create(
        person=person,
        practice=surgery.practice,
        right="within_48h",
        requested_at=timezone.now(),
        channel=Channel.RECEPTION,
        requested_by=surgery.receptionist.user,
        outcome=Outcome.OFFERED,
        options_offered=len(slots),
    )
    barrier = threading.Barrier(len(slots))
    outcomes: list[str] = []
    lock = threading.Lock()

    def racer(slot):
        barrier.wait()
        try:
            book_appointment(
                slot=slot,
                person=person,
                by=surgery.receptionist.user,
                submission_id=uuid.uuid4(),
                access_request=record,
            )
            outcome = "booked"
        except BookingError as error:
            outcome = "refused" if "already been booked" in str(error) else repr(error)
        except Exception as error:  # noqa: BLE001 - anything else is the failure to see
            outcome = repr(error)
        with lock:
            outcomes.append(outcome)
        connection.close()

    pool = [threading.Thread(target=racer, args=(slot,)) for slot in slots]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()

    assert sorted(outcomes) == ["booked"] + ["refused"] * (len(slots) - 1)
    booked = Appointment.objects.filter(person=person, status__in=AppointmentStatus.active_values())
    assert booked.count() == 1
    record.refresh_from_db()
    assert (record.outcome, record.appointment) == (Outcome.MET, booked.get())


@pytest.mark.django_db(transaction=True)
def test_booking_race_processes_book_one_request_once(tmp_path):
    """Four processes of two threads each book the request's eight options at once."""
    env = _database_env(tmp_path)
    processes, threads = 4, 2

    run = _helper_runner(env)
    run(str(HELPER), "setup", str(processes * threads), "1")
    run(str(HELPER), "ask", "0", "0")
    results = _race_in_processes(env, "race-request", processes, threads)

    assert [r["errors"] for r in results] == [[]] * processes
    assert sum(r["taken"] for r in results) == 0  # every thread had a slot of its own
    assert sum(r["booked"] for r in results) == 1
    assert sum(r["refused"] for r in results) == processes * threads - 1
    assert json.loads(run(str(HELPER), "booked", "0", "0")) == 1
