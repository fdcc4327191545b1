"""The team works Mrs Patel's one care plan: actions become tasks, the huddle reviews her."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from oneroof.config.jinja2_env import format_date
from tests.system.browser import Browser
from tests.system.story import Story

ACTION = "Apply for attendance allowance with Meera and Ravi"
DECISION = "Falls risk at night: refer to the falls service and ask Ben to fit a bed rail."


def action_row(browser: Browser, description: str):
    plan = browser.section("Care plan")
    actions = plan.get_by_role("table", name="Care plan actions")
    return actions.get_by_role("row").filter(has_text=description)


def test_nurse_adds_an_action_that_the_social_worker_completes(browser, story: Story):
    due = timezone.localdate() + timedelta(days=7)

    # Given the district nurse has signed in and opened Mrs Patel's care plan
    browser.sign_in("tom.hughes")
    browser.visit(story.record_path)
    browser.press("Edit care plan")
    expect(browser.page.get_by_role("heading", level=1)).to_have_text("Care plan")

    # When they add an action for the social worker
    browser.fill("What needs to be done", ACTION)
    browser.choose("Who will do it", "Sam Reid")
    browser.fill_date("Due date", due.day, due.month, due.year)
    browser.press("Add action")

    # Then they are told it was sent to the social worker
    expect(browser.message()).to_contain_text("Action added and sent to Sam Reid")

    # When they sign out and the social worker signs in and opens their tasks
    browser.sign_out()
    expect(browser.page.get_by_role("heading", level=1)).to_have_text("Sign in to OneRoof")
    browser.sign_in("sam.reid")
    browser.follow("My tasks")

    # Then the action is in the social worker's task list, from the nurse
    tasks = browser.table("1 open task")
    row = tasks.get_by_role("row").filter(has_text=ACTION)
    expect(row).to_contain_text("Mrs Meera Patel")
    expect(row).to_contain_text("From Tom Hughes")
    expect(row).to_contain_text(format_date(due))

    # When they mark it as done
    browser.press(f"Mark as done: {ACTION} for Mrs Meera Patel")

    # Then it leaves their open tasks
    expect(browser.message()).to_contain_text(f"Task marked as done: {ACTION}")
    expect(browser.page.get_by_text("You have no open tasks.")).to_be_visible()
    expect(browser.page.get_by_role("listitem").filter(has_text=ACTION)).to_contain_text(
        "for Mrs Meera Patel"
    )

    # And Mrs Patel's record shows the action done, owned by the social worker
    browser.visit(story.record_path)
    expect(action_row(browser, ACTION).get_by_role("cell")).to_have_text(
        [ACTION, "Sam Reid (Social worker)", format_date(due), "Done"]
    )
    expect(browser.section("Open tasks")).not_to_contain_text(ACTION)


def test_coordinator_records_huddle_decision_for_person_due_review(browser, story: Story):
    today = timezone.localdate()
    next_review = today + timedelta(weeks=6)

    # Given Mrs Patel's named coordinator has signed in
    browser.sign_in("aisha.khan")

    # When they open their caseload
    browser.follow("Caseload and huddle")

    # Then Mrs Patel is due for MDT review today
    due = browser.table("People due for MDT review, overdue first")
    expect(due.get_by_role("row").filter(has_text="Mrs Meera Patel")).to_contain_text(
        format_date(today)
    )

    # When they record the huddle's decision, who was there and the next review date
    browser.follow("Record huddle decision for Mrs Meera Patel", within=due)
    expect(browser.page.get_by_role("heading", level=1)).to_have_text("Record huddle decision")
    browser.fill("Huddle decision", DECISION)
    for name in ("Aisha Khan", "Sam Reid", "Dr Nia Evans"):
        browser.tick(name)
    browser.fill_date("Next review date", next_review.day, next_review.month, next_review.year)
    browser.press("Save decision")

    # Then she is no longer due, and her next review is set
    expect(browser.message()).to_contain_text("Huddle decision recorded for Mrs Meera Patel")
    nobody_due = browser.page.get_by_text("Nobody is due for review in the next two weeks.")
    expect(nobody_due).to_be_visible()
    caseload = browser.table("Caseload")
    expect(caseload.get_by_role("row").filter(has_text="Mrs Meera Patel")).to_contain_text(
        format_date(next_review)
    )

    # And the decision is on her record's timeline, newest first
    browser.follow("Mrs Meera Patel", within=caseload)
    latest = browser.section("Timeline").get_by_role("listitem").first
    expect(latest.get_by_role("heading")).to_have_text("MDT review")
    expect(latest).to_contain_text("Aisha Khan (District nurse)")
    expect(latest).to_contain_text(DECISION)
    expect(browser.section("Care plan")).to_contain_text(f"Next review: {format_date(next_review)}")
    expect(browser.section("Care plan")).not_to_contain_text("Review due")


def test_nurse_records_a_review_of_the_care_plan(browser, story: Story):
    today = timezone.localdate()

    # Given the district nurse has opened Mrs Patel's care plan
    browser.sign_in("tom.hughes")
    browser.visit(story.record_path)
    browser.press("Edit care plan")

    # When they record that they went through the plan with her today
    browser.fill_date("Date of the review", today.day, today.month, today.year)
    browser.fill("What was reviewed and agreed", "Went through the plan with Meera and Ravi.")
    browser.press("Record review")

    # Then the review is recorded, and the plan says when it was last reviewed and by whom
    expect(browser.message()).to_contain_text(f"Review of {format_date(today)} recorded")
    expect(browser.page.get_by_text("Last reviewed on")).to_have_text(
        f"Last reviewed on {format_date(today)} (recorded by Tom Hughes)."
    )
