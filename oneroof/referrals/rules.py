"""Who may refer whom to which service: eligibility, routing and waiting-time clocks.

Plain functions over plain values, so that they are tested without a database (and with
hypothesis at the age boundaries). Services and views call them; they never query.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from oneroof.workforce.models import Profession, ReferrerKind

from .models import IdentityConfirmation

# Which front door each profession refers through. Anyone else in the team is "professional".
_KIND_OF_PROFESSION = {
    Profession.GP: ReferrerKind.GP,
    Profession.DISTRICT_NURSE: ReferrerKind.NURSE,
    Profession.PRACTICE_NURSE: ReferrerKind.NURSE,
    Profession.HEALTH_VISITOR: ReferrerKind.NURSE,
    Profession.PALLIATIVE_CARE: ReferrerKind.NURSE,
    Profession.SOCIAL_WORKER: ReferrerKind.SOCIAL_WORKER,
    Profession.OPTOMETRIST: ReferrerKind.OPTICIAN,
    Profession.PHARMACIST: ReferrerKind.PHARMACIST,
    Profession.TEACHER: ReferrerKind.SCHOOL,
}
# How each front door reads in "does not take referrals from ...".
_REFERRERS_PLURAL = {
    ReferrerKind.GP: "GPs",
    ReferrerKind.NURSE: "nurses",
    ReferrerKind.SOCIAL_WORKER: "social workers",
    ReferrerKind.SCHOOL: "schools",
    ReferrerKind.OPTICIAN: "opticians",
    ReferrerKind.PHARMACIST: "community pharmacists",
    ReferrerKind.PROFESSIONAL: "your profession",
}


@dataclass(frozen=True)
class ServiceRules:
    """What a service says about who may be referred to it, and by whom."""

    name: str
    active: bool = True
    accepts_self_referral: bool = False
    referrers: frozenset[str] = frozenset()
    minimum_age: int | None = None
    maximum_age: int | None = None

    @classmethod
    def of(cls, service) -> "ServiceRules":
        return cls(
            name=service.name,
            active=service.is_active,
            accepts_self_referral=service.accepts_self_referral,
            referrers=frozenset(service.referrers or ()),
            minimum_age=service.minimum_age,
            maximum_age=service.maximum_age,
        )


@dataclass(frozen=True)
class Problem:
    """Why a referral cannot be made, against the form field it belongs to."""

    field: str
    message: str
    code: str


def referrer_kind(profession: str) -> str:
    """The front door a professional refers through: a pharmacist's is "pharmacist"."""
    return _KIND_OF_PROFESSION.get(profession, ReferrerKind.PROFESSIONAL)


def age_on(birth_date: date, day: date) -> int:
    """Age in whole years on `day`. Someone born on 29 February turns a year older on 1 March
    in a year without one (as the law of England has it)."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def describe_ages(minimum_age: int | None, maximum_age: int | None) -> str:
    """'people under 25', 'people aged 65 and over', 'people aged 16 to 64', or ''."""
    if minimum_age is None and maximum_age is None:
        return ""
    if minimum_age in (None, 0) and maximum_age is not None:
        return f"people under {maximum_age + 1}"
    if maximum_age is None:
        return f"people aged {minimum_age} and over"
    return f"people aged {minimum_age} to {maximum_age}"


def is_eligible_age(
    minimum_age: int | None, maximum_age: int | None, birth_date: date, day: date
) -> bool:
    age = age_on(birth_date, day)
    return (minimum_age is None or age >= minimum_age) and (
        maximum_age is None or age <= maximum_age
    )


def may_refer(rules: ServiceRules, kind: str) -> bool:
    """Whether this front door leads to this service at all (whatever the person's age)."""
    if not rules.active:
        return False
    if kind == ReferrerKind.SELF:
        return rules.accepts_self_referral
    return kind in rules.referrers


def referral_problems(rules: ServiceRules, *, kind: str, birth_date: date, day: date) -> list:
    """Everything that stops this referral being made today; empty when it may be made."""
    if not rules.active:
        return [Problem("service", f"{rules.name} is not taking referrals at the moment", "closed")]
    if not may_refer(rules, kind):
        if kind == ReferrerKind.SELF:
            message = (
                f"You cannot refer yourself to {rules.name}. "
                "Ask your GP or another professional to refer you"
            )
        else:
            message = f"{rules.name} does not take referrals from {_REFERRERS_PLURAL[kind]}"
        return [Problem("service", message, "referrer_not_accepted")]
    if birth_date > day:
        return [Problem("birth_date", "Date of birth must be today or in the past", "future")]
    if not is_eligible_age(rules.minimum_age, rules.maximum_age, birth_date, day):
        who = describe_ages(rules.minimum_age, rules.maximum_age)
        return [Problem("birth_date", f"{rules.name} is for {who}", "ineligible_age")]
    return []


# Waiting-time clocks


def standard_due(received_at: datetime, standard_days: Iterable[int]) -> datetime | None:
    """When the tightest waiting-time standard runs out for a referral received then."""
    days = list(standard_days)
    return received_at + timedelta(days=min(days)) if days else None


def within_standard(received_at: datetime, seen_at: datetime, days: int) -> bool:
    """Whether someone first seen at `seen_at` was seen within a standard of `days`."""
    return seen_at - received_at <= timedelta(days=days)


def days_until(due_at: datetime | None, now: datetime) -> int | None:
    """Whole days left before the standard is breached; negative once it has been."""
    if due_at is None:
        return None
    left = due_at - now
    return left.days  # floor: 1 hour past the due time is -1, "breached"


# Who the referral is for (issue 10): a referral never makes or changes a record.

_NOT_LETTERS = re.compile(r"[^\w]|[\d_]")


def same_name(given: str, held: str) -> bool:
    """Last names match ignoring case, spaces, hyphens and apostrophes ("O'Neil-Smith" is
    "oneil smith")."""
    return _NOT_LETTERS.sub("", given.casefold()) == _NOT_LETTERS.sub("", held.casefold())


def details_match(
    *, birth_date: date, family_name: str, held_birth_date: date, held_family_name: str
) -> bool:
    """The details given describe the person the record for that NHS number holds."""
    return birth_date == held_birth_date and same_name(family_name, held_family_name)


def acceptance_is_self_claimed(
    *, source: str, identity_confirmation: str, requester_id: int | None, triager_id: int
) -> bool:
    """Would accepting this referral make a relationship that only the accepting triager vouches
    for? A referral from the public form (nobody but whoever typed it sent it, and a triager
    confirmed who it is), or one the triager sent themselves, is self-claimed: a reason is
    recorded and the relationship is time limited and reviewed. A professional referrer's
    referral, or a signed-in resident's own, gives the service the relationship once accepted.
    """
    if requester_id is not None and requester_id == triager_id:
        return True
    return source == ReferrerKind.SELF and identity_confirmation != IdentityConfirmation.RESIDENT
