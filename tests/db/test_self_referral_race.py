"""Self-referrals racing on one new NHS number (issue 10): each post makes its own referral
and none is lost to a server error. Before, each one tried to create a Person for the number,
and the loser of the race got a 500 on PostgreSQL; now no referral makes a record.

Threads on this test's database (PostgreSQL; the in-memory SQLite test database cannot be
shared between threads), and processes on a database file of their own for SQLite, through
the race helper (tests/db/booking_race.py)."""

import json
import threading
import uuid

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from oneroof.people.models import Person
from oneroof.referrals.models import Referral
from tests.db.test_booking_race import HELPER, _database_env, _helper_runner, _race_in_processes
from tests.referral_factories import ServiceFactory

NUMBER = "9990000026"  # held by nobody


def _form(n: int) -> dict:
    return {
        "submission_id": str(uuid.uuid4()),
        "nhs_number": NUMBER,
        "birth_date_0": "17",
        "birth_date_1": "5",
        "birth_date_2": "1990",
        "given_name": f"Racer{n}",
        "family_name": "Example",
        "reason": "My knee hurts on the stairs",
    }


@pytest.mark.django_db(transaction=True)
def test_two_self_referrals_with_one_new_nhs_number_at_once_make_two_referrals():
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip(
            "The in-memory SQLite test database shares one cache between threads, which "
            "reports locks instead of waiting; SQLite is raced on a file, in processes, below."
        )
    service = ServiceFactory(name="MSK physiotherapy", accepts_self_referral=True)
    url = reverse("self_referral:self_refer", kwargs={"public_id": service.public_id})
    racers = 2
    barrier = threading.Barrier(racers)
    outcomes: list = []
    lock = threading.Lock()

    def racer(n: int) -> None:
        client = Client(REMOTE_ADDR=f"192.0.2.{n + 1}")
        barrier.wait()
        try:
            outcome = client.post(url, _form(n)).status_code
        except Exception as error:  # noqa: BLE001 - anything else is the failure to see
            outcome = repr(error)
        with lock:
            outcomes.append(outcome)
        connection.close()

    pool = [threading.Thread(target=racer, args=(n,)) for n in range(racers)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()

    assert outcomes == [302] * racers
    names = sorted(Referral.objects.filter(nhs_number=NUMBER).values_list("given_name", flat=True))
    assert names == ["Racer0", "Racer1"]
    assert not Person.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_self_referrals_with_one_new_nhs_number_race_in_processes(tmp_path):
    """Two processes of two threads each: four posts, four referrals, no record, no error."""
    env = _database_env(tmp_path)
    processes, threads = 2, 2

    run = _helper_runner(env)
    run(str(HELPER), "refer-setup", "0", "0")
    results = _race_in_processes(env, "refer-race", processes, threads)

    assert [r["errors"] for r in results] == [[]] * processes
    assert sum(r["sent"] for r in results) == processes * threads
    assert json.loads(run(str(HELPER), "referrals", "0", "0")) == [processes * threads, 0]
