"""Shaping referrals for the pages: the waiting clock and who sent it. No database."""

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from oneroof.referrals.presenters import Clock, clock, identity_check, referrer_text, status_tag

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def referral(days_ago, due_in=None, seen=None, **extra):
    received = NOW - timedelta(days=days_ago)
    return SimpleNamespace(
        received_at=received,
        standard_due_at=None if due_in is None else NOW + timedelta(days=due_in),
        first_seen_at=seen,
        **extra,
    )


@pytest.mark.parametrize(
    "due_in, text, tag",
    [
        (None, "No waiting-time standard", None),
        (30, "30 days left", None),
        (7, "7 days left", "Due soon"),
        (1, "1 day left", "Due soon"),
        (0, "Standard ends today", "Due soon"),
        (-1, "Standard missed 1 day ago", "Breached"),
        (-9, "Standard missed 9 days ago", "Breached"),
    ],
)
def test_clock_text_and_tag(due_in, text, tag):
    shown = clock(referral(10, due_in), now=NOW)
    assert shown.text == text
    assert (shown.tag or {}).get("text") == tag
    assert shown.days_waiting == 10


def test_clock_stops_when_the_person_is_seen():
    seen = NOW - timedelta(days=4)
    shown = clock(referral(10, due_in=-2, seen=seen), now=NOW)
    assert shown == Clock(days_waiting=6, days_left=None)
    assert not shown.breached


def test_referrer_text_names_the_referrer_and_organisation():
    requester = SimpleNamespace(
        name_and_role="Nadia Shah (Optometrist)",
        organisation=SimpleNamespace(name="Riverside Opticians"),
    )
    sent = SimpleNamespace(source="optician", requester=requester)
    assert referrer_text(sent) == "Nadia Shah (Optometrist), Riverside Opticians"
    assert referrer_text(SimpleNamespace(source="self", requester=None)) == "Self-referral"


def test_status_tag_for_a_declined_referral_is_red():
    assert status_tag("declined") == {"text": "Declined", "classes": "nhsuk-tag--red"}


@pytest.mark.parametrize(
    "match, heading",
    [
        ("matched", "Check who sent this"),
        ("mismatch", "Check who this is"),
        ("unknown", "No record for this NHS number"),
    ],
)
def test_identity_check_says_what_to_check_until_identity_is_confirmed(match, heading):
    waiting = SimpleNamespace(identity_unconfirmed=True, identity_match=match)
    assert identity_check(waiting).heading == heading
    confirmed = SimpleNamespace(identity_unconfirmed=False, identity_match=match)
    assert identity_check(confirmed) is None
