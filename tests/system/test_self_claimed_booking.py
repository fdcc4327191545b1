"""A GP books someone they have no care relationship with into their own appointment: they are
asked why first, the record then opens with a banner until the end of the appointment's day,
and the privacy officer reviews it beside break-glass."""

from datetime import time, timedelta

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone
from playwright.sync_api import expect

from oneroof.access.models import Appointment
from oneroof.access.presenters import Option
from oneroof.workforce.models import OpeningHours, Professional
from tests.db.access_factories import SiteFactory, SlotFactory
from tests.factories import PersonFactory, UserFactory
from tests.system.story import Story

REASON = "Walked in to the surgery breathless and is not known to anyone in the team"


@pytest.fixture
def walk_in(story: Story):
    """Someone registered with Dr Evans's practice whom nobody in the team cares for, and a
    free appointment in Dr Evans's diary tomorrow."""
    practice = story.meera.general_practice
    site = SiteFactory(
        name="Riverside Medical Centre", organisation=practice, neighbourhood=practice.neighbourhood
    )
    OpeningHours.objects.bulk_create(
        OpeningHours(site=site, weekday=day, opens=time(8), closes=time(18, 30)) for day in range(5)
    )
    person = PersonFactory(
        prefix="Mr", given_name="Karl", family_name="Novak", general_practice=practice
    )
    gp = Professional.objects.get(user__username="nia.evans")
    start = (timezone.now() + timedelta(days=1)).replace(minute=0, second=0, microsecond=0)
    slot = SlotFactory(professional=gp, site=site, start=start)
    return person, slot


def test_gp_books_a_walk_in_into_her_own_appointment_giving_a_reason(browser, story, walk_in):
    person, slot = walk_in
    option = Option.of(slot)

    # Given Dr Evans has signed in, found Mr Novak and chosen her own free times
    browser.sign_in("nia.evans")
    browser.follow("Appointments")
    browser.fill("NHS number", person.nhs_number)
    browser.press("Find")
    browser.follow("Mr Karl Novak")
    browser.choose("Professional", "Dr Nia Evans (GP)")
    browser.press("Show free times")

    # When she books one without saying why
    browser.press(f"Book: {option.when}, {option.where}, {option.who}")

    # Then she is asked for a reason first, and nothing is booked
    expect(browser.page.get_by_role("heading", level=1)).to_have_text("A reason for this booking")
    expect(browser.page.get_by_role("alert")).to_contain_text(
        "You have no care relationship with this person"
    )
    assert not Appointment.objects.exists()

    # When she gives the kind of reason and says what happened
    browser.page.get_by_role("radio", name="I am giving this person clinical care now").check()
    browser.fill("What has happened", REASON)
    browser.press("Book")

    # Then it is booked, and his record opens with a self-claimed relationship banner
    expect(browser.message()).to_contain_text(f"Booked: {option.when} with Dr Nia Evans")
    browser.visit(f"/people/{person.public_id}/")
    expect(browser.page.get_by_role("heading", level=1)).to_have_text("Mr Karl Novak")
    expect(browser.page.locator("main")).to_contain_text("Self-claimed relationship")
    browser.sign_out()

    # And the privacy officer sees it to review, beside break-glass
    officer = UserFactory(username="priv.officer", first_name="Pat", last_name="Officer")
    officer.user_permissions.add(Permission.objects.get(codename="view_recordaccess"))
    browser.sign_in("priv.officer")
    browser.visit("/audit/break-glass/")
    card = browser.page.locator(".nhsuk-card").filter(has_text="Mr Karl Novak")
    expect(card).to_contain_text("Nia Evans claimed a relationship with Mr Karl Novak")
    expect(card).to_contain_text(REASON)
    card.get_by_label("Review outcome").fill("Justified: seen as a walk-in")
    browser.press("Record review", within=card)
    expect(browser.message()).to_contain_text("Review recorded")
