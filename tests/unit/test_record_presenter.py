"""The record presenter shapes what the page shows, without a database."""

from datetime import UTC, date, datetime
from types import SimpleNamespace as Row

from oneroof.care.presenters import RecordPresenter
from oneroof.care.record import RecordData

TODAY = date(2026, 11, 25)


def professional(name):
    return Row(name=name, name_and_role=f"{name} (GP)")


def condition(display, category, status="active"):
    return Row(display=display, category=category, clinical_status=status)


def record(**fields):
    data = RecordData(person=Row(name="Meera Patel"), address=None, care_team=None, **fields)
    return RecordPresenter(data, today=TODAY)


def test_record_presenter_groups_needs_physical_mental_social():
    presenter = record(
        conditions=[
            condition("Isolation", "social"),
            condition("Asthma", "physical"),
            condition("Depression", "mental"),
            condition("Old fracture", "physical", "resolved"),
        ]
    )
    groups = presenter.needs_by_category()
    assert [label for label, _ in groups] == ["Physical health", "Mental health", "Social needs"]
    assert [[c.display for c in items] for _, items in groups] == [
        ["Asthma"],
        ["Depression"],
        ["Isolation"],
    ]


def test_record_presenter_current_consent_is_the_latest_per_scope():
    newest = Row(scope="share_with_team", grantee_id=None, status="inactive")
    older = Row(scope="share_with_team", grantee_id=None, status="active")
    proxy = Row(scope="carer_proxy", grantee_id=7, status="active")
    presenter = record(consents=[newest, proxy, older])
    assert presenter.current_consents() == [newest, proxy]
    assert presenter.shares_with_team() is False


def test_record_presenter_timeline_merges_contacts_and_reviews_newest_first():
    contact = Row(
        occurred_at=datetime(2026, 1, 1, tzinfo=UTC),
        professional=professional("A"),
        summary="Phone call",
        get_mode_display=lambda: "Phone",
    )
    review = Row(
        recorded_at=datetime(2026, 6, 1, tzinfo=UTC),
        recorded_by=professional("B"),
        decision="Refer to falls service",
    )
    later = Row(
        occurred_at=datetime(2026, 9, 1, tzinfo=UTC),
        professional=professional("C"),
        summary="",
        get_mode_display=lambda: "Home visit",
    )
    entries = record(contacts=[later, contact], mdt_reviews=[review]).timeline()
    assert [e.title for e in entries] == ["Home visit", "MDT review", "Phone"]
    assert entries[1].text == "Refer to falls service"


def test_record_presenter_review_due_on_or_before_today():
    assert record(care_plan=Row(next_review_date=TODAY)).review_due()
    assert not record(care_plan=Row(next_review_date=date(2026, 11, 26))).review_due()
    assert not record(care_plan=Row(next_review_date=None)).review_due()
    assert not record().review_due()
