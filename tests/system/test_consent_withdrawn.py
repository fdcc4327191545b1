"""Mrs Patel withdraws her consent to share her record with the team: the district nurse is
told so, not shown a bare refusal, and may still break the glass in an emergency."""

from playwright.sync_api import expect

from tests.system.browser import Browser
from tests.system.story import WHAT_MATTERS, Story

REASON = "Found collapsed at home, the ambulance crew need her medicines and conditions now"


def test_withdrawn_consent_is_shown_to_the_team_with_break_glass_for_emergencies(
    browser: Browser, story: Story
):
    # Given Mrs Patel has signed in
    browser.sign_in("meera.patel")

    # When she chooses not to share her record with her care team
    browser.follow("Choose whether my care team can see my record")
    expect(browser.page.locator("#sharing-now")).to_have_text("Your care team can see your record.")
    browser.page.get_by_label("No, do not share my record with my care team").check()
    browser.press("Save my choice")

    # Then she is told it has taken effect
    expect(browser.message()).to_contain_text("Your care team will no longer see your record")
    expect(browser.page.locator("#sharing-now")).to_contain_text("You have asked us not to share")
    browser.sign_out()

    # When the district nurse in her care team opens her record
    browser.sign_in("tom.hughes")
    response = browser.visit(story.record_path)

    # Then the page says she withdrew consent, shows nothing of the record, offers break-glass
    assert response is not None and response.status == 403
    expect(browser.page.get_by_role("heading", level=1)).to_have_text(
        "This person has withdrawn consent to share their record"
    )
    expect(browser.page.locator("#consent-withdrawn")).to_contain_text("member of the care team")
    expect(browser.page.locator("main")).not_to_contain_text(WHAT_MATTERS)
    expect(browser.page.locator("main")).not_to_contain_text("943 476 5919")

    # When the nurse breaks the glass because she is in danger now
    browser.press("Break the glass")
    browser.page.get_by_label("I am giving this person clinical care now").check()
    browser.page.get_by_label("Reason", exact=True).fill(REASON)
    browser.press("Break the glass and open the record")

    # Then the record opens, saying this is emergency access and that she said no to sharing
    expect(browser.page.get_by_role("heading", level=1)).to_have_text("Mrs Meera Patel")
    expect(browser.page.get_by_text("You broke the glass to open this record.")).to_be_visible()
    expect(browser.page.locator("#sharing-withheld")).to_contain_text(
        "has said no to sharing their record with the team"
    )
    expect(browser.section("Care plan")).to_contain_text(WHAT_MATTERS)
