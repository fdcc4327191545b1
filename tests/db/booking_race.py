"""A booking race run in its own process, so that several processes (as gunicorn's workers
are) race for the same slots of one database. Used by tests/db/test_booking_race.py.

    python tests/db/booking_race.py setup SLOTS PEOPLE   # a GP, her slots, people to book
    python tests/db/booking_race.py race WORKER THREADS  # every thread tries every slot
    python tests/db/booking_race.py count 0 0            # active appointments per slot
    python tests/db/booking_race.py ask 0 0              # one within_48h request, first person
    python tests/db/booking_race.py race-request WORKER THREADS  # each thread: its own slot,
                                                         # under that one request
    python tests/db/booking_race.py booked 0 0           # active appointments of that person
    python tests/db/booking_race.py refer-setup 0 0      # a service taking self-referrals
    python tests/db/booking_race.py refer-race WORKER THREADS  # every thread posts /refer/
                                                         # with the same new NHS number
    python tests/db/booking_race.py referrals 0 0        # referrals made, people made

`race` prints one line of JSON: attempts, booked, taken and any other error; `count` prints the
number of active appointments of each slot, read from the database. `race-request` prints the
same counts, with `refused` for the clear "already booked" answer; `booked` prints one number.
"""

import json
import os
import sys
import threading
import uuid
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).absolute().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oneroof.config.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count, Q  # noqa: E402
from django.utils import timezone  # noqa: E402

from oneroof.access.models import (  # noqa: E402
    AccessRequest,
    Appointment,
    AppointmentStatus,
    Channel,
    Outcome,
    Slot,
)
from oneroof.access.services import BookingError, SlotTaken, book_appointment  # noqa: E402
from oneroof.people.models import Person  # noqa: E402
from oneroof.workforce.models import Neighbourhood, Organisation, Professional, Site  # noqa: E402
from tests.factories import _nhs_numbers  # noqa: E402


def setup(slots: int, people: int) -> None:
    hood = Neighbourhood.objects.create(code="race", name="Race")
    practice = Organisation.objects.create(
        ods_code="R00001", name="Race Practice", kind="gp_practice", neighbourhood=hood
    )
    site = Site.objects.create(
        name="Race Practice", organisation=practice, neighbourhood=hood, line="1", postal_code="X"
    )
    user = get_user_model().objects.create(username="race.gp")
    gp = Professional.objects.create(
        user=user, given_name="Ada", family_name="Race", profession="gp", organisation=practice
    )
    # Reception books (a GP booking strangers into their own slots would need a reason).
    Professional.objects.create(
        user=get_user_model().objects.create(username="race.desk"),
        given_name="Bo",
        family_name="Desk",
        profession="receptionist",
        organisation=practice,
    )
    start = timezone.now() + timedelta(days=1)
    Slot.objects.bulk_create(
        Slot(
            professional=gp,
            site=site,
            start=start + timedelta(minutes=10 * i),
            end=start + timedelta(minutes=10 * (i + 1)),
            # Face to face, so that a slot meets the 48-hour right wherever telephone does not.
            mode="face_to_face",
        )
        for i in range(slots)
    )
    numbers = _nhs_numbers()
    Person.objects.bulk_create(
        Person(
            nhs_number=next(numbers),
            given_name=f"Racer{i}",
            family_name="Example",
            birth_date="1960-01-01",
            gender="female",
            general_practice=practice,
        )
        for i in range(people)
    )


def _tally(counts: dict, lock: threading.Lock, outcome: str) -> None:
    """Count one thread's outcome: a named one, or an error to report."""
    with lock:
        counts["attempts"] += 1
        if outcome in counts:
            counts[outcome] += 1
        else:
            counts["errors"].append(outcome)


def _in_threads(run, threads: int) -> None:
    """Run `run(thread)` in that many threads at once and wait for them all."""
    pool = [threading.Thread(target=run, args=(t,)) for t in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()


def race(worker: int, threads: int) -> dict:
    slots = list(Slot.objects.select_related("professional").order_by("start"))
    people = list(Person.objects.order_by("pk"))
    user = get_user_model().objects.get(username="race.desk")
    connection.close()  # each thread opens its own connection
    barrier = threading.Barrier(threads)
    lock = threading.Lock()
    counts = {"attempts": 0, "booked": 0, "taken": 0, "errors": []}

    def run(thread: int) -> None:
        person = people[(worker * threads + thread) % len(people)]
        barrier.wait()
        for slot in slots:
            try:
                book_appointment(slot=slot, person=person, by=user, submission_id=uuid.uuid4())
                outcome = "booked"
            except SlotTaken:
                outcome = "taken"
            except Exception as error:  # noqa: BLE001 - every other outcome is a failure to report
                outcome = repr(error)
            with lock:
                counts["attempts"] += 1
                if outcome in ("booked", "taken"):
                    counts[outcome] += 1
                else:
                    counts["errors"].append(outcome)
        connection.close()

    _in_threads(run, threads)
    return counts


def count() -> list[int]:
    active = Q(appointments__status__in=AppointmentStatus.active_values())
    return list(
        Slot.objects.annotate(n=Count("appointments", filter=active))
        .order_by("start")
        .values_list("n", flat=True)
    )


def ask() -> None:
    person = Person.objects.order_by("pk").first()
    AccessRequest.objects.create(
        person=person,
        practice=person.general_practice,
        right="within_48h",
        requested_at=timezone.now(),
        channel=Channel.RECEPTION,
        requested_by=get_user_model().objects.get(username="race.gp"),
        outcome=Outcome.OFFERED,
        options_offered=Slot.objects.count(),
    )


def race_request(worker: int, threads: int) -> dict:
    """Every thread books a different offered slot under the one request, all at once: as
    four options of one request posted together from four tabs."""
    slots = list(Slot.objects.select_related("professional").order_by("start"))
    record = AccessRequest.objects.select_related("practice", "person").get()
    user = get_user_model().objects.get(username="race.desk")
    connection.close()
    barrier = threading.Barrier(threads)
    lock = threading.Lock()
    counts = {"attempts": 0, "booked": 0, "refused": 0, "taken": 0, "errors": []}

    def run(thread: int) -> None:
        slot = slots[(worker * threads + thread) % len(slots)]
        barrier.wait()
        try:
            book_appointment(
                slot=slot,
                person=record.person,
                by=user,
                submission_id=uuid.uuid4(),
                access_request=record,
            )
            outcome = "booked"
        except SlotTaken:
            outcome = "taken"
        except BookingError:
            outcome = "refused"
        except Exception as error:  # noqa: BLE001 - every other outcome is a failure to report
            outcome = repr(error)
        _tally(counts, lock, outcome)
        connection.close()

    _in_threads(run, threads)
    return counts


def booked() -> int:
    person = Person.objects.order_by("pk").first()
    return Appointment.objects.filter(
        person=person, status__in=AppointmentStatus.active_values()
    ).count()


REFER_NUMBER = "9990000026"  # held by nobody


def refer_setup() -> None:
    from tests.referral_factories import ServiceFactory

    ServiceFactory(name="Race physiotherapy", accepts_self_referral=True)


def refer_race(worker: int, threads: int) -> dict:
    """Every thread posts the public self-referral form at once, as different members of the
    public, all with the same NHS number that no record holds."""
    from django.test import Client
    from django.urls import reverse

    from oneroof.workforce.models import Service

    url = reverse("self_referral:self_refer", kwargs={"public_id": Service.objects.get().public_id})
    connection.close()
    barrier = threading.Barrier(threads)
    lock = threading.Lock()
    counts = {"attempts": 0, "sent": 0, "limited": 0, "errors": []}

    def run(thread: int) -> None:
        form = {
            "submission_id": str(uuid.uuid4()),
            "nhs_number": REFER_NUMBER,
            "birth_date_0": "17",
            "birth_date_1": "5",
            "birth_date_2": "1990",
            "given_name": f"Racer{worker}-{thread}",
            "family_name": "Example",
            "reason": "My knee hurts on the stairs",
        }
        client = Client(REMOTE_ADDR=f"192.0.2.{worker * threads + thread + 1}")
        barrier.wait()
        try:
            status = client.post(url, form).status_code
            outcome = {302: "sent", 429: "limited"}.get(status, f"status {status}")
        except Exception as error:  # noqa: BLE001 - every other outcome is a failure to report
            outcome = repr(error)
        _tally(counts, lock, outcome)
        connection.close()

    _in_threads(run, threads)
    return counts


def referrals() -> list[int]:
    from oneroof.referrals.models import Referral

    return [Referral.objects.filter(nhs_number=REFER_NUMBER).count(), Person.objects.count()]


if __name__ == "__main__":
    command, first, second = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    if command == "setup":
        setup(first, second)
    elif command == "race":
        print(json.dumps(race(first, second)))
    elif command == "ask":
        ask()
    elif command == "race-request":
        print(json.dumps(race_request(first, second)))
    elif command == "booked":
        print(json.dumps(booked()))
    elif command == "refer-setup":
        refer_setup()
    elif command == "refer-race":
        print(json.dumps(refer_race(first, second)))
    elif command == "referrals":
        print(json.dumps(referrals()))
    else:
        print(json.dumps(count()))
