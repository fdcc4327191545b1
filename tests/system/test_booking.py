"""Booking appointments in Chromium: a resident on her phone, and reception at the desk and
on the rota."""

import uuid
from datetime import time, timedelta

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone
from playwright.sync_api import expect

from oneroof.access import services
from oneroof.access.models import Appointment, Slot
from oneroof.access.opening import bank_holidays
from oneroof.access.presenters import Option
from oneroof.people.models import Carer, Consent
from oneroof.workforce.models import Neighbourhood, OpeningHours, Professional
from tests.db.access_factories import SiteFactory, SlotFactory
from tests.factories import PASSWORD, PersonFactory, ProfessionalFactory, UserFactory
from tests.system.story import Story


@pytest.fixture
def surgery(story: Story):
    """Mrs Patel's surgery: its site and hours, Dr Evans's diary and a receptionist; her
    neighbourhood counts a GP telephone consultation as a GP appointment within 48 hours."""
    practice = story.meera.general_practice
    Neighbourhood.objects.filter(pk=practice.neighbourhood_id).update(within_48h_mode="telephone")
    site = SiteFactory(
        name="Riverside Medical Centre", organisation=practice, neighbourhood=practice.neighbourhood
    )
    OpeningHours.objects.bulk_create(
        OpeningHours(site=site, weekday=day, opens=time(8), closes=time(18, 30)) for day in range(5)
    )
    ProfessionalFactory(
        user=UserFactory(username="lucy.ward", first_name="Lucy", last_name="Ward"),
        given_name="Lucy",
        family_name="Ward",
        profession="receptionist",
        organisation=practice,
    )
    gp = Professional.objects.get(user__username="nia.evans")
    now = timezone.now().replace(second=0, microsecond=0)
    soon = SlotFactory(professional=gp, site=site, start=now + timedelta(hours=5), mode="phone")
    ahead = SlotFactory(professional=gp, site=site, start=now + timedelta(days=4))
    return soon, ahead


def option_label(slot) -> str:
    option = Option.of(slot)
    return f"Book: {option.when}, {option.where}, {option.who}"


def test_resident_books_within_48_hours_on_her_phone_then_cancels(phone, story, surgery):
    soon, _ = surgery

    # Given Mrs Patel has signed in on her phone
    phone.visit("/my/sign-in/")
    phone.fill("Username", "meera.patel")
    phone.fill("Password", PASSWORD)
    phone.press("Continue")

    # And has chosen Dr Evans as the GP she would like to see
    phone.visit("/my/appointments/")
    expect(phone.page.get_by_text("You have no appointments booked.")).to_be_visible()
    phone.follow("Choose the GP you would like to see")
    phone.choose("Which GP would you like to see?", "Dr Nia Evans")
    phone.press("Save my usual GP")
    expect(phone.message()).to_contain_text("Your usual GP is now Dr Nia Evans")

    # When she asks for a GP appointment within 48 hours
    phone.press("Book an appointment")
    phone.page.get_by_role("radio", name="A GP appointment within 48 hours").check()
    phone.press("Find appointments")

    # Then she is told a telephone appointment counts, is offered Dr Evans's, and books it
    expect(phone.page.get_by_role("heading", level=1)).to_have_text("Choose an appointment")
    expect(phone.page.get_by_text("can be face to face or by telephone")).to_be_visible()
    when = Option.of(soon).when
    phone.press(option_label(soon))

    # Then it is in her appointments
    expect(phone.message()).to_contain_text(f"Your appointment is booked for {when}")
    expect(phone.page.get_by_role("listitem").filter(has_text=when)).to_contain_text(
        "By telephone from Riverside Medical Centre, Dr Nia Evans (GP)"
    )

    # When she cancels it
    phone.follow(f"Cancel the appointment on {when}")
    expect(phone.page.get_by_role("heading", level=1)).to_have_text("Cancel your appointment?")
    phone.press("Cancel appointment")

    # Then it is cancelled, and the slot is free for someone else
    expect(phone.message()).to_contain_text(f"Your appointment on {when} is cancelled")
    expect(phone.page.get_by_text("You have no appointments booked.")).to_be_visible()
    assert Appointment.objects.get().status == "cancelled"


def test_reception_books_ahead_with_the_gp_mrs_patel_chooses(browser, story, surgery):
    _, ahead = surgery

    # Given the receptionist has signed in and found Mrs Patel by her NHS number
    browser.sign_in("lucy.ward")
    browser.follow("Appointments")
    browser.fill("NHS number", story.meera.nhs_number)
    browser.press("Find")
    browser.follow("Mrs Meera Patel")
    expect(browser.page.get_by_role("heading", level=1)).to_have_text("Mrs Meera Patel")

    # When she asks for an appointment more than 48 hours ahead with Dr Evans
    browser.page.get_by_role("radio", name="A GP of your choice, more than 48 hours ahead").check()
    browser.choose("GP, for an appointment more than 48 hours ahead", "Dr Nia Evans")
    browser.press("Find appointments")

    # Then Dr Evans's appointment four days ahead is offered, and she books it
    expect(browser.page.get_by_role("heading", level=1)).to_have_text(
        "A GP of your choice, more than 48 hours ahead"
    )
    browser.press(option_label(ahead))

    # Then it is in Mrs Patel's upcoming appointments
    when = Option.of(ahead).when
    expect(browser.message()).to_contain_text(f"Booked: {when} with Dr Nia Evans")
    row = browser.table("Upcoming appointments").get_by_role("row").filter(has_text=when)
    expect(row).to_contain_text("Dr Nia Evans (GP)")
    appointment = Appointment.objects.get()
    assert (appointment.slot, appointment.access_request.right) == (ahead, "book_ahead")


def test_gp_works_the_day_list_and_reception_the_worklist(browser, story, surgery):
    soon, _ = surgery
    meera = story.meera
    today = timezone.now() - timedelta(minutes=5)
    gp = soon.professional
    booked = Appointment.objects.create(
        slot=SlotFactory(professional=gp, site=soon.site, start=today),
        person=meera,
        channel="reception",
        booked_by=gp.user,
    )

    # Given Dr Evans has signed in and opened her day list
    browser.sign_in("nia.evans")
    browser.follow("Appointments")
    browser.follow("My day list")
    row = browser.page.get_by_role("row").filter(has_text="Mrs Meera Patel")

    # When Mrs Patel arrives and is seen
    browser.press("Arrived: Mrs Meera Patel")
    expect(browser.message()).to_contain_text("Mrs Meera Patel: arrived")
    browser.press("Seen: Mrs Meera Patel")

    # Then the day list shows her as seen
    expect(row).to_contain_text("Seen")
    booked.refresh_from_db()
    assert booked.status == "fulfilled"
    browser.sign_out()

    # Given the receptionist asks for a same-day appointment for Mrs Patel when none is free
    soon.delete()
    browser.sign_in("lucy.ward")
    browser.visit(f"/appointments/people/{meera.public_id}/")
    browser.page.get_by_role("radio", name="A GP appointment within 48 hours").check()
    browser.press("Find appointments")

    # Then she is told plainly, and can put Mrs Patel on the waiting list
    expect(
        browser.page.get_by_role("heading", name="Important: This right cannot be met")
    ).to_be_visible()
    expect(
        browser.page.get_by_text("There are no GP appointments free in the next 48 hours")
    ).to_be_visible()
    browser.press("Add to the waiting list")
    expect(browser.message()).to_contain_text("Mrs Meera Patel is on the waiting list")

    # And the unmet request is on the hub's worklist until she records what was done
    browser.follow("Appointments")
    browser.follow("Hub worklist: rights not met")
    browser.fill("What was done for Mrs Meera Patel", "Offered the health centre's evening clinic")
    browser.press("Take off list: Mrs Meera Patel")
    expect(browser.page.get_by_text("Every request has been met or dealt with.")).to_be_visible()
    browser.follow("Appointments")
    browser.follow("Rota for the coming week")
    expect(browser.page.get_by_role("heading", level=1)).to_have_text("Rota for the coming week")


def test_resident_gives_feedback_after_being_seen_on_her_phone(phone, story, surgery):
    soon, _ = surgery
    seen = Appointment.objects.create(
        slot=SlotFactory(
            professional=soon.professional, site=soon.site, start=timezone.now() - timedelta(days=1)
        ),
        person=story.meera,
        channel="reception",
        booked_by=soon.professional.user,
        status="fulfilled",
    )
    when = Option.of(seen.slot).when

    # Given Mrs Patel was seen yesterday and has signed in on her phone
    phone.visit("/my/sign-in/")
    phone.fill("Username", "meera.patel")
    phone.fill("Password", PASSWORD)
    phone.press("Continue")
    phone.visit("/my/appointments/")

    # When she says how it went, first forgetting to choose an answer
    phone.follow(f"Tell us how it went on {when}")
    phone.press("Send feedback")
    expect(phone.page.get_by_role("alert")).to_contain_text("Choose how your experience was")
    phone.page.get_by_role("radio", name="Very good").check()
    phone.fill("Please tell us why you gave this answer (optional)", "Dr Evans listened.")
    phone.press("Send feedback")

    # Then she is thanked
    expect(phone.message()).to_contain_text("Thank you for your feedback")
    assert seen.feedback.answer == "very_good"


def test_reception_adds_a_session_to_the_rota(browser, story, surgery):
    day = timezone.localdate() + timedelta(days=1)
    while day.weekday() > 4 or day in bank_holidays(day.year):
        day += timedelta(days=1)

    # Given the receptionist has the rota open
    browser.sign_in("lucy.ward")
    browser.visit("/appointments/rota/")
    browser.press("Add a session")

    # When she adds a session for Dr Evans that ends before it starts
    browser.choose("Who", "Dr Nia Evans")
    browser.choose("Where", "Riverside Medical Centre")
    browser.fill_date("Date", day.day, day.month, day.year)
    browser.fill("Starts", "14:00")
    browser.fill("Ends", "13:00")
    browser.choose("How people are seen", "Phone")
    browser.fill("Minutes for each appointment", "10")
    browser.press("Add session")

    # Then she is told, and puts it right
    expect(browser.page.get_by_role("alert")).to_contain_text(
        "The session must end after it starts"
    )
    browser.fill("Ends", "15:00")
    browser.press("Add session")

    # Then the session is on the rota with its six slots, ready to book
    expect(browser.message()).to_contain_text("Session added for Dr Nia Evans")
    assert (
        Slot.objects.filter(session__date=day, professional__user__username="nia.evans").count()
        == 6
    )


def test_mrs_patel_books_for_her_husband_as_his_carer_on_her_phone(phone, story, surgery):
    soon, _ = surgery
    # Given Mr Patel, at the same surgery, has agreed that his wife may act for him
    carer = Carer.objects.get(carer_person=story.meera)
    husband = carer.cared_for
    husband.general_practice = story.meera.general_practice
    husband.save(update_fields=["general_practice"])
    Consent.objects.create(person=husband, scope="carer_proxy", status="active", grantee=carer)

    # When she signs in and chooses to manage his appointments
    phone.visit("/my/sign-in/")
    phone.fill("Username", "meera.patel")
    phone.fill("Password", PASSWORD)
    phone.press("Continue")
    phone.follow("See Mr Arjun Patel's summary")
    phone.press("Manage Arjun's appointments")
    expect(phone.page.get_by_role("heading", level=1)).to_have_text("Mr Arjun Patel's appointments")

    # And books him a GP appointment within 48 hours
    phone.press("Book an appointment")
    phone.page.get_by_role("radio", name="A GP appointment within 48 hours").check()
    phone.press("Find appointments")
    phone.press(option_label(soon))

    # Then it is his appointment, booked by her
    expect(phone.message()).to_contain_text("Mr Arjun Patel's appointment is booked for")
    appointment = Appointment.objects.get()
    assert (appointment.person, appointment.booked_by) == (husband, story.meera.user)

    # And she can go back to her own appointments
    phone.press("Back to my own appointments")
    expect(phone.page.get_by_role("heading", level=1)).to_have_text("My appointments")


def test_mrs_patel_takes_an_earlier_time_freed_from_the_waiting_list_on_her_phone(
    phone, story, surgery
):
    soon, _ = surgery
    reception = Professional.objects.get(user__username="lucy.ward").user
    # Given Mrs Patel is on her surgery's waiting list, and someone else has Dr Evans's time
    neighbour = PersonFactory(general_practice=story.meera.general_practice)
    taken = services.book_appointment(
        slot=soon, person=neighbour, by=reception, submission_id=uuid.uuid4()
    )
    services.add_to_waiting_list(person=story.meera, by=reception)

    # When the neighbour cancels, the freed time is offered to Mrs Patel
    services.cancel_appointment(appointment=taken, by=reception, reason="Feeling better")

    # Then on her phone she sees it offered first, and books it
    phone.visit("/my/sign-in/")
    phone.fill("Username", "meera.patel")
    phone.fill("Password", PASSWORD)
    phone.press("Continue")
    phone.visit("/my/appointments/")
    when = Option.of(soon).when
    expect(phone.page.get_by_role("heading", name="An earlier appointment is free")).to_be_visible()
    expect(phone.page.get_by_role("heading", name=when)).to_be_visible()
    phone.press("Book this appointment")

    expect(phone.message()).to_contain_text(f"Your appointment is booked for {when}")
    assert Appointment.objects.get(person=story.meera, status="booked").slot == soon


def test_manager_sets_what_counts_as_a_gp_appointment_within_48_hours(browser, story):
    # Given the neighbourhood manager has signed in
    manager = UserFactory(username="dana.price", first_name="Dana", last_name="Price")
    manager.user_permissions.add(
        Permission.objects.get(content_type__app_label="measures", codename="view_measureresult"),
        Permission.objects.get(
            content_type__app_label="workforce", codename="change_neighbourhood"
        ),
    )
    hood = story.meera.general_practice.neighbourhood
    browser.sign_in("dana.price")

    # When she opens the access settings and counts telephone consultations
    browser.follow("Access settings")
    expect(browser.page.get_by_role("heading", level=1)).to_have_text("Access settings")
    browser.page.get_by_role("radio", name="Face to face or by telephone (or video)").check()
    browser.press(f"Save the setting for {hood.name}")

    # Then the neighbourhood's offers count them from now on
    expect(browser.message()).to_contain_text(f"{hood.name}: face to face or by telephone")
    hood.refresh_from_db()
    assert hood.within_48h_mode == "telephone"
