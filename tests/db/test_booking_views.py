"""Booking over HTTP: the resident's pages and the staff pages, bad input included.

Every failure is checked for what it must not do: write an appointment, a request or an audit
row it should not.
"""

import ast
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from oneroof.access.models import (
    AccessRequest,
    Appointment,
    AppointmentStatus,
    Feedback,
    RotaSession,
    Slot,
    UsualGpChoice,
    WaitingListEntry,
)
from oneroof.audit.models import RecordAccess
from oneroof.people.models import Carer, Consent
from tests.db.access_factories import (
    AppointmentFactory,
    make_surgery,
)
from tests.factories import (
    OrganisationFactory,
    PersonFactory,
    ProfessionalFactory,
    UserFactory,
    team_around,
)

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def surgery():
    return make_surgery()


@pytest.fixture
def meera(surgery):
    return surgery.patient(given_name="Meera", family_name="Patel", user=UserFactory())


def soon(hours=3):
    return timezone.now() + timedelta(hours=hours)


def ask_online(client, right="within_48h", **extra):
    return client.post(reverse("portal:appointment_request"), {"right": right, **extra})


def options_url(record):
    return reverse("portal:appointment_options", kwargs={"public_id": record.public_id})


def book_form(slot, submission=None):
    return {"slot": slot.pk, "submission_id": str(submission or uuid.uuid4())}


# --- the resident's pages --------------------------------------------------------------------


def test_portal_resident_books_within_48h_with_their_usual_gp_first(client_for, surgery, meera):
    other = surgery.slot(surgery.dr_malik, soon(2))
    usual = surgery.slot(surgery.dr_hughes, soon(20))
    AppointmentFactory(
        slot=surgery.slot(surgery.dr_hughes, timezone.now() - timedelta(days=30)),
        person=meera,
        status=AppointmentStatus.FULFILLED,
    )
    client = client_for(meera.user)

    response = ask_online(client)
    record = AccessRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == options_url(record)
    page = client.get(options_url(record)).content.decode()
    assert (
        page.index("your usual GP")
        < page.index(f'value="{usual.pk}"')
        < page.index(f'value="{other.pk}"')
    )

    response = client.post(options_url(record), book_form(usual))

    assert response.status_code == 302
    appointment = Appointment.objects.get(status="booked")
    assert (appointment.person, appointment.slot, appointment.channel) == (meera, usual, "online")
    record.refresh_from_db()
    assert (record.outcome, record.channel) == ("met", "online")
    listing = client.get(reverse("portal:appointment_list")).content.decode()
    assert "Dr Tom Hughes" in listing


def test_portal_option_forms_carry_the_csrf_token(client_for, surgery, meera):
    """Each option is its own form, built in a macro: the token must reach every one."""
    surgery.slot(surgery.dr_hughes, soon())
    surgery.slot(surgery.dr_malik, soon(4))
    client = client_for(meera.user)
    ask_online(client)
    page = client.get(options_url(AccessRequest.objects.get())).content.decode()
    option_forms = page.count('name="submission_id"')
    assert option_forms == 2
    assert page.count('name="csrfmiddlewaretoken"') >= option_forms + 1  # and signing out


def test_portal_chosen_gp_is_kept_only_for_book_ahead(client_for, surgery, meera):
    ask_online(client_for(meera.user), chosen_gp=surgery.dr_malik.pk)
    assert AccessRequest.objects.get().chosen_gp is None


def test_portal_double_submitted_booking_makes_one_appointment(client_for, surgery, meera):
    slot = surgery.slot(surgery.dr_hughes, soon())
    client = client_for(meera.user)
    ask_online(client)
    record = AccessRequest.objects.get()
    form = book_form(slot)

    first = client.post(options_url(record), form)
    second = client.post(options_url(record), form)

    assert first.status_code == second.status_code == 302
    assert Appointment.objects.count() == 1


def test_portal_booking_a_taken_slot_is_409_and_writes_nothing(client_for, surgery, meera):
    slot = surgery.slot(surgery.dr_hughes, soon())
    client = client_for(meera.user)
    ask_online(client)
    record = AccessRequest.objects.get()
    taken = AppointmentFactory(slot=slot)  # someone at the desk got there first

    response = client.post(options_url(record), book_form(slot))

    assert response.status_code == 409
    assert "That appointment has just been taken" in response.content.decode()
    assert list(Appointment.objects.all()) == [taken]
    record.refresh_from_db()
    assert record.outcome == "offered"


@pytest.mark.parametrize("right", ["", "tomorrow", "within_48h'; DROP TABLE", "BOOK_AHEAD"])
def test_portal_malformed_right_is_400_and_writes_nothing(client_for, meera, right):
    response = ask_online(client_for(meera.user), right=right)
    assert response.status_code == 400
    assert "Choose what kind of appointment is needed" in response.content.decode()
    assert not AccessRequest.objects.exists()


def test_portal_book_ahead_without_a_gp_is_400(client_for, meera):
    response = ask_online(client_for(meera.user), right="book_ahead")
    assert response.status_code == 400
    assert "Choose the GP to see" in response.content.decode()
    assert not AccessRequest.objects.exists()


def test_portal_resident_cannot_see_or_book_someone_else_s_request(client_for, surgery, meera):
    neighbour = surgery.patient(user=UserFactory())
    slot = surgery.slot(surgery.dr_hughes, soon())
    ask_online(client_for(neighbour.user))
    theirs = AccessRequest.objects.get()
    client = client_for(meera.user)

    assert client.get(options_url(theirs)).status_code == 404
    assert client.post(options_url(theirs), book_form(slot)).status_code == 404
    assert not Appointment.objects.exists()
    theirs.refresh_from_db()
    assert theirs.outcome == "offered"


def test_portal_resident_cannot_book_a_slot_that_was_not_offered(client_for, surgery, meera):
    surgery.slot(surgery.dr_hughes, soon())
    nurse_slot = surgery.slot(surgery.nurse, soon(4))
    client = client_for(meera.user)
    ask_online(client)
    record = AccessRequest.objects.get()

    response = client.post(options_url(record), book_form(nurse_slot))

    assert response.status_code == 400
    assert "does not meet the request" in response.content.decode()
    assert not Appointment.objects.exists()


def test_portal_resident_chooses_their_usual_gp(client_for, surgery, meera):
    client = client_for(meera.user)
    url = reverse("portal:usual_gp")
    assert "You have not chosen a usual GP yet" in client.get(url).content.decode()

    response = client.post(url, {"professional": surgery.dr_malik.pk})

    assert response.status_code == 302
    assert UsualGpChoice.objects.get(person=meera).professional == surgery.dr_malik
    assert "Your usual GP is Dr Fatima Malik" in client.get(url).content.decode()


def test_portal_usual_gp_must_be_a_gp_at_their_surgery(client_for, surgery, meera):
    elsewhere = ProfessionalFactory(profession="gp", organisation=OrganisationFactory())
    client = client_for(meera.user)
    for chosen in (elsewhere.pk, surgery.nurse.pk, "", "abc"):
        response = client.post(reverse("portal:usual_gp"), {"professional": chosen})
        assert response.status_code == 400
        assert "Choose a GP" in response.content.decode()
    assert not UsualGpChoice.objects.exists()


def test_portal_resident_cannot_cancel_someone_else_s_appointment(client_for, surgery, meera):
    theirs = AppointmentFactory(slot=surgery.slot(surgery.dr_hughes, soon()))
    url = reverse("portal:appointment_cancel", kwargs={"public_id": theirs.public_id})
    client = client_for(meera.user)
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "booked"


def test_portal_resident_cancels_their_appointment(client_for, surgery, meera):
    mine = AppointmentFactory(slot=surgery.slot(surgery.dr_hughes, soon()), person=meera)
    url = reverse("portal:appointment_cancel", kwargs={"public_id": mine.public_id})
    client = client_for(meera.user)
    assert "Cancel your appointment?" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    mine.refresh_from_db()
    assert (mine.status, mine.cancelled_by) == ("cancelled", meera.user)


def test_portal_unmet_request_says_so_plainly_and_is_recorded(client_for, meera):
    client = client_for(meera.user)
    ask_online(client)
    record = AccessRequest.objects.get()
    page = client.get(options_url(record)).content.decode()
    assert "There are no GP appointments free in the next 48 hours" in page
    assert (record.outcome, record.unmet_reason) == ("unmet", "no_capacity")


def test_portal_feedback_after_being_seen(client_for, surgery, meera):
    seen = AppointmentFactory(
        slot=surgery.slot(surgery.dr_hughes, timezone.now() - timedelta(days=1)),
        person=meera,
        status=AppointmentStatus.FULFILLED,
    )
    url = reverse("portal:feedback_give", kwargs={"public_id": seen.public_id})
    client = client_for(meera.user)
    page = client.get(url).content.decode()
    assert "Overall, how was your experience of our service?" in page
    for answer in (
        "Very good",
        "Good",
        "Neither good nor poor",
        "Poor",
        "Very poor",
        "Don&#39;t know",
    ):
        assert answer in page

    assert client.post(url, {"answer": "excellent"}).status_code == 400
    assert client.post(url, {"answer": "good", "text": "Listened to me"}).status_code == 302
    assert Feedback.objects.get().text == "Listened to me"


def test_portal_feedback_before_being_seen_is_404(client_for, surgery, meera):
    booked = AppointmentFactory(slot=surgery.slot(surgery.dr_hughes, soon()), person=meera)
    url = reverse("portal:feedback_give", kwargs={"public_id": booked.public_id})
    assert client_for(meera.user).post(url, {"answer": "good"}).status_code == 404
    assert not Feedback.objects.exists()


def test_portal_pages_are_closed_to_staff(client_for, surgery):
    assert (
        client_for(surgery.receptionist).get(reverse("portal:appointment_list")).status_code == 403
    )


# --- the staff pages -------------------------------------------------------------------------


def person_page(person):
    return reverse("access:appointment_book", kwargs={"public_id": person.public_id})


def test_reception_books_book_ahead_with_the_chosen_gp(client_for, surgery, meera):
    later = surgery.slot(surgery.dr_malik, timezone.now() + timedelta(days=5))
    surgery.slot(surgery.dr_hughes, timezone.now() + timedelta(days=5))
    client = client_for(surgery.receptionist)

    response = client.post(
        person_page(meera), {"right": "book_ahead", "chosen_gp": surgery.dr_malik.pk}
    )
    record = AccessRequest.objects.get()
    assert response.status_code == 302
    page = client.get(reverse("access:request_view", kwargs={"public_id": record.public_id}))
    assert f'value="{later.pk}"' in page.content.decode()
    book = reverse("access:request_book", kwargs={"public_id": record.public_id})

    assert client.post(book, book_form(later)).status_code == 302

    appointment = Appointment.objects.get()
    assert (appointment.slot, appointment.booked_by, appointment.channel) == (
        later,
        surgery.receptionist.user,
        "reception",
    )
    assert (record.chosen_gp, record.right) == (surgery.dr_malik, "book_ahead")


def test_staff_booking_page_is_audited_as_booking_for_the_practice(client_for, surgery, meera):
    assert client_for(surgery.receptionist).get(person_page(meera)).status_code == 200
    audit = RecordAccess.objects.get(person=meera)
    assert (audit.purpose, audit.action) == ("registered_practice", "viewed appointments")


def test_reception_of_another_practice_cannot_book_or_see(client_for, surgery, meera):
    elsewhere = ProfessionalFactory(profession="receptionist", organisation=OrganisationFactory())
    client = client_for(elsewhere)
    assert client.get(person_page(meera)).status_code == 403
    assert client.post(person_page(meera), {"right": "within_48h"}).status_code == 403
    slot = surgery.slot(surgery.dr_hughes, soon())
    book = reverse("access:slot_book", kwargs={"public_id": meera.public_id})
    assert client.post(book, book_form(slot)).status_code == 403
    assert not AccessRequest.objects.exists() and not Appointment.objects.exists()
    assert not RecordAccess.objects.filter(person=meera).exists()


def test_care_team_member_books_a_home_visit_directly(client_for, surgery, meera):
    nurse = ProfessionalFactory(profession="district_nurse", organisation=OrganisationFactory())
    team_around(meera, nurse)
    visit = surgery.slot(nurse, soon(), mode="home_visit", minutes=30)
    client = client_for(nurse)
    page = client.get(person_page(meera), {"professional": nurse.pk}).content.decode()
    assert f'value="{visit.pk}"' in page
    book = reverse("access:slot_book", kwargs={"public_id": meera.public_id})

    assert client.post(book, book_form(visit)).status_code == 302
    assert client.post(book, book_form(visit)).status_code == 409  # a new form: slot taken

    appointment = Appointment.objects.get()
    assert (appointment.channel, appointment.slot) == ("clinician", visit)


def test_day_list_marks_arrived_then_seen(client_for, surgery, meera):
    appointment = AppointmentFactory(
        slot=surgery.slot(surgery.dr_hughes, timezone.now() - timedelta(minutes=1)), person=meera
    )
    client = client_for(surgery.dr_hughes)
    page = client.get(reverse("access:day_list")).content.decode()
    assert "Mrs" not in page and "Meera Patel" in page
    url = reverse("access:appointment_status", kwargs={"public_id": appointment.public_id})

    assert client.post(url, {"status": "arrived"}).status_code == 302
    assert client.post(url, {"status": "fulfilled"}).status_code == 302
    assert client.post(url, {"status": "teleported"}).status_code == 302  # refused, with a message

    appointment.refresh_from_db()
    assert appointment.status == "fulfilled"


def test_professional_of_another_organisation_cannot_manage_an_appointment(
    client_for, surgery, meera
):
    appointment = AppointmentFactory(slot=surgery.slot(surgery.dr_hughes, soon()), person=meera)
    stranger = ProfessionalFactory(profession="physiotherapist", organisation=OrganisationFactory())
    client = client_for(stranger)
    for name in ("appointment_cancel", "appointment_rebook", "appointment_status"):
        url = reverse(f"access:{name}", kwargs={"public_id": appointment.public_id})
        assert client.post(url, {"status": "noshow"}).status_code == 404
    appointment.refresh_from_db()
    assert appointment.status == "booked"


def test_worklist_shows_unmet_requests_until_resolved(client_for, surgery, meera):
    client = client_for(surgery.receptionist)
    client.post(person_page(meera), {"right": "within_48h"})
    record = AccessRequest.objects.get()
    assert record.outcome == "unmet"
    worklist = client.get(reverse("access:worklist")).content.decode()
    assert "Meera" in worklist and "There are no GP appointments free" in worklist

    resolve = reverse("access:request_resolve", kwargs={"public_id": record.public_id})
    client.post(resolve, {"resolution": ""})  # what was done is needed
    assert AccessRequest.objects.on_worklist().exists()
    client.post(resolve, {"resolution": "Booked at the health centre tomorrow"})

    assert not AccessRequest.objects.on_worklist().exists()
    assert "Every request has been met" in client.get(reverse("access:worklist")).content.decode()


def test_worklist_leaves_out_other_practices_patients(client_for, surgery, meera):
    other = ProfessionalFactory(profession="receptionist", organisation=OrganisationFactory())
    client_for(surgery.receptionist).post(person_page(meera), {"right": "within_48h"})
    assert "Meera" not in client_for(other).get(reverse("access:worklist")).content.decode()


def test_waiting_list_offer_is_booked_from_the_resident_s_page(client_for, surgery, meera):
    clerk = client_for(surgery.receptionist)
    clerk.post(person_page(meera), {"right": "within_48h"})
    record = AccessRequest.objects.get()
    clerk.post(reverse("access:waiting_add", kwargs={"public_id": record.public_id}))
    other = AppointmentFactory(slot=surgery.slot(surgery.dr_hughes, soon()))
    clerk.post(
        reverse("access:appointment_cancel", kwargs={"public_id": other.public_id}), {"reason": ""}
    )
    entry = WaitingListEntry.objects.get(person=meera)
    assert entry.status == "offered"

    resident = client_for(meera.user)
    assert (
        "An earlier appointment is free"
        in resident.get(reverse("portal:appointment_list")).content.decode()
    )
    resident.post(
        reverse("portal:offer_book", kwargs={"public_id": entry.public_id}),
        {"submission_id": str(uuid.uuid4())},
    )

    assert Appointment.objects.get(person=meera).slot == other.slot


def test_rota_page_makes_slots_for_new_sessions(client_for, surgery):
    RotaSession.objects.create(
        professional=surgery.dr_hughes,
        site=surgery.site,
        date=timezone.localdate() + timedelta(days=1),
        start="09:00",
        end="10:00",
        mode="phone",
        slot_minutes=15,
    )
    client = client_for(surgery.receptionist)
    assert "Not made yet" in client.get(reverse("access:rota_view")).content.decode()
    client.post(reverse("access:rota_generate"))
    client.post(reverse("access:rota_generate"))  # again: nothing more
    assert Slot.objects.count() == 4
    assert "0 of 4 booked" in client.get(reverse("access:rota_view")).content.decode()


# --- the record section ----------------------------------------------------------------------


def test_record_shows_appointments_and_continuity_in_constant_queries(client_for, surgery, meera):
    team_around(meera, surgery.dr_hughes)
    url = reverse("care:record_view", kwargs={"public_id": meera.public_id})
    client = client_for(surgery.dr_hughes)
    AppointmentFactory(slot=surgery.slot(surgery.dr_hughes, soon()), person=meera)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200

    start = timezone.now() - timedelta(days=700)
    for i in range(300):  # 2 in 3 with Dr Hughes
        who = surgery.dr_malik if i % 3 == 0 else surgery.dr_hughes
        AppointmentFactory(
            slot=surgery.slot(who, start + timedelta(days=2 * i)),
            person=meera,
            status=AppointmentStatus.FULFILLED,
        )
    for i in range(30):
        AppointmentFactory(slot=surgery.slot(surgery.nurse, soon(24 * (i + 2))), person=meera)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)

    assert len(large) == len(small)
    section = response.content.decode().split('id="appointments"')[1].split("</section>")[0]
    assert "Dr Tom Hughes (seen most)" in section
    assert "GP contacts in the last 2 years</dt>" in section and ">300<" in section
    assert ">67%<" in section  # UPC = 200 / 300


# --- the access rules in the code ------------------------------------------------------------

MODELS = {"Appointment", "AccessRequest", "WaitingListEntry", "Feedback", "UsualGpChoice", "Person"}
SCOPES = {
    "for_person",
    "for_professional",
    "for_record",
    "find",
    "visible_to",
    "on_worklist",
    "open",
    "bookable_by",
    "manageable_by",
}


def test_booking_views_reach_personal_data_only_through_scopes():
    """As tests/db/test_security.py, for the booking views and their models."""
    offences = []
    modules = ("oneroof/access/views.py", "oneroof/access/hub.py", "oneroof/portal/booking.py")
    for views in map(Path, modules):
        for node in ast.walk(ast.parse(views.read_text())):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Attribute)
                and node.value.attr == "objects"
                and isinstance(node.value.value, ast.Name)
                and node.value.value.id in MODELS
                and node.attr not in SCOPES
            ):
                offences.append(f"{views}:{node.lineno} {node.value.value.id}.objects.{node.attr}")
    assert offences == []


def test_named_professionals_are_the_team_not_external_referrers(client_for, surgery, meera):
    optician = ProfessionalFactory(
        profession="optometrist",
        family_name="Lensmaker",
        is_external_referrer=True,
        organisation=OrganisationFactory(neighbourhood=surgery.practice.neighbourhood),
    )
    page = client_for(surgery.receptionist).get(person_page(meera)).content.decode()
    assert f'value="{surgery.dr_malik.pk}"' in page
    assert f'value="{optician.pk}"' not in page and "Lensmaker" not in page


# --- a carer acting for someone who consented ------------------------------------------------


def _carer(cared_for, status="active"):
    carer_person = PersonFactory(user=UserFactory(), given_name="Priya", family_name="Patel")
    carer = Carer.objects.create(
        cared_for=cared_for, carer_person=carer_person, name="Priya Patel", relationship="CHILD"
    )
    Consent.objects.create(person=cared_for, scope="carer_proxy", status=status, grantee=carer)
    return carer_person, carer


def _act_for(client, person):
    url = reverse("portal:acting_start", kwargs={"public_id": person.public_id})
    return client.post(url)


def test_carer_books_and_cancels_for_the_person_who_consented(client_for, surgery, meera):
    slot = surgery.slot(surgery.dr_hughes, soon(4))
    priya, _ = _carer(meera)
    client = client_for(priya.user)

    assert _act_for(client, meera).status_code == 302
    listing = client.get(reverse("portal:appointment_list")).content.decode()
    assert "Meera Patel&#39;s appointments" in listing
    ask_online(client)
    record = AccessRequest.objects.get()
    assert record.person == meera
    client.post(options_url(record), book_form(slot))

    appointment = Appointment.objects.get()
    assert (appointment.person, appointment.booked_by) == (meera, priya.user)
    assert set(RecordAccess.objects.filter(person=meera).values_list("purpose", flat=True)) == {
        "proxy"
    }
    cancel = reverse("portal:appointment_cancel", kwargs={"public_id": appointment.public_id})
    response = client.post(cancel, follow=True)
    assert "Meera Patel&#39;s appointment on" in response.content.decode()

    client.post(reverse("portal:acting_stop"))
    assert "My appointments" in client.get(reverse("portal:appointment_list")).content.decode()


def test_without_consent_a_carer_cannot_act_for_the_person(client_for, surgery, meera):
    priya, _ = _carer(meera, status="rejected")
    client = client_for(priya.user)
    assert _act_for(client, meera).status_code == 404
    # Nor by writing the id into the session some other way: it is checked on every request.
    session = client.session
    session["portal.acting_for"] = str(meera.public_id)
    session.save()
    page = client.get(reverse("portal:appointment_list")).content.decode()
    assert "My appointments" in page and "Meera" not in page
    ask_online(client)
    assert not AccessRequest.objects.filter(person=meera).exists()
    assert not RecordAccess.objects.filter(person=meera).exists()


def test_withdrawn_consent_ends_acting_at_once(client_for, surgery, meera):
    priya, carer = _carer(meera)
    client = client_for(priya.user)
    _act_for(client, meera)
    Consent.objects.create(person=meera, scope="carer_proxy", status="inactive", grantee=carer)

    page = client.get(reverse("portal:appointment_list")).content.decode()

    assert "My appointments" in page and "Meera Patel&#39;s" not in page
    assert "portal.acting_for" not in client.session
