"""A triager and a public self-referral, in Chromium (issue 10): the referral, not the record,
until they have checked who sent it, confirmed the identity and accepted it for a reason.
Every page is checked by axe-core, the error state included."""

import uuid

from playwright.sync_api import expect

from oneroof.audit.models import SelfClaimedRelationship
from oneroof.referrals import services
from oneroof.referrals.models import Referral
from oneroof.workforce.models import ReferrerKind
from tests.referral_factories import ServiceFactory
from tests.system.story import Story


def test_triager_confirms_who_sent_a_self_referral_before_taking_the_person_on(
    browser, story: Story
):
    # Given someone sent MSK physiotherapy a referral from the public page with Mrs Patel's
    # details: it could be her, or anyone who knows them
    msk = ServiceFactory(name="MSK physiotherapy", triagers=[story.physiotherapist])
    meera = story.meera
    services.submit_referral(
        service=msk,
        details=services.PersonDetails(
            meera.nhs_number, meera.birth_date, "Meera", "Patel", phone="07700 900123"
        ),
        reason="My right knee hurts on the stairs.",
        kind=ReferrerKind.SELF,
        submission_id=uuid.uuid4(),
    )

    # When the physiotherapist opens the worklist, the referral is flagged
    browser.sign_in("lee.park")
    browser.visit("/referrals/worklist/")
    waiting = browser.table("Referrals waiting for triage, nearest to breaching first")
    expect(waiting).to_contain_text("Check identity")

    # And on the referral they see what was sent, and are asked to check who sent it
    browser.follow("Meera Patel")
    expect(browser.page.get_by_text("Check who sent this")).to_be_visible()
    expect(browser.page.get_by_text("My right knee hurts on the stairs.")).to_be_visible()
    expect(browser.page.get_by_role("button", name="Accept referral")).to_have_count(0)
    # But not her record
    assert browser.visit(story.record_path).status == 403

    # When they have called her back and confirm her identity
    browser.visit("/referrals/worklist/")
    browser.follow("Meera Patel")
    browser.press("I have checked: confirm identity")
    expect(browser.message()).to_contain_text("Identity confirmed")
    # Her record is still closed: the referral is not accepted yet
    assert browser.visit(story.record_path).status == 403

    # When they accept it without saying why
    browser.visit("/referrals/worklist/")
    browser.follow("Meera Patel")
    browser.press("Accept referral")

    # Then they are asked why, as for break-glass
    summary = browser.page.get_by_role("alert")
    expect(summary.get_by_role("link")).to_have_text(["Choose why you are taking this person on"])

    # When they give a reason and accept
    browser.page.get_by_label("Arranging urgent care for this person with another service").check()
    browser.fill("Reason", "She asked for help with her knee; assessment booked this week")
    browser.press("Accept referral")

    # Then the referral is accepted, and they alone may open her record, for a day, reviewed
    expect(browser.message()).to_contain_text("Referral accepted for Meera Patel")
    assert Referral.objects.get().person == meera
    claim = SelfClaimedRelationship.objects.get()
    assert (claim.user, claim.person, claim.source) == (
        story.physiotherapist.user,
        meera,
        "self_referral_accepted",
    )
