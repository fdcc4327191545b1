"""Shaping referrals for the pages. Plain classes: no queries here."""

from dataclasses import dataclass
from datetime import datetime

from oneroof.workforce.models import ReferrerKind, describe_days

from .models import IdentityMatch, ReferralStatus
from .rules import days_until, describe_ages

# Tag colours from the NHS.UK design system, by status.
_STATUS_TAG = {
    ReferralStatus.RECEIVED: "nhsuk-tag--blue",
    ReferralStatus.ACCEPTED: "nhsuk-tag--green",
    ReferralStatus.BOOKED: "nhsuk-tag--green",
    ReferralStatus.REDIRECTED: "nhsuk-tag--purple",
    ReferralStatus.DECLINED: "nhsuk-tag--red",
    ReferralStatus.COMPLETED: "nhsuk-tag--grey",
}
SOON_DAYS = 7  # a referral due within a week is flagged on the worklist


def status_tag(status: str) -> dict:
    """The design system's tag for a referral status."""
    return {"text": ReferralStatus(status).label, "classes": _STATUS_TAG[status]}


@dataclass(frozen=True)
class Clock:
    """Where a referral stands against its service's tightest waiting-time standard."""

    days_waiting: int
    days_left: int | None

    @property
    def breached(self) -> bool:
        return self.days_left is not None and self.days_left < 0

    @property
    def text(self) -> str:
        if self.days_left is None:
            return "No waiting-time standard"
        if self.days_left < 0:
            late = -self.days_left
            return f"Standard missed {late} {'day' if late == 1 else 'days'} ago"
        if self.days_left == 0:
            return "Standard ends today"
        return f"{self.days_left} {'day' if self.days_left == 1 else 'days'} left"

    @property
    def tag(self) -> dict | None:
        if self.days_left is None:
            return None
        if self.days_left < 0:
            return {"text": "Breached", "classes": "nhsuk-tag--red"}
        if self.days_left <= SOON_DAYS:
            return {"text": "Due soon", "classes": "nhsuk-tag--orange"}
        return None


def clock(referral, *, now: datetime) -> Clock:
    stopped = referral.first_seen_at or now
    return Clock(
        days_waiting=(stopped - referral.received_at).days,
        days_left=days_until(referral.standard_due_at, now)
        if referral.first_seen_at is None
        else None,
    )


def referrer_text(referral) -> str:
    """Who sent it: 'Self-referral', or the referrer's name, role and organisation."""
    if referral.source == ReferrerKind.SELF or referral.requester is None:
        return "Self-referral"
    requester = referral.requester
    return f"{requester.name_and_role}, {requester.organisation.name}"


def service_facts(service, standards) -> list[tuple[str, str]]:
    """What the directory says about one service, as (key, value) rows."""
    who = describe_ages(service.minimum_age, service.maximum_age)
    routes = [ReferrerKind(kind).label for kind in service.referrers if kind in ReferrerKind]
    rows = [
        ("Provided by", service.organisation.name),
        ("Refer yourself", "Yes" if service.accepts_self_referral else "No"),
        ("Who can refer", ", ".join(routes) if routes else "Only by referring yourself"),
        (
            "Who it is for",
            service.eligibility_description or (who[0].upper() + who[1:] if who else "Anyone"),
        ),
    ]
    if standards:
        rows.append(
            (
                "Waiting-time standard",
                "; ".join(f"{s.percent}% seen within {describe_days(s.days)}" for s in standards),
            )
        )
    return rows


@dataclass(frozen=True)
class IdentityCheck:
    """What a triager is told about a referral whose person is not yet confirmed."""

    heading: str
    text: str


def identity_check(referral) -> IdentityCheck | None:
    """None once OneRoof knows who the referral is for; otherwise what to check."""
    if not referral.identity_unconfirmed:
        return None
    match = referral.identity_match
    if match == IdentityMatch.UNKNOWN:
        return IdentityCheck(
            "No record for this NHS number",
            "No record here holds this NHS number. Check the number with the person or the "
            "referrer. The referral can be accepted once their record is here.",
        )
    if match == IdentityMatch.MISMATCH:
        return IdentityCheck(
            "Check who this is",
            "The date of birth or last name given does not match the record for this NHS "
            "number. Check the details with the person or the referrer before you confirm "
            "who they are.",
        )
    return IdentityCheck(
        "Check who sent this",
        "Anyone can send a referral from the public website. The details match the record "
        "for this NHS number: check with the person that they sent it (for example, call them "
        "on the number given) before you confirm who they are.",
    )
