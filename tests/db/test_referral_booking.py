"""Accept and book: a triager books an accepted referral into the service's clinic, and the
referral follows what then happens to the appointment (cancelled, rebooked, seen)."""

import uuid
from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from oneroof.access import services as access
from oneroof.access.models import Appointment, AppointmentStatus, Channel
from oneroof.audit.models import RecordAccess
from oneroof.referrals.models import ReferralStatus
from tests.db.access_factories import clinic_slots
from tests.factories import ProfessionalFactory
from tests.referral_factories import ReferralFactory, ServiceFactory

pytestmark = pytest.mark.django_db
S = ReferralStatus


@pytest.fixture
def slots(msk, triager):
    tomorrow = timezone.localdate() + timedelta(days=1)
    start = timezone.make_aware(datetime.combine(tomorrow, time(10, 0)))
    return clinic_slots(msk, triager, start, count=3)


@pytest.fixture
def accepted(msk):
    return ReferralFactory(service=msk, status=S.ACCEPTED)


def book_url(referral):
    return reverse("referrals:referral_book", kwargs={"public_id": referral.public_id})


def book(client, referral, slot, submission_id=None):
    data = {"slot": slot.pk, "submission_id": submission_id or uuid.uuid4()}
    return client.post(book_url(referral), data)


def test_triager_sees_the_clinic_times_and_books_one(client_for, triager, accepted, slots):
    client = client_for(triager)
    page = client.get(book_url(accepted)).content.decode()
    assert page.count('name="slot"') == 3
    assert "within the waiting-time standard" in page

    response = book(client, accepted, slots[1])

    assert response.status_code == 302
    accepted.refresh_from_db()
    appointment = Appointment.objects.get()
    assert accepted.status == S.BOOKED
    assert accepted.appointment_public_id == appointment.public_id
    assert (appointment.slot, appointment.person) == (slots[1], accepted.person)
    assert appointment.channel == Channel.REFERRAL
    detail = client.get(response["Location"]).content.decode()
    assert "Appointment" in detail and triager.name in detail
    purposes = set(RecordAccess.objects.values_list("purpose", flat=True))
    assert purposes == {"open_referral"}


def test_a_double_click_books_once(client_for, triager, accepted, slots):
    client = client_for(triager)
    submission = uuid.uuid4()
    assert book(client, accepted, slots[0], submission).status_code == 302
    assert book(client, accepted, slots[0], submission).status_code == 302
    assert Appointment.objects.count() == 1


def test_a_taken_time_says_so_and_leaves_the_referral_to_book(
    client_for, triager, accepted, slots, msk
):
    someone_else = ReferralFactory(service=msk, status=S.ACCEPTED)
    client = client_for(triager)
    assert book(client, someone_else, slots[0]).status_code == 302

    response = book(client, accepted, slots[0])

    assert response.status_code == 409
    assert "just been taken" in response.content.decode()
    accepted.refresh_from_db()
    assert accepted.status == S.ACCEPTED and accepted.appointment_public_id is None
    assert Appointment.objects.count() == 1


def test_a_time_in_another_services_clinic_is_refused(client_for, triager, accepted):
    other = ServiceFactory(name="Falls prevention service")
    start = timezone.now() + timedelta(days=2)
    elsewhere = clinic_slots(other, ProfessionalFactory(), start.replace(hour=9), count=1)

    response = book(client_for(triager), accepted, elsewhere[0])

    assert response.status_code == 400
    assert "not in the MSK physiotherapy clinic" in response.content.decode()
    assert not Appointment.objects.exists()


def test_only_the_services_triagers_may_book(client_for, accepted, slots):
    stranger = ProfessionalFactory(profession="physiotherapist")
    assert client_for(stranger).get(book_url(accepted)).status_code == 404
    assert book(client_for(stranger), accepted, slots[0]).status_code == 404
    assert not Appointment.objects.exists()


@pytest.mark.parametrize("status", [S.RECEIVED, S.DECLINED, S.BOOKED])
def test_only_an_accepted_referral_can_be_booked(client_for, triager, msk, slots, status):
    referral = ReferralFactory(service=msk, status=status)
    response = book(client_for(triager), referral, slots[0])
    assert response.status_code == 302
    page = client_for(triager).get(response["Location"]).content.decode()
    assert "Book an appointment" not in page
    assert not Appointment.objects.exists()


def test_an_unconfirmed_person_is_confirmed_before_booking(client_for, triager, msk, slots):
    # Accepted before identities were confirmed (a public self-referral, migrated unconfirmed).
    referral = ReferralFactory(
        service=msk, person=None, source="self", requester=None, status=S.ACCEPTED
    )
    client = client_for(triager)

    response = client.post(book_url(referral), {"slot": slots[0].pk, "submission_id": uuid.uuid4()})

    assert response.status_code == 302
    assert "Confirm who this person is" in client.get(response["Location"]).content.decode()
    assert not Appointment.objects.exists()


def _booked(client, referral, slot) -> Appointment:
    assert book(client, referral, slot).status_code == 302
    referral.refresh_from_db()
    return Appointment.objects.get(public_id=referral.appointment_public_id)


def test_cancelling_the_appointment_sends_the_referral_back_to_be_booked(
    client_for, triager, accepted, slots
):
    appointment = _booked(client_for(triager), accepted, slots[0])

    access.cancel_appointment(appointment=appointment, by=triager.user, reason="Unwell")

    accepted.refresh_from_db()
    assert accepted.status == S.ACCEPTED and accepted.appointment_public_id is None
    event = accepted.events.order_by("-pk").first()
    assert event.note == "Appointment cancelled: Unwell" and event.by == triager.user


def test_a_rebooked_appointment_takes_the_referral_with_it(client_for, triager, accepted, slots):
    appointment = _booked(client_for(triager), accepted, slots[0])

    moved = access.rebook_appointment(
        appointment=appointment, slot=slots[2], by=triager.user, submission_id=uuid.uuid4()
    )

    accepted.refresh_from_db()
    assert accepted.status == S.BOOKED and accepted.appointment_public_id == moved.public_id


def test_being_seen_stops_the_waiting_clock(client_for, triager, accepted, slots):
    appointment = _booked(client_for(triager), accepted, slots[0])
    on_the_day = slots[0].start + timedelta(minutes=5)

    access.mark_seen(appointment=appointment, by=triager.user, at=on_the_day)
    access.mark_seen(appointment=appointment, by=triager.user, at=on_the_day)

    accepted.refresh_from_db()
    assert accepted.first_seen_at == slots[0].start
    assert Appointment.objects.get().status == AppointmentStatus.FULFILLED
