"""Someone outside Mrs Patel's care is stopped, may break the glass with a reason, and every
opening of her record is shown to her."""

from playwright.sync_api import expect

from oneroof.audit.services import break_glass
from oneroof.care.record_access import open_record
from tests.system.browser import Browser
from tests.system.story import WHAT_MATTERS, Story

REASON = "Called to her home by the ambulance crew at night; her team cannot be reached"


def test_physiotherapist_without_relationship_breaks_the_glass_with_a_reason(
    browser: Browser, story: Story
):
    # Given a physiotherapist with no care relationship with Mrs Patel has signed in
    browser.sign_in("lee.park")

    # When they open her record's address
    response = browser.visit(story.record_path)

    # Then they are stopped, shown nothing of her record, and offered break-glass
    assert response is not None and response.status == 403
    expect(browser.page.get_by_role("heading", level=1)).to_have_text(
        "You do not have a care relationship with this person"
    )
    expect(browser.page.locator("main")).not_to_contain_text(WHAT_MATTERS)
    expect(browser.page.locator("main")).not_to_contain_text("943 476 5919")

    # When they choose to break the glass but give no reason, nor choose a kind of reason
    browser.press("Break the glass")
    expect(browser.page.get_by_role("heading", level=1)).to_have_text(
        "Why do you need to see this record?"
    )
    browser.press("Break the glass and open the record")

    # Then the error summary and the field both say what to do (axe checked this state too)
    expect(browser.page).to_have_title("Error: Break the glass – OneRoof")
    summary = browser.page.get_by_role("alert")
    expect(summary.get_by_role("heading")).to_have_text("There is a problem")
    summary_link = summary.get_by_role("link", name="Enter why you need to see this record")
    expect(browser.page.locator(".nhsuk-error-message")).to_have_text(
        [
            "Error: Choose why you need to see this record",
            "Error: Enter why you need to see this record",
        ]
    )
    # And the summary's link takes them to the box to fill in
    summary_link.click()
    reason = browser.page.get_by_label("Reason", exact=True)
    expect(reason).to_be_focused()

    # When they type something that says nothing
    browser.page.get_by_label("A safeguarding concern about this person").check()
    reason.fill("aaaaaaaaaaaa")
    browser.press("Break the glass and open the record")

    # Then they are asked to say what happened, in words
    expect(browser.page.locator(".nhsuk-error-message")).to_contain_text(
        "Describe the reason in words"
    )

    # When they give their reason, for a safeguarding concern
    browser.page.get_by_label("Reason", exact=True).fill(REASON)
    browser.press("Break the glass and open the record")

    # Then they see her record, with a warning that this is emergency access, read-only
    expect(browser.page.get_by_role("heading", level=1)).to_have_text("Mrs Meera Patel")
    expect(browser.page.get_by_text("You broke the glass to open this record.")).to_be_visible()
    expect(browser.page.get_by_text("You can read the record but not change it")).to_be_visible()
    expect(browser.section("Care plan")).to_contain_text(WHAT_MATTERS)


def test_mrs_patel_sees_who_opened_her_record_on_her_phone(phone: Browser, story: Story):
    # Given the district nurse opened her record, and the physiotherapist broke the glass to
    nurse, physio = story.nurse.user, story.physiotherapist.user
    open_record(user=nurse, person=story.meera)
    break_glass(user=physio, person=story.meera, reason_kind="care_now", reason=REASON)
    open_record(user=physio, person=story.meera)

    # When Mrs Patel signs in on her phone
    phone.sign_in("meera.patel")

    # Then she sees her coordinator, her team and her plan
    page = phone.page
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello Meera")
    expect(page.get_by_text("Your named contact is Aisha Khan, district nurse.")).to_be_visible()
    expect(page.get_by_text("You can call them on 020 7946 0123.")).to_be_visible()
    team = page.get_by_role("heading", name="My team", exact=True)
    team = team.locator("xpath=following-sibling::ul[1]")
    expect(team).to_contain_text("Sam Reid, social worker")
    expect(team).to_contain_text("Dr Nia Evans")
    expect(page.get_by_text(WHAT_MATTERS)).to_be_visible()
    expect(page.get_by_text("Fit a second stair rail (Ben Cole, to do)")).to_be_visible()

    # When she looks at who has opened her record
    phone.follow("See who has opened my record")

    # Then the nurse's opening and the physiotherapist's, with their reason, are listed
    expect(page.get_by_role("heading", level=1)).to_have_text("Who has opened my record")
    openings = phone.table("Record openings, newest first").get_by_role("row")
    expect(
        openings.filter(has_text="Tom Hughes, District nurse").filter(has_text="Viewed record")
    ).to_contain_text("Member of the care team")
    physio_rows = openings.filter(has_text="Lee Park, Physiotherapist")
    expect(physio_rows.filter(has_text="Broke the glass")).to_contain_text(
        f"Emergency access (break-glass): “{REASON}”"
    )
    expect(physio_rows.filter(has_text="Viewed record")).to_contain_text(REASON)
