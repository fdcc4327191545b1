"""Eligibility, routing and waiting-time rules: pure functions, no database."""

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from oneroof.referrals.rules import (
    ServiceRules,
    acceptance_is_self_claimed,
    age_on,
    days_until,
    describe_ages,
    details_match,
    is_eligible_age,
    may_refer,
    referral_problems,
    referrer_kind,
    same_name,
    standard_due,
    within_standard,
)
from oneroof.workforce.models import Profession, ReferrerKind

R = ReferrerKind
TEAM = frozenset({R.GP, R.NURSE, R.SOCIAL_WORKER, R.SCHOOL, R.PROFESSIONAL})
HUB = ServiceRules(
    name="Young people's mental health hub",
    accepts_self_referral=True,
    referrers=TEAM,
    maximum_age=24,
)
EYE = ServiceRules(name="Community eye service", referrers=frozenset({R.OPTICIAN, R.GP}))
DAY = date(2026, 11, 25)
days = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))


def birthday(born: date, years: int) -> date:
    """The day someone born on `born` turns `years` (1 March for a 29 February birthday)."""
    try:
        return born.replace(year=born.year + years)
    except ValueError:
        return date(born.year + years, 3, 1)


@given(born=days, years=st.integers(min_value=0, max_value=110))
def test_age_on_turns_over_on_the_birthday_and_not_the_day_before(born, years):
    turns = birthday(born, years)
    assume(turns <= date(2100, 12, 31))
    assert age_on(born, turns) == years
    if years > 0:
        assert age_on(born, turns - timedelta(days=1)) == years - 1


def test_age_on_leap_day_birthday_counts_from_first_of_march():
    born = date(2000, 2, 29)
    assert age_on(born, date(2025, 2, 28)) == 24
    assert age_on(born, date(2025, 3, 1)) == 25
    assert age_on(born, date(2028, 2, 29)) == 28


@given(born=st.dates(min_value=date(1950, 1, 1), max_value=date(2060, 1, 1)))
def test_hub_under_25_is_open_until_the_25th_birthday(born):
    last_eligible = birthday(born, 25) - timedelta(days=1)
    assert is_eligible_age(None, 24, born, last_eligible)
    assert not is_eligible_age(None, 24, born, birthday(born, 25))


@given(day=st.dates(min_value=date(1950, 1, 1), max_value=date(2100, 1, 1)))
def test_referral_for_someone_born_today_is_allowed_when_no_minimum_age(day):
    assert referral_problems(HUB, kind=R.SELF, birth_date=day, day=day) == []


@given(day=days, ahead=st.integers(min_value=1, max_value=3650))
def test_date_of_birth_after_the_referral_day_is_a_problem(day, ahead):
    assume(day + timedelta(days=ahead) <= date(2100, 12, 31))
    (problem,) = referral_problems(
        HUB, kind=R.SELF, birth_date=day + timedelta(days=ahead), day=day
    )
    assert (problem.field, problem.code) == ("birth_date", "future")


def test_forty_year_old_cannot_refer_themselves_to_the_under_25_hub():
    (problem,) = referral_problems(HUB, kind=R.SELF, birth_date=date(1986, 1, 1), day=DAY)
    assert problem.field == "birth_date"
    assert problem.code == "ineligible_age"
    assert problem.message == "Young people's mental health hub is for people under 25"


def test_self_referral_to_a_service_that_does_not_take_it_is_refused():
    (problem,) = referral_problems(EYE, kind=R.SELF, birth_date=date(1950, 1, 1), day=DAY)
    assert problem.code == "referrer_not_accepted"
    assert problem.message.startswith("You cannot refer yourself to Community eye service")


def test_optician_refers_to_the_eye_service_but_not_to_the_hub():
    assert referral_problems(EYE, kind=R.OPTICIAN, birth_date=date(1950, 1, 1), day=DAY) == []
    (problem,) = referral_problems(HUB, kind=R.OPTICIAN, birth_date=date(2010, 1, 1), day=DAY)
    assert (
        problem.message == "Young people's mental health hub does not take referrals from opticians"
    )


def test_closed_service_takes_no_referrals_from_anyone():
    closed = ServiceRules(name="Falls", active=False, accepts_self_referral=True, referrers=TEAM)
    for kind in (R.SELF, R.GP):
        assert not may_refer(closed, kind)
        (problem,) = referral_problems(closed, kind=kind, birth_date=date(1950, 1, 1), day=DAY)
        assert problem.code == "closed"


@pytest.mark.parametrize(
    "profession, kind",
    [
        (Profession.GP, R.GP),
        (Profession.DISTRICT_NURSE, R.NURSE),
        (Profession.PRACTICE_NURSE, R.NURSE),
        (Profession.SOCIAL_WORKER, R.SOCIAL_WORKER),
        (Profession.OPTOMETRIST, R.OPTICIAN),
        (Profession.PHARMACIST, R.PHARMACIST),
        (Profession.TEACHER, R.SCHOOL),
        (Profession.PHYSIOTHERAPIST, R.PROFESSIONAL),
        (Profession.LINK_WORKER, R.PROFESSIONAL),
    ],
)
def test_referrer_kind_of_each_profession(profession, kind):
    assert referrer_kind(profession) == kind


@pytest.mark.parametrize(
    "minimum, maximum, text",
    [
        (None, None, ""),
        (None, 24, "people under 25"),
        (0, 17, "people under 18"),
        (65, None, "people aged 65 and over"),
        (14, 65, "people aged 14 to 65"),
    ],
)
def test_describe_ages(minimum, maximum, text):
    assert describe_ages(minimum, maximum) == text


@given(
    minimum=st.one_of(st.none(), st.integers(0, 100)),
    maximum=st.one_of(st.none(), st.integers(0, 100)),
    born=st.dates(min_value=date(1900, 1, 1), max_value=DAY),
)
def test_eligibility_is_exactly_the_age_band(minimum, maximum, born):
    age = age_on(born, DAY)
    expected = (minimum is None or age >= minimum) and (maximum is None or age <= maximum)
    assert is_eligible_age(minimum, maximum, born, DAY) is expected


RECEIVED = datetime(2026, 1, 5, 9, 30, tzinfo=UTC)


def test_clock_runs_to_the_tightest_standard():
    assert standard_due(RECEIVED, [126, 42]) == RECEIVED + timedelta(days=42)
    assert standard_due(RECEIVED, []) is None


@given(hours=st.integers(min_value=0, max_value=24 * 200))
def test_seen_within_standard_up_to_and_including_the_last_moment(hours):
    seen = RECEIVED + timedelta(hours=hours)
    assert within_standard(RECEIVED, seen, 42) is (hours <= 42 * 24)


def test_days_until_counts_down_and_goes_negative_once_breached():
    due = RECEIVED + timedelta(days=14)
    assert days_until(due, RECEIVED) == 14
    assert days_until(due, due) == 0
    assert days_until(due, due + timedelta(hours=1)) == -1
    assert days_until(None, RECEIVED) is None


# Who the referral is for (issue 10) ----------------------------------------------------------

BORN = date(1944, 3, 12)


@pytest.mark.parametrize(
    "given_name, held, same",
    [
        ("Patel", "Patel", True),
        (" PATEL ", "patel", True),
        ("O'Neil-Smith", "ONeil Smith", True),
        ("Patel", "Patil", False),
        ("", "Patel", False),
    ],
)
def test_same_name_ignores_case_spaces_hyphens_and_apostrophes(given_name, held, same):
    assert same_name(given_name, held) is same


def test_details_match_needs_the_birth_date_and_the_last_name():
    held = {"held_birth_date": BORN, "held_family_name": "Patel"}
    assert details_match(birth_date=BORN, family_name="patel", **held)
    assert not details_match(birth_date=date(1944, 3, 13), family_name="Patel", **held)
    assert not details_match(birth_date=BORN, family_name="Intruder", **held)


@given(
    st.sampled_from(list(ReferrerKind)),
    st.sampled_from(["", "referrer", "resident", "triager"]),
    st.one_of(st.none(), st.integers(1, 3)),
    st.integers(1, 3),
)
def test_acceptance_is_self_claimed_exactly_when_only_the_triager_vouches(
    source, confirmation, requester_id, triager_id
):
    claimed = acceptance_is_self_claimed(
        source=source,
        identity_confirmation=confirmation,
        requester_id=requester_id,
        triager_id=triager_id,
    )
    own_referral = requester_id == triager_id
    public_self_referral = source == ReferrerKind.SELF and confirmation != "resident"
    assert claimed is (own_referral or public_self_referral)


def test_a_signed_in_residents_own_referral_is_not_self_claimed():
    assert not acceptance_is_self_claimed(
        source=ReferrerKind.SELF, identity_confirmation="resident", requester_id=None, triager_id=1
    )
    assert acceptance_is_self_claimed(
        source=ReferrerKind.SELF, identity_confirmation="triager", requester_id=None, triager_id=1
    )
