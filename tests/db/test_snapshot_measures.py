"""Each table the snapshot writer fills for the measures, round trip: a row made through the
ORM, written to Parquet, read back by DuckDB and counted by the measure that needs it."""

from datetime import UTC, date, datetime

import pyarrow.parquet as pq
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from oneroof.access.models import AccessRequest, Feedback, UsualGpChoice
from oneroof.analytics import engines
from oneroof.analytics.codelists import read_codelists
from oneroof.analytics.measures import Period, measure, run_measures
from oneroof.analytics.rules import load_ruleset
from oneroof.analytics.snapshot import open_snapshot
from oneroof.care.models import CarePlan, CarePlanReview, Condition, MdtReview
from oneroof.codelists.loader import DATA_DIR
from oneroof.population.snapshot import take_snapshot
from oneroof.referrals.models import Referral
from oneroof.referrals.services import decline_referral, record_first_seen, record_first_treatment
from oneroof.workforce.models import OrganisationKind
from tests.db.access_factories import AppointmentFactory, SlotFactory
from tests.factories import (
    ContactFactory,
    OrganisationFactory,
    PersonFactory,
    ProfessionalFactory,
    UserFactory,
)
from tests.referral_factories import ReferralFactory, ServiceFactory

pytestmark = pytest.mark.django_db
TODAY = date(2026, 7, 1)
JUNE = Period.month(2026, 6)


def at(day: int, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(2026, 6, day, hour, minute, tzinfo=UTC)


@pytest.fixture
def gp():
    return ProfessionalFactory(profession="gp")


@pytest.fixture
def resident(gp):
    return PersonFactory(general_practice=gp.organisation)


def snapshot(tmp_path) -> dict[str, list[dict]]:
    take_snapshot(tmp_path, today=TODAY)
    return {p.stem: pq.read_table(p).to_pylist() for p in tmp_path.glob("*.parquet")}


def computed(tmp_path, key: str):
    """The measure's June result for the resident's neighbourhood, from the snapshot."""
    con = engines.duckdb_connection()
    try:
        (result,) = run_measures(
            con,
            open_snapshot(con, tmp_path),
            period=JUNE,
            rules=load_ruleset(),
            codelists=read_codelists(DATA_DIR),
            measures=[measure(key)],
        )
    finally:
        con.disconnect()
    assert result.status == "ok", result.missing_sources
    return result


def booked(gp, resident, start, **extra):
    return AppointmentFactory(
        slot=SlotFactory(professional=gp, start=start), person=resident, **extra
    )


def test_snapshot_appointments_and_requests_feed_the_access_measures(tmp_path, gp, resident):
    appointment = booked(gp, resident, at(12, 21), status="fulfilled")
    AccessRequest.objects.create(
        person=resident,
        practice=gp.organisation,
        right="within_48h",
        requested_at=at(11, 9),  # 36 hours before
        channel="reception",
        requested_by=UserFactory(),
        outcome="met",
        appointment=appointment,
    )
    AccessRequest.objects.create(
        person=resident,
        practice=gp.organisation,
        right="within_48h",
        requested_at=at(20),
        channel="online",
        requested_by=UserFactory(),
        outcome="unmet",
        unmet_reason="no_capacity",
    )
    tables = snapshot(tmp_path)
    (row,) = tables["appointments"]
    assert row == {
        "appointment_id": appointment.pk,
        "person_id": resident.pk,
        "professional_id": gp.pk,
        "profession": "gp",
        "practice_id": gp.organisation_id,
        "start_at": at(12, 21),
        "mode": "face_to_face",
        "status": "fulfilled",
        "right": "within_48h",
    }
    requests = sorted(tables["access_requests"], key=lambda r: r["requested_at"])
    assert [(r["outcome"], r["appointment_id"]) for r in requests] == [
        ("met", appointment.pk),
        ("unmet", None),
    ]
    met = computed(tmp_path, "right-met-within-48h").total
    assert (met.units, met.numerator) == (2, 1)
    wait = computed(tmp_path, "time-to-appointment-within-48h")
    assert (wait.total.units, wait.total.numerator) == (1, 36.0)  # hours
    assert computed(tmp_path, "time-to-appointment-same-day").total.units == 0


def test_snapshot_book_ahead_with_the_chosen_gp(tmp_path, gp, resident):
    other = ProfessionalFactory(profession="gp", organisation=gp.organisation)
    for start, chosen in ((at(20), gp), (at(22), other)):
        AccessRequest.objects.create(
            person=resident,
            practice=gp.organisation,
            right="book_ahead",
            requested_at=at(2),
            channel="online",
            requested_by=UserFactory(),
            outcome="met",
            chosen_gp=chosen,
            appointment=booked(gp, resident, start),
        )
    tables = snapshot(tmp_path)
    assert {r["chosen_gp_id"] for r in tables["access_requests"]} == {gp.pk, other.pk}
    chosen = computed(tmp_path, "book-ahead-with-chosen-gp").total
    assert (chosen.units, chosen.numerator) == (2, 1)  # one was booked with another GP
    ahead = computed(tmp_path, "time-to-appointment-book-ahead").total
    assert (ahead.units, ahead.numerator) == (2, 18 + 20)  # days, chosen: not a wait


def test_snapshot_feedback_feeds_the_friends_and_family_test(tmp_path, gp, resident):
    for answer, day in (("very_good", 3), ("poor", 4), ("dont_know", 5)):
        Feedback.objects.create(
            appointment=booked(gp, resident, at(day), status="fulfilled"),
            answer=answer,
            submitted_at=at(day, 15),
        )
    tables = snapshot(tmp_path)
    assert {(f["person_id"], f["practice_id"]) for f in tables["feedback"]} == {
        (resident.pk, gp.organisation_id)
    }
    fft = computed(tmp_path, "fft-positive").total
    assert (fft.units, fft.numerator) == (3, 1)  # "don't know" counts in the denominator


def test_snapshot_referrals_and_services_feed_the_waiting_time_measures(tmp_path, resident):
    talking = ServiceFactory(
        name="Talking therapies", is_mental_health=True, standards=[(95, 126), (75, 42)]
    )
    triager = ProfessionalFactory()
    talking.triagers.add(triager)
    on_time = ReferralFactory(
        service=talking, person=resident, received_at=datetime(2026, 5, 1, 9, tzinfo=UTC)
    )
    on_time.first_seen_at = at(5)  # 35 days
    on_time.status = "completed"
    on_time.save()
    late = ReferralFactory(
        service=talking, person=resident, received_at=datetime(2026, 4, 1, 9, tzinfo=UTC)
    )
    late.first_seen_at = at(5)  # 65 days: past 6 weeks, the tightest standard
    late.status = "booked"
    late.save()
    for treated in (on_time, late):  # first treated the day they were first seen
        record_first_treatment(referral=treated, treated_on=date(2026, 6, 5), by=triager)
    tables = snapshot(tmp_path)
    (service,) = tables["services"]
    assert service == {
        "service": str(talking.pk),
        "name": "Talking therapies",
        "sector": "nhs",
        "is_mental_health": True,
        "standard_days": 42,
        "standard_percent": 75,
    }
    assert {(r["service"], r["first_seen_at"]) for r in tables["referrals"]} == {
        (str(talking.pk), at(5))
    }
    # 00:00 on 5 June in London is 23:00 on 4 June in UTC.
    assert {r["first_treated_at"] for r in tables["referrals"]} == {at(4, 23)}
    result = computed(tmp_path, "mental-health-referrals-within-standard")
    assert (result.total.units, result.total.numerator) == (2, 1)
    assert result.label("service", str(talking.pk)) == "Talking therapies (75% within 6 weeks)"
    other = computed(tmp_path, "referrals-within-standard")
    assert other.total.units == 0  # a mental health service is reported apart


def test_snapshot_referrals_still_waiting_feed_the_waiting_list(tmp_path, resident):
    physio = ServiceFactory(name="Physiotherapy", standards=[(92, 28)])
    triager = ProfessionalFactory()
    physio.triagers.add(triager)
    waiting = ReferralFactory(service=physio, person=resident, received_at=at(20))
    late = ReferralFactory(
        service=physio, person=resident, received_at=datetime(2026, 5, 1, 9, tzinfo=UTC)
    )
    declined = ReferralFactory(service=physio, person=resident, received_at=at(2))
    decline_referral(referral=declined, by=triager, reason="Not for this service")
    declined.refresh_from_db()
    assert declined.closed_at is not None
    Referral.objects.filter(pk=declined.pk).update(closed_at=at(4))  # as if declined in June
    seen = ReferralFactory(service=physio, person=resident, received_at=at(3))
    record_first_seen(referral=seen, seen_at=at(10))
    tables = snapshot(tmp_path)
    closed = {r["referral_id"]: r["closed_at"] for r in tables["referrals"]}
    assert closed[waiting.pk] is None and closed[late.pk] is None
    assert closed[declined.pk] is not None
    result = computed(tmp_path, "referrals-waiting-within-standard")
    assert (result.total.units, result.total.numerator) == (2, 1)  # May's is past 4 weeks
    assert result.cells("service")[str(physio.pk)].units == 2


def test_snapshot_care_plan_reviews_feed_the_complex_needs_measure(tmp_path, gp, seen_often):
    plan = CarePlan.objects.create(person=seen_often, updated_at=at(20))  # edited, not reviewed
    CarePlanReview.objects.create(care_plan=plan, reviewed_on=date(2025, 6, 30), recorded_by=gp)
    assert snapshot(tmp_path)["care_plan_reviews"] == [
        {"person_id": seen_often.pk, "reviewed_on": date(2025, 6, 30)}
    ]
    result = computed(tmp_path, "complex-needs-care-plan-reviewed").total
    assert (result.units, result.numerator) == (1, 0)  # a year and a day before June's end
    CarePlanReview.objects.create(care_plan=plan, reviewed_on=date(2026, 6, 30), recorded_by=gp)
    snapshot(tmp_path)
    result = computed(tmp_path, "complex-needs-care-plan-reviewed").total
    assert (result.units, result.numerator) == (1, 1)


def test_snapshot_referrals_to_the_voluntary_sector_feed_social_needs_referred(tmp_path, resident):
    Condition.objects.create(
        person=resident,
        code="160932005",
        display="Financial problem",
        category="social",
        recorded_date=date(2026, 5, 1),
    )
    debt = ServiceFactory(
        name="Debt advice", organisation=OrganisationFactory(kind=OrganisationKind.VOLUNTARY)
    )
    ReferralFactory(service=debt, person=resident, received_at=at(2))
    assert snapshot(tmp_path)["services"][0]["sector"] == "voluntary"
    result = computed(tmp_path, "social-needs-referred").total
    assert (result.units, result.numerator) == (1, 1)


@pytest.fixture
def seen_often(gp, resident):
    """A resident with ten GP contacts in June: high use, so in the complex-needs cohort."""
    for day in range(1, 11):
        ContactFactory(person=resident, professional=gp, occurred_at=at(day, 10))
    return resident


def test_snapshot_mdt_reviews_feed_the_complex_needs_measure(tmp_path, gp, seen_often):
    MdtReview.objects.create(
        person=seen_often, held_on=date(2026, 3, 2), decision="Refer to falls", recorded_by=gp
    )
    assert snapshot(tmp_path)["mdt_reviews"] == [
        {"person_id": seen_often.pk, "held_on": date(2026, 3, 2)}
    ]
    result = computed(tmp_path, "complex-needs-mdt-review").total
    assert (result.units, result.numerator) == (1, 1)


def test_snapshot_usual_gp_choice_feeds_continuity(tmp_path, gp, seen_often):
    snapshot(tmp_path)
    assert computed(tmp_path, "continuity-upc").total.numerator == 1  # the GP seen most
    chosen = ProfessionalFactory(profession="gp", organisation=gp.organisation)
    UsualGpChoice.objects.create(person=seen_often, professional=chosen)
    assert snapshot(tmp_path)["usual_gp_choices"] == [
        {"person_id": seen_often.pk, "professional_id": chosen.pk}
    ]
    assert computed(tmp_path, "continuity-upc").total.numerator == 0  # never seen the one chosen


def test_snapshot_query_count_does_not_grow_with_the_rows(tmp_path, gp, resident):
    """Plain values_list reads, their joins in the database: no query per row."""
    talking = ServiceFactory(standards=[(75, 42)])

    def add(days: range) -> None:
        for day in days:
            appointment = booked(gp, resident, at(day, 10), status="fulfilled")
            Feedback.objects.create(
                appointment=appointment, answer="good", submitted_at=at(day, 12)
            )
            AccessRequest.objects.create(
                person=resident,
                right="same_day",
                requested_at=at(day, 8),
                channel="reception",
                requested_by=gp.user,
                outcome="met",
                appointment=appointment,
            )
            ReferralFactory(service=talking, person=resident, received_at=at(day))
            MdtReview.objects.create(person=resident, held_on=date(2026, 6, day), recorded_by=gp)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            take_snapshot(tmp_path, today=TODAY)
        return len(captured)

    add(range(1, 2))
    few = queries()
    add(range(2, 11))
    assert queries() == few
    assert len(snapshot(tmp_path)["feedback"]) == 10
