"""The snapshot writer: the only code that reads the operational database for analytics.

It fills every table of oneroof.analytics.schema from the ORM and writes them to Parquet
through analytics.snapshot.SnapshotWriter. Everything about a person (their appointments,
requests, referrals and feedback included) is read in ranges of person ids, so memory stays flat
however many residents there are, and every query is a plain `values_list` with its joins done
by the database. The service directory is small and is read once.
"""

from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import pyarrow as pa
from django.db.models import Count, Max, Min, Q
from django.utils import timezone

from oneroof.access.models import AccessRequest, Appointment, Feedback, UsualGpChoice
from oneroof.analytics.schema import TABLES
from oneroof.analytics.snapshot import SnapshotInfo, SnapshotWriter
from oneroof.care.models import (
    CarePlan,
    CarePlanReview,
    Condition,
    Contact,
    MdtReview,
    MedicationStatement,
    Observation,
)
from oneroof.people.models import Address, Carer, Person, Preference
from oneroof.referrals.models import Referral
from oneroof.workforce.models import SECTOR_OF_KIND, CareTeam, Service, WaitingTimeStandard

CHUNK = 20_000

Progress = Callable[[int, int], None]


def _local_date(moment: datetime | None) -> date | None:
    return None if moment is None else timezone.localtime(moment).date()


def _age(born: date | None, on: date) -> int | None:
    if born is None:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _batch(name: str, rows: list[tuple]) -> pa.Table:
    table = TABLES[name]
    columns = list(zip(*rows, strict=True)) if rows else [[] for _ in table.columns]
    return pa.Table.from_arrays(
        [
            pa.array(list(values), type=field.type)
            for values, field in zip(columns, table.arrow_schema(), strict=True)
        ],
        schema=table.arrow_schema(),
    )


def _range(ids: range, field: str = "person_id") -> Q:
    return Q(**{f"{field}__gte": ids.start, f"{field}__lt": ids.stop})


def _persons(ids: range, today: date) -> list[tuple]:
    addresses: dict[int, list[tuple]] = defaultdict(list)
    for row in (
        Address.objects.filter(_range(ids))
        .order_by("person_id", "period_start", "pk")
        .values_list("person_id", "lsoa_code", "imd_decile", "period_end")
    ):
        addresses[row[0]].append(row[1:])
    rows = []
    for pid, sex, born, died, ethnic, practice, neighbourhood, alone in (
        Person.objects.filter(_range(ids, "pk"))
        .order_by("pk")
        .values_list(
            "pk",
            "gender",
            "birth_date",
            "deceased_at",
            "ethnic_group",
            "general_practice_id",
            "general_practice__neighbourhood_id",
            "lives_alone",
        )
    ):
        history = addresses.get(pid, [])
        current = [a for a in history if a[2] is None]
        lsoa, decile, _ = (current or history or [(None, None, None)])[-1]
        moved_out = None if current or not history else max(a[2] for a in history)
        rows.append(
            (
                pid,
                sex,
                born,
                _local_date(died),
                ethnic,
                practice,
                neighbourhood,
                lsoa,
                decile,
                alone,
                moved_out,
            )
        )
    return rows


def _coded_events(ids: range) -> list[tuple]:
    rows = list(
        Condition.objects.filter(_range(ids)).values_list(
            "person_id", "code", "recorded_date", "category", "clinical_status"
        )
    )
    for pid, code, at in Observation.objects.filter(_range(ids)).values_list(
        "person_id", "code", "effective_at"
    ):
        rows.append((pid, code, _local_date(at), None, None))
    return rows


def _medications(ids: range) -> list[tuple]:
    # A medicine kept by name only (not coded in dm+d: care.MedicationStatement.code is "")
    # goes with a null code and its name, so that polypharmacy counts it by name.
    return [
        (pid, code or None, name, start, end, status)
        for pid, code, name, start, end, status in MedicationStatement.objects.filter(
            _range(ids)
        ).values_list("person_id", "code", "display", "effective_start", "effective_end", "status")
    ]


def _contacts(ids: range) -> list[tuple]:
    return [
        (pid, pro, profession, mode, _local_date(at), at)
        for pid, pro, profession, mode, at in Contact.objects.filter(_range(ids)).values_list(
            "person_id", "professional_id", "professional__profession", "mode", "occurred_at"
        )
    ]


def _care_teams(ids: range) -> list[tuple]:
    return list(
        CareTeam.objects.filter(_range(ids))
        .annotate(current=Count("members", filter=Q(members__period_end__isnull=True)))
        .values_list("person_id", "coordinator_id", "current")
    )


def _care_plans(ids: range) -> list[tuple]:
    return [
        (pid, review, _local_date(updated), goals)
        for pid, review, updated, goals in CarePlan.objects.filter(_range(ids))
        .annotate(active=Count("goals", filter=Q(goals__lifecycle_status="active")))
        .values_list("person_id", "next_review_date", "updated_at", "active")
    ]


def _carers(ids: range, today: date) -> list[tuple]:
    return [
        (pid, carer, relationship, main, (_age(own or born, today) or 99) < 18, start, end)
        for pid, carer, relationship, main, born, own, start, end in Carer.objects.filter(
            _range(ids, "cared_for_id")
        ).values_list(
            "cared_for_id",
            "carer_person_id",
            "relationship",
            "is_main_carer",
            "birth_date",
            "carer_person__birth_date",
            "period_start",
            "period_end",
        )
    ]


def _preferences(ids: range) -> list[tuple]:
    return [
        (pid, kind, _local_date(at))
        for pid, kind, at in Preference.objects.filter(_range(ids)).values_list(
            "person_id", "kind", "recorded_at"
        )
    ]


def _appointments(ids: range) -> list[tuple]:
    return list(
        Appointment.objects.filter(_range(ids)).values_list(
            "pk",
            "person_id",
            "slot__professional_id",
            "slot__professional__profession",
            "slot__professional__organisation_id",
            "slot__start",
            "slot__mode",
            "status",
            "access_request__right",
        )
    )


def _access_requests(ids: range) -> list[tuple]:
    return list(
        AccessRequest.objects.filter(_range(ids)).values_list(
            "pk",
            "person_id",
            "practice_id",
            "requested_at",
            "right",
            "outcome",
            "appointment_id",
            "chosen_gp_id",
        )
    )


def _referrals(ids: range) -> list[tuple]:
    # The service as the services table keys it: its id, as text.
    return [
        (pk, pid, door, str(service), *rest)
        for pk, pid, door, service, *rest in Referral.objects.filter(_range(ids)).values_list(
            "pk",
            "person_id",
            "source",
            "service_id",
            "status",
            "received_at",
            "first_seen_at",
            "first_treated_at",
            "closed_at",
        )
    ]


def _mdt_reviews(ids: range) -> list[tuple]:
    return list(MdtReview.objects.filter(_range(ids)).values_list("person_id", "held_on"))


def _care_plan_reviews(ids: range) -> list[tuple]:
    return list(
        CarePlanReview.objects.filter(_range(ids, "care_plan__person_id")).values_list(
            "care_plan__person_id", "reviewed_on"
        )
    )


def _feedback(ids: range) -> list[tuple]:
    return list(
        Feedback.objects.filter(_range(ids, "appointment__person_id")).values_list(
            "appointment_id",
            "appointment__person_id",
            "appointment__slot__professional__organisation_id",
            "submitted_at",
            "answer",
        )
    )


def _usual_gp_choices(ids: range) -> list[tuple]:
    return list(
        UsualGpChoice.objects.filter(_range(ids)).values_list("person_id", "professional_id")
    )


def _services() -> list[tuple]:
    """Each service with its tightest waiting-time standard (the fewest days)."""
    tightest: dict[int, tuple[int, int]] = {}
    for service, days, percent in WaitingTimeStandard.objects.order_by(
        "service_id", "days"
    ).values_list("service_id", "days", "percent"):
        tightest.setdefault(service, (days, percent))
    return [
        (str(pk), name, SECTOR_OF_KIND.get(kind), mental, *tightest.get(pk, (None, None)))
        for pk, name, kind, mental in Service.objects.order_by("pk").values_list(
            "pk", "name", "organisation__kind", "is_mental_health"
        )
    ]


# Tables read in ranges of person ids, and how each range is read.
PER_PERSON: dict[str, Callable[[range], list[tuple]]] = {
    "coded_events": _coded_events,
    "medications": _medications,
    "contacts": _contacts,
    "care_teams": _care_teams,
    "care_plans": _care_plans,
    "preferences": _preferences,
    "appointments": _appointments,
    "access_requests": _access_requests,
    "referrals": _referrals,
    "mdt_reviews": _mdt_reviews,
    "care_plan_reviews": _care_plan_reviews,
    "feedback": _feedback,
    "usual_gp_choices": _usual_gp_choices,
}


def take_snapshot(
    directory: Path, *, today: date | None = None, progress: Progress | None = None
) -> SnapshotInfo:
    """Write the analytic snapshot of the operational database to `directory`."""
    today = today or timezone.localdate()
    writer = SnapshotWriter(directory)
    bounds = Person.objects.aggregate(low=Min("pk"), high=Max("pk"))
    low, high = bounds["low"] or 0, bounds["high"] or -1
    total = high - low + 1 if high >= low else 0
    for start in range(low, high + 1, CHUNK):
        end = start + CHUNK
        ids = range(start, end)
        writer.write("persons", _batch("persons", _persons(ids, today)))
        writer.write("carers", _batch("carers", _carers(ids, today)))
        for name, rows in PER_PERSON.items():
            writer.write(name, _batch(name, rows(ids)))
        if progress:
            progress(min(end, high + 1) - low, total)
    writer.write("services", _batch("services", _services()))
    return writer.close()
