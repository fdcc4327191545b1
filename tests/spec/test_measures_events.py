"""Event measures: referrals seen within their waiting-time standard (mental health apart),
and the Friends and Family Test."""

from datetime import date

from .measures_harness import at, counts, one, person, run

SERVICES = [
    {"service": "physio", "name": "Physiotherapy", "sector": "nhs", "is_mental_health": False,
     "standard_days": 28, "standard_percent": 92},
    {"service": "falls", "name": "Falls service", "sector": "nhs", "is_mental_health": None,
     "standard_days": 14, "standard_percent": 90},
    {"service": "talking", "name": "Talking therapies", "sector": "nhs",
     "is_mental_health": True, "standard_days": 42, "standard_percent": 75},
    {"service": "befriending", "name": "Befriending", "sector": "voluntary",
     "is_mental_health": False, "standard_days": None},
]  # fmt: skip


def referral(referral_id, person_id, service, authored, seen) -> dict:
    return {
        "referral_id": referral_id,
        "person_id": person_id,
        "service": service,
        "authored_at": authored,
        "first_seen_at": seen,
    }


def test_measures_referrals_seen_within_their_services_standard(engine):
    rows = {
        "persons": [person(1), person(2, death_date=date(2026, 4, 1))],
        "services": SERVICES,
        "referrals": [
            # 28 days exactly: within physio's standard.
            referral(1, 1, "physio", at(2026, 4, 10, 9), at(2026, 5, 8, 9)),
            referral(2, 1, "physio", at(2026, 4, 10, 9), at(2026, 5, 8, 9, 1)),  # a minute over
            referral(3, 1, "falls", at(2026, 5, 1), at(2026, 5, 10)),
            referral(4, 1, "physio", at(2026, 5, 1), None),  # still waiting
            referral(5, 1, "physio", at(2026, 5, 1), at(2026, 6, 2)),  # seen in June
            referral(6, 1, "befriending", at(2026, 5, 1), at(2026, 5, 2)),  # no standard
            referral(7, 1, "talking", at(2026, 5, 1), at(2026, 5, 2)),  # mental health
            referral(8, 2, "physio", at(2026, 3, 1), at(2026, 5, 2)),  # died before May
        ],
    }
    result = one(engine, rows, "referrals-within-standard")
    assert counts(result) == (2, 3)
    assert counts(result, "service") == {"falls": (1, 1), "physio": (1, 2)}
    assert result.label("service", "physio") == "Physiotherapy (92% within 4 weeks)"
    assert result.label("service", "falls") == "Falls service (90% within 2 weeks)"


def test_measures_mental_health_referrals_are_reported_apart(engine):
    rows = {
        "persons": [person(1)],
        "services": SERVICES,
        "referrals": [
            referral(1, 1, "talking", at(2026, 3, 1), at(2026, 5, 2)),  # 62 days: over
            referral(2, 1, "talking", at(2026, 4, 1), at(2026, 5, 12)),  # 41 days
            referral(3, 1, "physio", at(2026, 5, 1), at(2026, 5, 2)),
        ],
    }
    results = run(
        engine,
        rows,
        measures=["mental-health-referrals-within-standard", "referrals-within-standard"],
        neighbourhoods=[1],
    )
    mental_health = results[("mental-health-referrals-within-standard", 1)]
    assert counts(mental_health) == (1, 2)
    assert counts(mental_health, "service") == {"talking": (1, 2)}
    assert counts(results[("referrals-within-standard", 1)]) == (1, 1)


def test_measures_referrals_without_services_in_the_snapshot_is_no_data_yet(engine):
    rows = {
        "persons": [person(1)],
        "referrals": [referral(1, 1, "physio", at(2026, 5, 1), at(2026, 5, 2))],
    }
    result = one(engine, rows, "referrals-within-standard")
    assert result.status == "no_data"
    assert result.missing_sources == ("services",)


def answer(person_id, submitted, text) -> dict:
    return {"person_id": person_id, "submitted_at": submitted, "answer": text}


def test_measures_fft_positive_share_counts_dont_know_in_the_denominator(engine):
    rows = {
        "persons": [person(1), person(2, neighbourhood_id=None)],
        "feedback": [
            answer(1, at(2026, 5, 3), "very_good"),
            answer(1, at(2026, 5, 4), "good"),
            answer(1, at(2026, 5, 5), "neither"),
            answer(1, at(2026, 5, 6), "dont_know"),
            answer(1, at(2026, 5, 7), "very_poor"),
            answer(1, at(2026, 5, 8), None),  # no answer given
            answer(1, at(2026, 6, 8), "good"),  # June
            answer(2, at(2026, 5, 8), "good"),  # registered in no neighbourhood
            answer(3, at(2026, 5, 8), "good"),  # no such person
        ],
    }
    assert counts(one(engine, rows, "fft-positive")) == (2, 5)
