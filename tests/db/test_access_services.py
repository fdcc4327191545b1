"""Booking services against the database, with a fixed clock: Tuesday 3 December 2030, 10am."""

import uuid
from datetime import timedelta

import pytest
from django.core import mail
from django.db import IntegrityError, transaction

from oneroof.access import services
from oneroof.access.lifecycles import AppointmentError, IllegalTransition
from oneroof.access.models import (
    AccessRequest,
    Appointment,
    AppointmentStatus,
    Channel,
    Feedback,
    Mode,
    Outcome,
    UsualGpChoice,
    WaitingStatus,
)
from oneroof.access.services import BookingError, SlotTaken
from oneroof.people.models import Person
from tests.db.access_factories import (
    AppointmentFactory,
    london,
    make_surgery,
)
from tests.factories import AddressFactory, PersonFactory, ProfessionalFactory, UserFactory

pytestmark = [pytest.mark.django_db]

NOW = london(2030, 12, 3, 10, 0)  # a Tuesday


@pytest.fixture
def surgery():
    return make_surgery()


@pytest.fixture
def clerk(surgery):
    return surgery.receptionist.user


def ask(person, right, by, **kwargs):
    return services.request_appointment(
        person=person, right=right, by=by, channel=Channel.RECEPTION, at=NOW, **kwargs
    )


def book(slot, person, by, **kwargs):
    kwargs.setdefault("submission_id", uuid.uuid4())
    return services.book_appointment(slot=slot, person=person, by=by, at=NOW, **kwargs)


# --- asking under a right --------------------------------------------------------------------


def test_request_appointment_within_48h_records_the_request_and_offers_gps(surgery, clerk):
    person = surgery.patient()
    gp_slot = surgery.slot(surgery.dr_malik, NOW + timedelta(hours=26))
    surgery.slot(surgery.nurse, NOW + timedelta(hours=1))  # not a GP
    surgery.slot(surgery.dr_malik, NOW + timedelta(hours=49))  # too late

    result = ask(person, "within_48h", clerk)

    assert [s.pk for s in result.slots] == [gp_slot.pk]
    record = AccessRequest.objects.get()
    assert (record.right, record.outcome, record.options_offered) == ("within_48h", "offered", 1)
    assert (record.requested_at, record.practice, record.channel) == (
        NOW,
        surgery.practice,
        "reception",
    )


def test_request_appointment_prefers_the_chosen_usual_gp(surgery, clerk):
    person = surgery.patient()
    UsualGpChoice.objects.create(person=person, professional=surgery.dr_hughes)
    early = surgery.slot(surgery.dr_malik, NOW + timedelta(hours=1))
    late = surgery.slot(surgery.dr_hughes, NOW + timedelta(hours=5))

    result = ask(person, "same_day", clerk)

    assert result.slots == [late, early]
    assert AccessRequest.objects.get().usual_gp == surgery.dr_hughes


def test_request_appointment_same_day_after_close_is_unmet_and_on_the_worklist(surgery, clerk):
    person = surgery.patient()
    evening = london(2030, 12, 3, 20, 0)  # the surgery closed at 6:30pm, the centre at 8pm
    surgery.slot(surgery.dr_hughes, evening + timedelta(minutes=30))  # a late session: no matter

    result = services.request_appointment(
        person=person, right="same_day", by=clerk, channel=Channel.ONLINE, at=evening
    )

    assert result.slots == [] and result.offer.unmet_reason == "closed"
    record = AccessRequest.objects.on_worklist().get()
    assert (record.outcome, record.unmet_reason, record.options_offered) == ("unmet", "closed", 0)


def test_request_appointment_uses_the_centre_hours_when_the_practice_has_no_site(surgery, clerk):
    surgery.site.opening_hours.all().delete()
    surgery.site.organisation = ProfessionalFactory().organisation  # the site is someone else's
    surgery.site.save()
    saturday = london(2030, 12, 7, 10, 0)  # the centre opens on Saturdays; the practice did not
    slot = surgery.slot(surgery.nurse, saturday + timedelta(hours=9))

    result = services.request_appointment(
        person=surgery.patient(), right="same_day", by=clerk, channel="online", at=saturday
    )

    assert result.slots == [slot]


def test_request_appointment_for_someone_not_registered_is_unmet(clerk):
    result = ask(PersonFactory(), "within_48h", clerk)
    assert result.offer.unmet_reason == "not_registered"
    assert AccessRequest.objects.get().practice is None


def test_request_appointment_refuses_a_malformed_right_and_writes_nothing(surgery, clerk):
    with pytest.raises(services.InvalidRequest):
        ask(surgery.patient(), "tomorrow_please", clerk)
    assert not AccessRequest.objects.exists()


def test_request_appointment_book_ahead_needs_a_gp_of_the_surgery(surgery, clerk):
    person = surgery.patient()
    with pytest.raises(services.InvalidRequest):
        ask(person, "book_ahead", clerk)
    with pytest.raises(services.InvalidRequest):
        ask(person, "book_ahead", clerk, chosen_gp=ProfessionalFactory(profession="gp"))
    with pytest.raises(services.InvalidRequest):
        ask(person, "book_ahead", clerk, chosen_gp=surgery.nurse)
    assert not AccessRequest.objects.exists()


def test_request_appointment_book_ahead_offers_only_the_chosen_gp_after_48_hours(surgery, clerk):
    person = surgery.patient()
    UsualGpChoice.objects.create(person=person, professional=surgery.dr_malik)
    surgery.slot(surgery.dr_hughes, NOW + timedelta(hours=47))
    ahead = surgery.slot(surgery.dr_hughes, NOW + timedelta(days=6))
    surgery.slot(surgery.dr_malik, NOW + timedelta(days=5))

    result = ask(person, "book_ahead", clerk, chosen_gp=surgery.dr_hughes)

    assert result.slots == [ahead]


def test_request_appointment_online_leaves_out_home_visits(surgery, clerk):
    person = surgery.patient()
    surgery.slot(surgery.dr_hughes, NOW + timedelta(hours=2), mode=Mode.HOME_VISIT)
    phone = surgery.slot(surgery.dr_hughes, NOW + timedelta(hours=3), mode=Mode.PHONE)
    result = ask(person, "same_day", clerk, modes=[Mode.PHONE, Mode.VIDEO, Mode.FACE_TO_FACE])
    assert result.slots == [phone]


# --- booking ---------------------------------------------------------------------------------


def test_book_appointment_books_and_meets_the_request(surgery, clerk):
    person = surgery.patient()
    slot = surgery.slot(surgery.dr_hughes, NOW + timedelta(hours=4))
    record = ask(person, "within_48h", clerk).access_request

    appointment = book(slot, person, clerk, access_request=record)

    assert (appointment.status, appointment.booked_by, appointment.slot) == ("booked", clerk, slot)
    record.refresh_from_db()
    assert (record.outcome, record.appointment) == (Outcome.MET, appointment)


def test_book_appointment_twice_for_one_slot_raises_slot_taken(surgery, clerk):
    slot = surgery.slot(surgery.dr_hughes, NOW + timedelta(hours=4))
    first = book(slot, surgery.patient(), clerk)
    with pytest.raises(SlotTaken):
        book(slot, surgery.patient(), clerk)
    assert list(Appointment.objects.all()) == [first]


def test_book_appointment_same_submission_books_once(surgery, clerk):
    person = surgery.patient()
    slot = surgery.slot(surgery.dr_hughes, NOW + timedelta(hours=4))
    submission = uuid.uuid4()
    first = book(slot, person, clerk, submission_id=submission)
    again = book(slot, person, clerk, submission_id=submission)
    assert first == again and Appointment.objects.count() == 1


def test_book_appointment_same_submission_for_another_person_is_refused(surgery, clerk):
    submission = uuid.uuid4()
    book(
        surgery.slot(surgery.dr_hughes, NOW + timedelta(hours=4)),
        surgery.patient(),
        clerk,
        submission_id=submission,
    )
    with pytest.raises(BookingError, match="someone else"):
        book(
            surgery.slot(surgery.dr_malik, NOW + timedelta(hours=5)),
            surgery.patient(),
            clerk,
            submission_id=submission,
        )


def test_book_appointment_after_a_cancellation_rebooks_the_slot(surgery, clerk):
    slot = surgery.slot(surgery.dr_hughes, NOW + timedelta(hours=4))
    first = book(slot, surgery.patient(), clerk)
    services.cancel_appointment(appointment=first, by=clerk, at=NOW)
    second = book(slot, surgery.patient(), clerk)
    assert second.status == "booked"
    assert Appointment.objects.active().filter(slot=slot).get() == second


def test_one_active_appointment_per_slot_is_kept_by_the_database(surgery, clerk):
    """Without the service: the partial unique index itself refuses a second active booking."""
    slot = surgery.slot(surgery.dr_hughes, NOW + timedelta(hours=4))
    AppointmentFactory(slot=slot, status=AppointmentStatus.CANCELLED)
    AppointmentFactory(slot=slot, status=AppointmentStatus.BOOKED)
    for status in AppointmentStatus.active_values():
        with pytest.raises(IntegrityError), transaction.atomic():
            AppointmentFactory(slot=slot, status=status)
    AppointmentFactory(slot=slot, status=AppointmentStatus.CANCELLED)  # cancelled ones are free


def test_book_appointment_refuses_a_slot_that_has_started(surgery, clerk):
    slot = surgery.slot(surgery.dr_hughes, NOW - timedelta(minutes=5))
    with pytest.raises(BookingError, match="already started"):
        book(slot, surgery.patient(), clerk)
    assert not Appointment.objects.exists()


def test_book_appointment_refuses_a_slot_that_does_not_meet_the_request(surgery, clerk):
    person = surgery.patient()
    surgery.slot(surgery.dr_malik, NOW + timedelta(hours=3))  # something to offer
    record = ask(person, "within_48h", clerk).access_request
    nurse_slot = surgery.slot(surgery.nurse, NOW + timedelta(hours=2))
    late_slot = surgery.slot(surgery.dr_hughes, NOW + timedelta(days=4))
    for slot in (nurse_slot, late_slot):
        with pytest.raises(BookingError, match="does not meet"):
            book(slot, person, clerk, access_request=record)
    assert not Appointment.objects.exists()


def test_book_appointment_one_request_books_once_even_from_a_stale_copy(surgery, clerk):
    """Two tabs hold the same offered request; each books a different option. The second is
    refused: the request is read again, locked, inside the booking."""
    person = surgery.patient()
    first_slot = surgery.slot(surgery.dr_hughes, NOW + timedelta(hours=3))
    second_slot = surgery.slot(surgery.dr_malik, NOW + timedelta(hours=4))
    record = ask(person, "within_48h", clerk).access_request
    other_tab = AccessRequest.objects.get(pk=record.pk)

    book(first_slot, person, clerk, access_request=record)
    with pytest.raises(BookingError, match="already been booked"):
        book(second_slot, person, clerk, access_request=other_tab)

    assert Appointment.objects.filter(person=person).count() == 1


def test_book_appointment_refuses_someone_else_s_request(surgery, clerk):
    record = ask(surgery.patient(), "within_48h", clerk).access_request
    slot = surgery.slot(surgery.dr_hughes, NOW + timedelta(hours=2))
    with pytest.raises(BookingError, match="someone else"):
        book(slot, surgery.patient(), clerk, access_request=record)


def test_book_appointment_home_visit_carries_the_current_address(surgery, clerk):
    person = surgery.patient()
    AddressFactory(person=person, line="27 Skinner Street", city="Stockton", postal_code="TS18 1EU")
    slot = surgery.slot(surgery.nurse, NOW + timedelta(hours=2), mode=Mode.HOME_VISIT)
    appointment = book(slot, person, clerk)
    assert appointment.address == "27 Skinner Street, Stockton TS18 1EU"
    assert book(surgery.slot(surgery.nurse, NOW + timedelta(hours=3)), person, clerk).address == ""


def test_book_appointment_emails_the_person_after_commit(
    surgery, clerk, django_capture_on_commit_callbacks
):
    person = surgery.patient(email="meera@example.org")
    slot = surgery.slot(surgery.dr_hughes, london(2030, 12, 3, 14, 30))
    with django_capture_on_commit_callbacks(execute=True):
        book(slot, person, clerk)
    assert [m.to for m in mail.outbox] == [["meera@example.org"]]
    assert "Tuesday 3 December 2030 at 2:30pm" in mail.outbox[0].body


def test_booking_with_the_surgery_takes_unmet_requests_off_the_worklist(surgery, clerk):
    person = surgery.patient()
    ask(person, "within_48h", clerk)  # nothing free: unmet
    assert AccessRequest.objects.on_worklist().count() == 1
    book(surgery.slot(surgery.dr_hughes, NOW + timedelta(days=3)), person, clerk)
    unmet = AccessRequest.objects.get()
    assert (unmet.outcome, unmet.resolution) == ("unmet", "Appointment booked")
    assert not AccessRequest.objects.on_worklist().exists()


# --- changing appointments -------------------------------------------------------------------


def test_cancel_appointment_frees_the_slot_and_twice_is_once(surgery, clerk):
    appointment = book(
        surgery.slot(surgery.dr_hughes, NOW + timedelta(hours=4)), surgery.patient(), clerk
    )
    services.cancel_appointment(appointment=appointment, by=clerk, reason="Feeling better", at=NOW)
    again = services.cancel_appointment(appointment=appointment, by=clerk, at=NOW)
    assert (again.status, again.cancellation_reason, again.cancelled_by) == (
        "cancelled",
        "Feeling better",
        clerk,
    )


def test_cancel_appointment_after_it_started_is_refused(surgery, clerk):
    appointment = book(
        surgery.slot(surgery.dr_hughes, NOW + timedelta(hours=1)), surgery.patient(), clerk
    )
    with pytest.raises(AppointmentError, match="already started"):
        services.cancel_appointment(appointment=appointment, by=clerk, at=NOW + timedelta(hours=2))
    appointment.refresh_from_db()
    assert appointment.status == "booked"


def test_rebook_appointment_moves_it_and_frees_the_old_slot(surgery, clerk):
    person = surgery.patient()
    old_slot = surgery.slot(surgery.dr_hughes, NOW + timedelta(hours=4))
    new_slot = surgery.slot(surgery.dr_hughes, NOW + timedelta(days=2))
    old = book(old_slot, person, clerk)

    new = services.rebook_appointment(
        appointment=old, slot=new_slot, by=clerk, submission_id=uuid.uuid4(), at=NOW
    )

    old.refresh_from_db()
    assert (old.status, old.cancellation_reason, new.rebooked_from) == (
        "cancelled",
        "Rebooked",
        old,
    )
    assert (new.slot, new.status) == (new_slot, "booked")


def test_rebook_appointment_to_a_taken_slot_keeps_the_old_one(surgery, clerk):
    person = surgery.patient()
    old = book(surgery.slot(surgery.dr_hughes, NOW + timedelta(hours=4)), person, clerk)
    taken = surgery.slot(surgery.dr_hughes, NOW + timedelta(days=2))
    book(taken, surgery.patient(), clerk)
    with pytest.raises(SlotTaken):
        services.rebook_appointment(
            appointment=old, slot=taken, by=clerk, submission_id=uuid.uuid4(), at=NOW
        )
    old.refresh_from_db()
    assert old.status == "booked"


def test_mark_appointment_arrived_then_seen_on_the_day(surgery, clerk):
    appointment = book(
        surgery.slot(surgery.dr_hughes, NOW + timedelta(hours=1)), surgery.patient(), clerk
    )
    later = NOW + timedelta(hours=1)
    services.mark_arrived(appointment=appointment, by=clerk, at=later)
    services.mark_seen(appointment=appointment, by=surgery.dr_hughes.user, at=later)
    seen = services.mark_seen(appointment=appointment, by=surgery.dr_hughes.user, at=later)
    assert (seen.status, seen.status_changed_at) == ("fulfilled", later)


def test_mark_appointment_before_its_day_or_did_not_attend_before_it_starts_is_refused(
    surgery, clerk
):
    tomorrow = book(
        surgery.slot(surgery.dr_hughes, NOW + timedelta(days=1)), surgery.patient(), clerk
    )
    with pytest.raises(AppointmentError, match="later day"):
        services.mark_arrived(appointment=tomorrow, by=clerk, at=NOW)
    soon = book(surgery.slot(surgery.dr_hughes, NOW + timedelta(hours=1)), surgery.patient(), clerk)
    with pytest.raises(AppointmentError, match="not started"):
        services.mark_did_not_attend(appointment=soon, by=clerk, at=NOW)
    services.mark_did_not_attend(appointment=soon, by=clerk, at=NOW + timedelta(hours=2))
    soon.refresh_from_db()
    assert soon.status == "noshow"


def test_mark_appointment_that_was_cancelled_is_an_illegal_transition(surgery, clerk):
    appointment = book(
        surgery.slot(surgery.dr_hughes, NOW + timedelta(hours=1)), surgery.patient(), clerk
    )
    services.cancel_appointment(appointment=appointment, by=clerk, at=NOW)
    with pytest.raises(IllegalTransition, match="cancelled cannot be marked as seen"):
        services.mark_seen(appointment=appointment, by=clerk, at=NOW + timedelta(hours=1))


# --- the waiting list ------------------------------------------------------------------------


def test_cancelled_gp_slot_is_offered_to_whoever_waited_longest(surgery, clerk):
    first, second = surgery.patient(given_name="First"), surgery.patient(given_name="Second")
    services.add_to_waiting_list(person=first, by=clerk, at=NOW - timedelta(days=2))
    services.add_to_waiting_list(person=second, by=clerk, at=NOW - timedelta(days=1))
    appointment = book(
        surgery.slot(surgery.dr_hughes, NOW + timedelta(hours=4)), surgery.patient(), clerk
    )

    services.cancel_appointment(appointment=appointment, by=clerk, at=NOW)

    offered = first.waiting_list_entries.get()
    assert (offered.status, offered.offered_slot) == ("offered", appointment.slot)
    assert second.waiting_list_entries.get().status == "waiting"


def test_waiting_for_a_named_gp_is_not_offered_another_gp(surgery, clerk):
    person = surgery.patient()
    services.add_to_waiting_list(person=person, by=clerk, professional=surgery.dr_malik, at=NOW)
    appointment = book(
        surgery.slot(surgery.dr_hughes, NOW + timedelta(hours=4)), surgery.patient(), clerk
    )
    services.cancel_appointment(appointment=appointment, by=clerk, at=NOW)
    assert person.waiting_list_entries.get().status == "waiting"


def test_book_offered_slot_books_it_and_closes_the_entry(surgery, clerk):
    person = surgery.patient()
    entry = services.add_to_waiting_list(person=person, by=clerk, at=NOW)
    cancelled = book(
        surgery.slot(surgery.dr_hughes, NOW + timedelta(hours=4)), surgery.patient(), clerk
    )
    services.cancel_appointment(appointment=cancelled, by=clerk, at=NOW)
    entry.refresh_from_db()

    appointment = services.book_offered_slot(
        entry=entry, by=clerk, submission_id=uuid.uuid4(), at=NOW
    )

    entry.refresh_from_db()
    assert (entry.status, entry.appointment) == (WaitingStatus.BOOKED, appointment)


def test_book_offered_slot_taken_by_someone_else_puts_the_person_back_to_waiting(surgery, clerk):
    person = surgery.patient()
    entry = services.add_to_waiting_list(person=person, by=clerk, at=NOW)
    cancelled = book(
        surgery.slot(surgery.dr_hughes, NOW + timedelta(hours=4)), surgery.patient(), clerk
    )
    services.cancel_appointment(appointment=cancelled, by=clerk, at=NOW)
    book(cancelled.slot, surgery.patient(), clerk)  # reception gives it to someone at the desk
    entry.refresh_from_db()

    with pytest.raises(SlotTaken):
        services.book_offered_slot(entry=entry, by=clerk, submission_id=uuid.uuid4(), at=NOW)

    entry.refresh_from_db()
    assert (entry.status, entry.offered_slot) == ("waiting", None)


def test_add_to_waiting_list_twice_is_one_entry(surgery, clerk):
    person = surgery.patient()
    assert services.add_to_waiting_list(person=person, by=clerk) == services.add_to_waiting_list(
        person=person, by=clerk
    )


# --- the usual GP ----------------------------------------------------------------------------


def _seen(surgery, person, who, when):
    return AppointmentFactory(
        slot=surgery.slot(who, when), person=person, status=AppointmentStatus.FULFILLED
    )


def test_usual_gp_is_the_gp_seen_most_in_two_years_unless_one_was_chosen(surgery):
    person = surgery.patient()
    for days in (10, 40, 100):
        _seen(surgery, person, surgery.dr_malik, NOW - timedelta(days=days))
    for days in (5, 800, 900, 1000):  # only one of Dr Hughes's is within two years
        _seen(surgery, person, surgery.dr_hughes, NOW - timedelta(days=days))
    for days in (1, 2, 3, 4):  # the nurse is not a GP
        _seen(surgery, person, surgery.nurse, NOW - timedelta(days=days, hours=1))
    AppointmentFactory(
        slot=surgery.slot(surgery.dr_hughes, NOW - timedelta(days=6)),
        person=person,
        status=AppointmentStatus.NOSHOW,
    )
    assert services.usual_gp_id(person, at=NOW) == surgery.dr_malik.pk

    services.choose_usual_gp(person=person, professional=surgery.dr_hughes, by=None)
    assert services.usual_gp_id(person, at=NOW) == surgery.dr_hughes.pk


def test_choose_usual_gp_must_be_a_gp(surgery):
    with pytest.raises(services.InvalidRequest):
        services.choose_usual_gp(person=surgery.patient(), professional=surgery.nurse, by=None)


# --- feedback and the worklist ---------------------------------------------------------------


def test_give_feedback_after_being_seen_once(surgery):
    appointment = _seen(surgery, surgery.patient(), surgery.dr_hughes, NOW - timedelta(days=1))
    first = services.give_feedback(
        appointment=appointment, answer="very_good", text=" Kind ", by=None
    )
    again = services.give_feedback(appointment=appointment, answer="poor", text="", by=None)
    assert first == again and (again.answer, again.text) == ("very_good", "Kind")
    assert Feedback.objects.count() == 1


def test_give_feedback_before_being_seen_is_refused(surgery, clerk):
    appointment = book(
        surgery.slot(surgery.dr_hughes, NOW + timedelta(hours=1)), surgery.patient(), clerk
    )
    with pytest.raises(AppointmentError, match="once you have been seen"):
        services.give_feedback(appointment=appointment, answer="good", text="", by=None)


def test_resolve_access_request_takes_it_off_the_worklist_but_keeps_it_unmet(surgery, clerk):
    record = ask(surgery.patient(), "within_48h", clerk).access_request
    services.resolve_access_request(access_request=record, by=clerk, resolution="Called back")
    record.refresh_from_db()
    assert (record.outcome, record.resolution, record.resolved_by) == (
        "unmet",
        "Called back",
        clerk,
    )
    assert not AccessRequest.objects.on_worklist().exists()


# --- the relationship ------------------------------------------------------------------------


def test_booked_appointment_today_or_later_is_a_relationship(surgery):
    from django.utils import timezone

    person, gp = surgery.patient(), surgery.dr_hughes
    assert not Person.objects.visible_to(gp.user).filter(pk=person.pk).exists()
    later = AppointmentFactory(
        slot=surgery.slot(gp, timezone.now() + timedelta(days=2)), person=person
    )
    assert Person.objects.visible_to(gp.user).filter(pk=person.pk).exists()

    later.status = AppointmentStatus.CANCELLED
    later.save()
    AppointmentFactory(
        slot=surgery.slot(gp, timezone.now() - timedelta(days=3)),
        person=person,
        status=AppointmentStatus.FULFILLED,
    )
    assert not Person.objects.visible_to(gp.user).filter(pk=person.pk).exists()


def test_appointment_with_someone_else_gives_no_relationship(surgery):
    from django.utils import timezone

    person = surgery.patient()
    AppointmentFactory(
        slot=surgery.slot(surgery.dr_hughes, timezone.now() + timedelta(days=1)), person=person
    )
    assert not Person.objects.visible_to(surgery.dr_malik.user).filter(pk=person.pk).exists()
    assert not Person.objects.visible_to(UserFactory()).filter(pk=person.pk).exists()
