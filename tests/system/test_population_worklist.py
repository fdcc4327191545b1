"""The coordinator works the proactive-care worklist: who case-finding found, why, and what
came of contacting them."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from oneroof.audit.models import RecordAccess
from oneroof.population.models import CohortRun, WorklistEntry
from tests.factories import PersonFactory
from tests.system.browser import Browser
from tests.system.story import Story

REASONS = "moderate frailty; lives alone; most deprived decile"


@pytest.fixture
def found(story: Story) -> Story:
    """Case-finding found Mrs Patel (on her coordinator's worklist) and someone Aisha has no
    relationship with (on the neighbourhood worklist, which she must not see)."""
    run = CohortRun.objects.create(
        index_date=timezone.localdate() - timedelta(days=1),
        trigger="schedule",
        rule_version="2026.1",
        rule_fingerprint="f" * 64,
        engine="duckdb",
        snapshot_taken_at=timezone.now(),
    )
    WorklistEntry.objects.create(
        person=story.meera,
        coordinator=story.coordinator,
        found_in=run,
        priority=1,
        imd_decile=1,
        reasons=REASONS,
    )
    WorklistEntry.objects.create(
        person=PersonFactory(given_name="Stranger"), found_in=run, priority=2, reasons="housebound"
    )
    return story


def test_coordinator_reviews_the_worklist_and_records_a_contact(browser: Browser, found: Story):
    meera = found.meera.name

    # Given Mrs Patel's coordinator has signed in
    browser.sign_in("aisha.khan")

    # When they open their proactive-care worklist
    browser.follow("Proactive care worklist")

    # Then they see Mrs Patel, why she was found and where she lives, and nobody else
    worklist = browser.table("1 person to contact")
    row = worklist.get_by_role("row").filter(has_text=meera)
    expect(row).to_contain_text("Moderate frailty; lives alone; most deprived decile")
    expect(row).to_contain_text("1 (most deprived)")
    expect(row).to_contain_text("Yours")
    expect(worklist).not_to_contain_text("Stranger")

    # When they open her record from it, the opening is audited as any other
    browser.follow(meera, within=worklist)
    expect(browser.page.get_by_role("heading", level=1)).to_contain_text("Meera Patel")
    assert RecordAccess.objects.filter(person=found.meera, user=found.coordinator.user).exists()

    # When they come back and save an outcome without choosing one
    browser.visit("/worklist/")
    browser.follow(f"Record outcome for {meera}")
    browser.press("Save outcome")

    # Then they are asked to choose
    expect(browser.page.get_by_role("alert")).to_contain_text(
        "Select whether you contacted them or contact is not needed"
    )

    # When they say contact was not needed but not why
    browser.page.get_by_role("radio", name="Contact not needed").check()
    browser.press("Save outcome")

    # Then they are asked why
    expect(browser.page.get_by_role("alert")).to_contain_text("Enter why contact is not needed")

    # When they record that they contacted her
    browser.page.get_by_role("radio", name="Contacted").check()
    browser.fill("Note", "Phoned; home visit booked for Thursday.")
    browser.press("Save outcome")

    # Then they are told, and she is off the list
    expect(browser.message()).to_contain_text(f"Marked as contacted: {meera}")
    expect(browser.page.get_by_text("Nobody is waiting to be contacted.")).to_be_visible()
    entry = WorklistEntry.objects.get(person=found.meera)
    assert (entry.status, entry.closed_by) == ("done", found.coordinator)
