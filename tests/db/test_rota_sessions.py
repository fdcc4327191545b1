"""Adding a session to the rota from its page: the slots are made at once, and a session the
site or the professional's day cannot take is refused with the field's error."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from oneroof.access.models import RotaSession, Slot
from oneroof.access.opening import bank_holidays
from tests.db.access_factories import make_surgery
from tests.factories import OrganisationFactory, ProfessionalFactory
from tests.referral_factories import ServiceFactory

pytestmark = pytest.mark.django_db
URL = "/appointments/rota/sessions/new/"


@pytest.fixture
def surgery():
    return make_surgery()


def next_weekday(weekday: int):
    """The next working day (not a bank holiday) that falls on `weekday`, from tomorrow."""
    day = timezone.localdate() + timedelta(days=1)
    while day.weekday() != weekday or day in bank_holidays(day.year):
        day += timedelta(days=1)
    return day


def form(surgery, day, **changes):
    data = {
        "professional": surgery.dr_hughes.pk,
        "site": surgery.site.pk,
        "day_0": day.day,
        "day_1": day.month,
        "day_2": day.year,
        "start": "09:00",
        "end": "10:30",
        "mode": "face_to_face",
        "slot_minutes": "15",
        "service": "",
    }
    return {**data, **changes}


def test_the_url_is_the_rota_pages():
    assert reverse("access:rota_session_add") == URL


def test_reception_adds_a_session_and_its_slots_are_made(client_for, surgery):
    clinic = ServiceFactory(name="Minor surgery")
    day = next_weekday(1)
    client = client_for(surgery.receptionist)
    assert client.get(URL).status_code == 200

    response = client.post(URL, form(surgery, day, service=clinic.pk))

    assert response.status_code == 302
    session = RotaSession.objects.get()
    assert (session.professional, session.date, session.service) == (surgery.dr_hughes, day, clinic)
    assert Slot.objects.filter(session=session).count() == 6  # 90 minutes in 15s
    assert "Minor surgery clinic" in client.get(reverse("access:rota_view")).content.decode()


def test_the_same_form_sent_twice_adds_one_session(client_for, surgery):
    client = client_for(surgery.receptionist)
    data = form(surgery, next_weekday(2))
    assert client.post(URL, data).status_code == 302
    assert client.post(URL, data).status_code == 302
    assert RotaSession.objects.count() == 1 and Slot.objects.count() == 6


@pytest.mark.parametrize(
    ("changes", "field_error"),
    [
        ({"end": "08:30"}, "The session must end after it starts"),
        ({"start": "9am"}, "Starts must be a time like 08:30"),
        ({"slot_minutes": "2"}, "Appointments must be at least 5 minutes"),
        ({"mode": ""}, "Choose how people are seen"),
        ({"start": "07:00"}, "is open from 08:00 to 18:30"),
        ({"end": "19:00"}, "is open from 08:00 to 18:30"),
        ({"professional": "999999"}, "Choose someone in your organisation"),
        ({"day_0": "31", "day_1": "2"}, "Date must be a real date"),
    ],
)
def test_a_session_the_rota_cannot_take_shows_why(client_for, surgery, changes, field_error):
    response = client_for(surgery.receptionist).post(URL, form(surgery, next_weekday(3), **changes))
    assert response.status_code == 400
    assert field_error in response.content.decode()
    assert not RotaSession.objects.exists() and not Slot.objects.exists()


def test_the_surgery_is_closed_on_saturdays_and_in_the_past(client_for, surgery):
    client = client_for(surgery.receptionist)
    saturday = client.post(URL, form(surgery, next_weekday(5)))
    assert "is closed on Saturdays" in saturday.content.decode()
    yesterday = client.post(URL, form(surgery, timezone.localdate() - timedelta(days=1)))
    assert "The date must be today or later" in yesterday.content.decode()
    assert not RotaSession.objects.exists()


def test_an_overlapping_session_is_refused(client_for, surgery):
    client = client_for(surgery.receptionist)
    day = next_weekday(4)
    assert client.post(URL, form(surgery, day)).status_code == 302
    response = client.post(URL, form(surgery, day, start="10:00", end="11:00"))
    assert response.status_code == 400
    assert "Dr Tom Hughes already has a session from 09:00 to 10:30" in response.content.decode()
    assert RotaSession.objects.count() == 1


def test_only_the_organisations_own_people_can_be_put_on_its_rota(client_for, surgery):
    elsewhere = ProfessionalFactory(profession="gp", organisation=OrganisationFactory())
    response = client_for(elsewhere).post(URL, form(surgery, next_weekday(1)))
    assert response.status_code == 400
    assert not RotaSession.objects.exists()
