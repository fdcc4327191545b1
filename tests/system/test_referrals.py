"""The front doors in Chromium: a resident refers herself on her phone and later sees the
status; an optician refers to the eye service and sees only her own referrals; a triager works
the worklist, accepts and books. Every page is checked by axe-core (and, on the phone, must fit
the screen)."""

from datetime import datetime, time, timedelta

from django.utils import timezone
from playwright.sync_api import expect

from oneroof.access.models import Appointment
from oneroof.access.presenters import Option
from oneroof.referrals import services
from oneroof.referrals.models import Referral
from oneroof.workforce.models import OrganisationKind
from tests.db.access_factories import clinic_slots
from tests.factories import OrganisationFactory, PersonFactory, ProfessionalFactory, UserFactory
from tests.referral_factories import ReferralFactory, ServiceFactory, optician
from tests.system.story import Story


def carers_support():
    voluntary = OrganisationFactory(
        name="Riverside Community Action", kind=OrganisationKind.VOLUNTARY
    )
    triager = ProfessionalFactory(profession="link_worker", organisation=voluntary)
    return ServiceFactory(
        name="Carers' support",
        organisation=voluntary,
        description="Support and a carer's assessment for anyone who looks after someone.",
        triagers=[triager],
    ), triager


def test_resident_refers_herself_on_her_phone_and_later_sees_the_status(phone, story: Story):
    # Given the neighbourhood's carers' support service takes self-referrals
    service, triager = carers_support()
    ServiceFactory(name="Community eye service", accepts_self_referral=False)

    # When Mrs Patel finds it on the public pages, on her phone, without signing in
    phone.visit("/refer/")
    expect(phone.page.get_by_role("heading", level=1)).to_have_text(
        "Get help from a neighbourhood service"
    )
    expect(
        phone.page.get_by_role("link", name="Refer yourself to Community eye service")
    ).to_have_count(0)
    phone.follow("Refer yourself to Carers' support")

    # And sends the form without saying what she needs help with
    phone.fill("Your NHS number", "943 476 5919")
    phone.fill_date("Your date of birth", 12, 3, 1944)
    phone.fill("Your first name", "Meera")
    phone.fill("Your last name", "Patel")
    phone.press("Send referral")

    # Then she is told what is missing, and nothing she typed is lost
    summary = phone.page.get_by_role("alert")
    expect(summary.get_by_role("link")).to_have_text(["Enter what you would like help with"])
    expect(phone.page.get_by_label("Your first name", exact=True)).to_have_value("Meera")

    # When she says what she needs and sends it again
    phone.fill(
        "What would you like help with?",
        "I look after my husband Raj, who has dementia. I need a break.",
    )
    phone.fill("Email address (optional)", "meera@example.com")
    phone.press("Send referral")

    # Then the referral is sent, holding what she typed until the service checks who sent it
    expect(phone.page.get_by_role("heading", level=1)).to_have_text("Referral sent")
    referral = Referral.objects.get()
    assert referral.person is None and referral.nhs_number == "9434765919"

    # And later, once the service has checked with her and accepted it, she signs in and sees
    # its status
    services.confirm_identity(referral=referral, by=triager)
    services.accept_referral(
        referral=referral,
        by=triager,
        reason_kind="arranging_care",
        reason="Called her back: she needs a carer's assessment",
    )
    phone.sign_in("meera.patel")
    phone.visit("/my/referrals/")
    card = phone.section("Carers' support")
    expect(phone.summary_value("Status", within=card)).to_have_text("Accepted")
    expect(phone.summary_value("Referred by", within=card)).to_have_text("You")


def test_optician_refers_to_the_eye_service_and_sees_only_her_referrals(browser, story: Story):
    # Given an optician outside the team, and another optician's referral
    eye = ServiceFactory(
        name="Community eye service", accepts_self_referral=False, referrers=["optician", "gp"]
    )
    ServiceFactory(name="MSK physiotherapy")
    optician(username="nadia.shah", given_name="Nadia", family_name="Shah")
    other = optician()
    ReferralFactory(
        service=eye, requester=other, source="optician", person=PersonFactory(given_name="Olu")
    )

    # When she signs in, she lands on her referrals
    browser.sign_in("nadia.shah")
    expect(browser.page.get_by_role("heading", level=1)).to_have_text("Referrals")

    # And refers Mrs Patel to the eye service (the only service open to opticians)
    browser.press("Make a referral")
    options = browser.page.get_by_label("Service", exact=True).locator("option")
    expect(options).to_have_text(["Choose a service", "Community eye service"])
    browser.choose("Service", "Community eye service")
    browser.fill("NHS number", "9434765919")
    browser.fill_date("Date of birth", 12, 3, 1944)
    browser.fill("First name", "Meera")
    browser.fill("Last name", "Patel")
    browser.fill("Reason for referral", "Lens opacity in the left eye; please assess for cataract.")
    browser.press("Send referral")

    # Then she sees the referral she sent, waiting to be looked at
    expect(browser.message()).to_contain_text("Referral sent to Community eye service")
    expect(browser.page.get_by_role("heading", level=1)).to_have_text("Meera Patel")
    expect(browser.page.get_by_text("Waiting to be looked at")).to_be_visible()

    # And her list holds her referral and not the other optician's
    browser.follow("Back to referrals")
    sent = browser.table("Referrals you sent, newest first")
    expect(sent.get_by_role("row")).to_have_count(2)
    expect(sent).to_contain_text("Meera Patel")
    expect(sent).not_to_contain_text("Olu")
    # And the whole-person record stays closed to her
    response = browser.visit(story.record_path)
    assert response.status == 403


def test_triager_accepts_the_referral_nearest_to_breaching(browser, story: Story):
    # Given MSK physiotherapy, triaged by a physiotherapist with no other relationship to
    # Mrs Patel, has two referrals waiting: hers is past its 18-week standard
    msk = ServiceFactory(
        name="MSK physiotherapy", standards=[(92, 126)], triagers=[story.physiotherapist]
    )
    now = timezone.now()
    gp = ProfessionalFactory(profession="gp", user=UserFactory())
    ReferralFactory(service=msk, requester=gp, received_at=now - timedelta(days=10))
    ReferralFactory(
        service=msk,
        person=story.meera,
        requester=gp,
        received_at=now - timedelta(days=130, hours=-1),
        reason="Osteoarthritis of the right knee; struggling with stairs.",
    )

    # When the physiotherapist opens the triage worklist
    browser.sign_in("lee.park")
    browser.follow("Referrals")
    browser.follow("Triage worklist for MSK physiotherapy")

    # Then Mrs Patel is first, flagged as breached
    waiting = browser.table("Referrals waiting for triage, nearest to breaching first")
    first = waiting.get_by_role("row").nth(1)
    expect(first).to_contain_text("Meera Patel")
    expect(first).to_contain_text("Standard missed 4 days ago")
    expect(first).to_contain_text("Breached")

    # When they open her referral and accept it
    browser.follow("Meera Patel", within=first)
    expect(browser.page.get_by_text("Osteoarthritis of the right knee")).to_be_visible()
    browser.press("Accept referral")

    # Then she waits to be booked, and the open referral lets them open her record
    expect(browser.message()).to_contain_text("Referral accepted for Meera Patel")
    to_book = browser.table("Accepted referrals waiting to be booked")
    expect(to_book).to_contain_text("Meera Patel")
    browser.visit(story.record_path)
    referrals = browser.section("Referrals")
    expect(referrals.get_by_role("row").filter(has_text="MSK physiotherapy")).to_contain_text(
        "Accepted"
    )


def test_triager_accepts_and_books_into_the_clinic(browser, story: Story):
    # Given an MSK physiotherapy clinic tomorrow morning, and Mrs Patel's referral waiting
    msk = ServiceFactory(
        name="MSK physiotherapy", standards=[(92, 126)], triagers=[story.physiotherapist]
    )
    tomorrow = timezone.localdate() + timedelta(days=1)
    nine = timezone.make_aware(datetime.combine(tomorrow, time(9, 0)))
    first, second = clinic_slots(msk, story.physiotherapist, nine, count=2)
    ReferralFactory(service=msk, person=story.meera, reason="Painful right knee on stairs.")

    # When the physiotherapist accepts it from the worklist
    browser.sign_in("lee.park")
    browser.visit("/referrals/worklist/")
    browser.follow("Meera Patel")
    browser.press("Accept referral")

    # And opens it from the accepted referrals and books the second time in the clinic
    browser.follow("Meera Patel", within=browser.table("Accepted referrals waiting to be booked"))
    browser.press("Book an appointment")
    expect(browser.page.get_by_role("heading", level=1)).to_have_text("Book Meera Patel")
    option = Option.of(second)
    browser.press(f"Book: {option.when}, {option.where}, {option.who}")

    # Then the referral is booked, with the appointment on it
    expect(browser.message()).to_contain_text(f"Booked Meera Patel: {option.when}")
    expect(browser.page.locator(".nhsuk-tag").first).to_have_text("Appointment booked")
    expect(browser.summary_value("Appointment")).to_contain_text(option.when)
    assert Appointment.objects.get(person=story.meera).slot == second
