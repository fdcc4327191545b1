"""A district nurse signs in, finds Mrs Patel and opens her whole-person record."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from oneroof.config.jinja2_env import format_date
from tests.system.browser import Browser
from tests.system.story import WHAT_MATTERS, Story

SCREENSHOT = "/tmp/oneroof-record.png"  # for a person to look at; nothing asserts on it


def search_by_nhs_number(browser: Browser, nhs_number: str) -> None:
    browser.fill("NHS number", nhs_number)
    browser.press("Search")


def search_by_name_and_birth_date(browser: Browser, family_name: str, day, month, year) -> None:
    browser.fill("Last name", family_name)
    browser.fill_date("Date of birth", day, month, year)
    browser.press("Search")


def then_she_is_found_in_their_care(browser: Browser) -> None:
    expect(browser.page.get_by_role("heading", name="1 person found")).to_be_visible()
    row = browser.table("Search results").get_by_role("row").filter(has_text="Mrs Meera Patel")
    expect(row).to_contain_text("12 March 1944")
    expect(row).to_contain_text("943 476 5919")
    expect(row).to_contain_text("In your care")


def then_the_record_names_her_coordinator(browser: Browser) -> None:
    expect(browser.page.get_by_role("heading", level=1)).to_have_text("Mrs Meera Patel")
    expect(browser.summary_value("NHS number")).to_have_text("943 476 5919")
    expect(browser.summary_value("Named care coordinator")).to_contain_text(
        "Aisha Khan (District nurse)"
    )
    expect(browser.summary_value("Named care coordinator")).to_contain_text("020 7946 0123")


def then_the_record_shows_her_care_plan(browser: Browser) -> None:
    plan = browser.section("Care plan")
    expect(plan).to_contain_text(WHAT_MATTERS)
    expect(plan).to_contain_text(f"Next review: {format_date(timezone.localdate())}")
    expect(plan).to_contain_text("Review due")
    expect(plan.get_by_role("listitem")).to_contain_text(["Get up the stairs to bed on my own"])
    action = plan.get_by_role("table", name="Care plan actions").get_by_role("row").nth(1)
    expect(action.get_by_role("cell")).to_have_text(
        [
            "Fit a second stair rail",
            "Ben Cole (Occupational therapist)",
            format_date(timezone.localdate() + timedelta(days=10)),
            "To do",
        ]
    )


def then_the_record_shows_her_team_across_professions(browser: Browser) -> None:
    team = browser.section("Care team")
    for profession, name in (
        ("District nurse", "Aisha Khan"),
        ("District nurse", "Tom Hughes"),
        ("Social worker", "Sam Reid"),
        ("GP", "Dr Nia Evans"),
        ("Occupational therapist", "Ben Cole"),
        ("Social prescribing link worker", "Jo Mensah"),
    ):
        row = team.get_by_role("row").filter(has_text=name)
        expect(row.get_by_role("cell").first).to_have_text(profession)
    coordinator_row = team.get_by_role("row").filter(has_text="Coordinator")
    expect(coordinator_row).to_contain_text("Aisha Khan")
    expect(team).not_to_contain_text("Lee Park")


def then_the_record_groups_her_needs(browser: Browser) -> None:
    needs = browser.section("Conditions and needs")
    for group, conditions in (
        ("Physical health", ["Heart failure", "Type 2 diabetes"]),
        ("Mental health", ["Depressive disorder"]),
        ("Social needs", ["Lives alone"]),
    ):
        heading = browser.page.get_by_role("heading", name=group, exact=True)
        column = needs.locator(".nhsuk-grid-column-one-third", has=heading)
        expect(column.get_by_role("listitem")).to_have_text(conditions)


def then_the_record_shows_her_carers_and_who_she_cares_for(browser: Browser) -> None:
    carers = browser.section("Carers")
    expect(carers.get_by_role("listitem").filter(has_text="Ravi Patel")).to_have_text(
        "Ravi Patel, son or daughter (main carer), 07700 900123"
    )
    young_carer = carers.get_by_role("listitem").filter(has_text="Anya Patel")
    expect(young_carer).to_contain_text("grandchild")
    expect(young_carer).to_contain_text("Young carer")
    cares_for = carers.get_by_role("heading", name="People Meera cares for")
    expect(cares_for).to_be_visible()
    expect(carers.get_by_role("listitem").last).to_have_text("Mr Arjun Patel")


def then_the_record_shows_her_preferences_and_consent(browser: Browser) -> None:
    preferences = browser.section("Preferences and consent")
    place = browser.summary_value(
        "Where I want to be cared for at the end of my life", within=preferences
    )
    expect(place).to_have_text("At home")
    consent = browser.summary_value(
        "Share my record with my neighbourhood care team", within=preferences
    )
    expect(consent).to_have_text(f"Given on {format_date(timezone.localdate())}")


def then_the_record_shows_open_tasks_and_timeline(browser: Browser) -> None:
    due = format_date(timezone.localdate() + timedelta(days=10))
    expect(browser.section("Open tasks").get_by_role("listitem")).to_have_text(
        [f"Fit a second stair rail – Ben Cole (Occupational therapist), due {due}"]
    )
    entries = browser.section("Timeline").get_by_role("listitem")
    expect(entries.get_by_role("heading")).to_have_text(["Home visit", "Phone"])  # newest first
    expect(entries.first).to_contain_text("Tom Hughes (District nurse)")
    expect(entries.first).to_contain_text("worried about the stairs at night")
    expect(entries.last).to_contain_text("Sam Reid (Social worker)")


def test_nurse_finds_mrs_patel_and_sees_her_whole_person_record(browser, story: Story):
    # Given a district nurse in Mrs Patel's team signs in through the sign-in form
    browser.sign_in("tom.hughes")
    expect(browser.page.get_by_role("heading", level=1)).to_have_text("Find a person")

    # When they search for her NHS number, typed as it is read out
    search_by_nhs_number(browser, "943 476 5919")
    # Then she is found, in their care
    then_she_is_found_in_their_care(browser)

    # When they search again by her last name and date of birth
    browser.follow("Find a person")
    search_by_name_and_birth_date(browser, "patel", 12, 3, 1944)
    # Then she is found again
    then_she_is_found_in_their_care(browser)

    # When they open her record
    browser.follow("Mrs Meera Patel")
    browser.page.screenshot(path=SCREENSHOT, full_page=True)

    # Then one page shows the whole person
    then_the_record_names_her_coordinator(browser)
    then_the_record_shows_her_care_plan(browser)
    then_the_record_shows_her_team_across_professions(browser)
    then_the_record_groups_her_needs(browser)
    then_the_record_shows_her_carers_and_who_she_cares_for(browser)
    then_the_record_shows_her_preferences_and_consent(browser)
    then_the_record_shows_open_tasks_and_timeline(browser)

    # When they look at who has opened the record
    browser.follow("See who has opened this record")
    # Then their own opening is there, as a member of her care team
    latest = browser.table("Record openings, newest first").get_by_role("row").nth(1)
    expect(latest).to_contain_text("Tom Hughes, District nurse")
    expect(latest).to_contain_text("Member of the care team")
