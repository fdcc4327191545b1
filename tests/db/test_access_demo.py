"""The demo's rotas, slots and appointments (demo/rotas.py), on a small neighbourhood generated
once for this module on a fixed day: Monday 2 December 2030, with Christmas in its four weeks."""

from datetime import date, datetime, time, timedelta

import pytest
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from oneroof.access import services
from oneroof.access.models import (
    AccessRequest,
    Appointment,
    AppointmentStatus,
    RotaSession,
    Slot,
    UsualGpChoice,
)
from oneroof.access.opening import bank_holidays
from oneroof.care.models import Contact
from oneroof.demo import generate_neighbourhood
from oneroof.demo.rotas import CENTRE_WORK, DAYS
from oneroof.people.models import Person
from oneroof.workforce.models import Professional

TODAY = date(2030, 12, 2)
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def neighbourhood(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield generate_neighbourhood(residents=1_500, seed=20_301_202, today=TODAY)
        transaction.set_rollback(True)


@pytest.fixture
def meera():
    return Person.objects.get(nhs_number="9434765919")


def test_rotas_cover_every_profession_that_sees_people():
    with_sessions = set(RotaSession.objects.values_list("professional__profession", flat=True))
    assert with_sessions == set(CENTRE_WORK) | {"gp", "practice_nurse"}
    assert not RotaSession.objects.filter(professional__profession="receptionist").exists()


def test_rotas_keep_to_opening_hours_and_skip_sundays_and_bank_holidays():
    closed = bank_holidays(2030)
    days = set(RotaSession.objects.values_list("date", flat=True))
    assert min(days) == TODAY and max(days) < TODAY + timedelta(days=DAYS)
    assert not any(day.weekday() == 6 or day in closed for day in days)
    assert date(2030, 12, 25) not in days and date(2030, 12, 26) not in days
    centre = RotaSession.objects.filter(site__is_health_centre=True)
    assert centre.filter(start__lt=time(8)).count() == centre.filter(end__gt=time(20)).count() == 0
    practice = RotaSession.objects.filter(site__is_health_centre=False)
    assert not practice.filter(Q(start__lt=time(8)) | Q(end__gt=time(18, 30))).exists()
    assert not practice.filter(date__week_day=7).exists()  # no Saturdays at the surgeries
    saturday_gps = centre.filter(date__week_day=7, professional__profession="gp")
    assert saturday_gps.exists()


def test_slots_are_cut_from_sessions_and_home_visits_are_for_home_professions():
    for session in RotaSession.objects.annotate(n=Count("slots")).order_by("?")[:50]:
        span = datetime.combine(TODAY, session.end) - datetime.combine(TODAY, session.start)
        assert session.n == span // timedelta(minutes=session.slot_minutes)
    rota = Slot.objects.filter(session__isnull=False, mode="home_visit")
    home = set(rota.values_list("professional__profession", flat=True))
    assert home == {"district_nurse", "care_worker", "palliative_care", "occupational_therapist"}


def test_no_slot_in_the_demo_is_double_booked():
    per_slot = (
        Appointment.objects.filter(status__in=AppointmentStatus.active_values())
        .values("slot")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )
    assert not per_slot.exists()


def test_past_gp_appointments_mirror_the_sample_s_gp_contacts(meera):
    fulfilled = Appointment.objects.filter(status="fulfilled")
    assert fulfilled.exists()
    assert set(fulfilled.values_list("slot__professional__profession", flat=True)) == {"gp"}
    midnight = timezone.make_aware(datetime.combine(TODAY, time(0)))
    assert not fulfilled.filter(slot__start__gte=midnight).exists()
    meera_contacts = Contact.objects.filter(
        person=meera,
        professional__profession="gp",
        occurred_at__gte=midnight - timedelta(days=730),
    ).count()
    assert fulfilled.filter(person=meera).count() == meera_contacts > 0


def test_mrs_patel_has_chosen_dr_hughes_and_is_booked_to_see_him(meera):
    tom = Professional.objects.get(user__username="gp")
    assert UsualGpChoice.objects.get(person=meera).professional == tom
    upcoming = Appointment.objects.for_person(meera).upcoming(
        now=timezone.make_aware(datetime.combine(TODAY, time(0)))
    )
    assert [a.slot.professional for a in upcoming] == [tom]
    at = timezone.make_aware(datetime.combine(TODAY, time(12)))
    assert services.usual_gp_id(meera, at=at) == tom.pk


def test_some_residents_have_chosen_a_gp_of_their_own_practice():
    choices = UsualGpChoice.objects.select_related("person", "professional")
    assert choices.count() > 5
    assert all(c.professional.organisation_id == c.person.general_practice_id for c in choices)


def test_last_night_s_same_day_requests_are_unmet_on_the_worklist():
    unmet = AccessRequest.objects.on_worklist()
    assert unmet.count() == 3
    assert set(unmet.values_list("right", "unmet_reason")) == {("same_day", "closed")}


def test_demo_rota_meets_the_rights_for_mrs_patel_on_a_weekday_morning(meera):
    gp = Professional.objects.get(user__username="reception").user
    at = timezone.make_aware(datetime.combine(TODAY + timedelta(days=1), time(9, 0)))  # Tuesday
    for right, chosen in (("same_day", None), ("within_48h", None), ("book_ahead", "gp")):
        chosen_gp = Professional.objects.get(user__username=chosen) if chosen else None
        result = services.request_appointment(
            person=meera, right=right, by=gp, channel="reception", at=at, chosen_gp=chosen_gp
        )
        assert result.offer.met, right
