"""Measures of people on the month's last day: the complex-needs cohort's coordinator, care
plan and MDT review; carers per 1,000; preferred place of care; social needs."""

from datetime import date

import pytest

from .measures_harness import END, at, coded, complex_needs_events, counts, one, person, value_of


def cohort_of(*person_ids, **persons) -> dict:
    """People 1..n in the complex-needs cohort; extra persons rows keyed by id."""
    rows = {"persons": [], "coded_events": []}
    for pid in person_ids:
        rows["persons"].append(person(pid, **persons.get(f"p{pid}", {})))
        rows["coded_events"] += complex_needs_events(pid)
    return rows


def test_measures_coordinator_share_of_the_complex_needs_cohort(engine):
    rows = cohort_of(1, 2, 3, 4, p4={"death_date": date(2026, 5, 31)})
    rows["persons"].append(person(5))  # not in the cohort
    rows["care_teams"] = [
        {"person_id": 1, "coordinator_id": 70, "members": 3},
        {"person_id": 2, "coordinator_id": None, "members": 2},  # a team, nobody named
        {"person_id": 4, "coordinator_id": 70, "members": 1},  # died on the last day
        {"person_id": 5, "coordinator_id": 70, "members": 1},
    ]
    assert counts(one(engine, rows, "complex-needs-coordinator")) == (1, 3)


def test_measures_care_plan_reviewed_in_the_twelve_months_to_the_month_end(engine):
    rows = cohort_of(1, 2, 3, 4, 5, 6)
    rows["care_plan_reviews"] = [
        {"person_id": 1, "reviewed_on": date(2025, 6, 1)},  # the first day of the 12 months
        {"person_id": 2, "reviewed_on": date(2025, 5, 31)},  # a day too early
        {"person_id": 3, "reviewed_on": END},
        {"person_id": 3, "reviewed_on": date(2026, 1, 4)},  # twice: still one person
        {"person_id": 4, "reviewed_on": date(2026, 6, 1)},  # after the month
    ]
    # An edit to the plan is not a review: person 5's plan changed in the month, never reviewed.
    rows["care_plans"] = [
        {"person_id": 5, "updated_on": date(2026, 5, 20)},
        {"person_id": 2, "updated_on": date(2026, 5, 20)},
    ]
    assert counts(one(engine, rows, "complex-needs-care-plan-reviewed")) == (2, 6)


def test_measures_no_care_plan_reviews_in_the_snapshot_is_no_data_yet(engine):
    rows = cohort_of(1)
    rows["care_plans"] = [{"person_id": 1, "updated_on": date(2026, 5, 20)}]
    result = one(engine, rows, "complex-needs-care-plan-reviewed")
    assert result.status == "no_data"
    assert result.missing_sources == ("care_plan_reviews",)


def test_measures_mdt_review_in_the_twelve_months(engine):
    rows = cohort_of(1, 2, 3)
    rows["mdt_reviews"] = [
        {"person_id": 1, "held_on": date(2026, 2, 1)},
        {"person_id": 1, "held_on": date(2026, 3, 1)},  # twice: still one person
        {"person_id": 2, "held_on": date(2024, 2, 1)},
    ]
    result = one(engine, rows, "complex-needs-mdt-review")
    assert counts(result) == (1, 3)


def test_measures_no_mdt_reviews_in_the_snapshot_is_no_data_yet(engine):
    result = one(engine, cohort_of(1), "complex-needs-mdt-review", absent=["mdt_reviews"])
    assert result.status == "no_data"
    assert result.missing_sources == ("mdt_reviews",)


def test_measures_nobody_in_the_cohort_is_a_denominator_of_zero(engine):
    rows = {"persons": [person(1)], "care_teams": [{"person_id": 1, "coordinator_id": 3}]}
    result = one(engine, rows, "complex-needs-coordinator")
    assert result.status == "ok"
    assert counts(result) == (0, 0)
    assert value_of(result) is None


def test_measures_carers_per_thousand_residents(engine):
    rows = {
        "persons": [person(i) for i in range(1, 6)] + [person(6, moved_out_on=date(2026, 1, 1))],
        "coded_events": [coded(1, "carer"), coded(6, "carer")],
        "carers": [
            {"person_id": 4, "carer_person_id": 2, "start_date": date(2024, 1, 1)},
            {"person_id": 4, "carer_person_id": 3, "end_date": date(2026, 5, 31)},  # ended
            {"person_id": 5, "carer_person_id": 1},  # 1 is coded as well: counted once
            {"person_id": 5, "carer_person_id": None},  # a carer without a record here
        ],
    }
    result = one(engine, rows, "carers-identified")
    assert counts(result) == (2, 5)
    assert value_of(result) == pytest.approx(400.0)


def test_measures_palliative_register_with_preferred_place_of_care(engine):
    rows = {
        "persons": [person(i) for i in range(1, 6)],
        "coded_events": [coded(i, "palliative-care-register") for i in (1, 2, 3, 4)],
        "preferences": [
            {"person_id": 1, "kind": "place_of_care", "recorded_on": date(2026, 1, 1)},
            {"person_id": 2, "kind": "place_of_death", "recorded_on": date(2026, 1, 1)},
            {"person_id": 3, "kind": "place_of_care", "recorded_on": date(2026, 6, 2)},  # later
            {"person_id": 5, "kind": "place_of_care", "recorded_on": date(2026, 1, 1)},
        ],
    }
    assert counts(one(engine, rows, "palliative-preferred-place")) == (1, 4)


def test_measures_social_needs_identified_among_residents(engine):
    rows = {
        "persons": [person(i) for i in range(1, 5)],
        "coded_events": [
            coded(1, "social-isolation"),
            coded(2, "social-housing-problems", status="resolved"),  # not active now
            coded(3, "social-financial-problems", on=date(2026, 6, 3)),  # after the month
        ],
    }
    assert counts(one(engine, rows, "social-needs-identified")) == (1, 4)


def test_measures_social_needs_referred_to_council_or_voluntary_services(engine):
    rows = {
        "persons": [person(i) for i in range(1, 6)],
        "coded_events": [
            coded(1, "social-isolation", on=date(2026, 3, 1)),
            coded(2, "social-financial-problems", on=date(2025, 9, 1), status="resolved"),
            coded(3, "social-housing-problems", on=date(2026, 1, 1)),
            coded(4, "social-unemployment", on=date(2024, 1, 1)),  # over 12 months ago
        ],
        "services": [
            {"service": "befriending", "name": "Befriending", "sector": "voluntary"},
            {"service": "housing", "name": "Housing advice", "sector": "council"},
            {"service": "physio", "name": "Physiotherapy", "sector": "nhs"},
        ],
        "referrals": [
            {"referral_id": 1, "person_id": 1, "service": "befriending",
             "authored_at": at(2026, 3, 2)},
            {"referral_id": 2, "person_id": 2, "service": "housing",
             "authored_at": at(2025, 5, 31, 22, 59)},  # 23:59 on 31 May 2025: too early
            {"referral_id": 3, "person_id": 3, "service": "physio",
             "authored_at": at(2026, 1, 2)},  # an NHS service
            {"referral_id": 4, "person_id": 4, "service": "housing",
             "authored_at": at(2026, 1, 2)},  # not in the denominator
        ],
    }  # fmt: skip
    assert counts(one(engine, rows, "social-needs-referred")) == (1, 3)
