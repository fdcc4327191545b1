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


def referral(referral_id, person_id, service, authored, seen, treated=None, **columns) -> dict:
    return {
        "referral_id": referral_id,
        "person_id": person_id,
        "service": service,
        "authored_at": authored,
        "first_seen_at": seen,
        "first_treated_at": treated,
    } | columns


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
            # 62 days: over.
            referral(1, 1, "talking", at(2026, 3, 1), at(2026, 3, 2), treated=at(2026, 5, 2)),
            # 41 days.
            referral(2, 1, "talking", at(2026, 4, 1), at(2026, 4, 9), treated=at(2026, 5, 12)),
            referral(3, 1, "physio", at(2026, 5, 1), at(2026, 5, 2)),
        ],
    }  # fmt: skip
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


def test_measures_talking_therapies_clock_stops_at_first_treatment_not_first_contact(engine):
    rows = {
        "persons": [person(1)],
        "services": SERVICES,
        "referrals": [
            # Assessed after 9 days, first treated after 50: over the 6 weeks, counted in May.
            referral(1, 1, "talking", at(2026, 3, 25), at(2026, 4, 3), treated=at(2026, 5, 14)),
            # Assessed in May, not yet treated: not a completed wait (the clock runs on).
            referral(2, 1, "talking", at(2026, 4, 20), at(2026, 5, 6)),
            # Assessed and treated on the same day, 42 days after the referral: in time.
            referral(3, 1, "talking", at(2026, 4, 1), at(2026, 5, 13), treated=at(2026, 5, 13)),
            # Treated in June: not May's.
            referral(4, 1, "talking", at(2026, 5, 1), at(2026, 5, 5), treated=at(2026, 6, 1)),
            # Physiotherapy's clock still stops at first contact.
            referral(5, 1, "physio", at(2026, 5, 1), at(2026, 5, 2)),
        ],
    }  # fmt: skip
    keys = ["mental-health-referrals-within-standard", "referrals-within-standard"]
    results = run(engine, rows, measures=keys, neighbourhoods=[1])
    assert counts(results[(keys[0], 1)]) == (1, 2)
    assert counts(results[(keys[1], 1)]) == (1, 1)


WAITING = "referrals-waiting-within-standard"
MH_WAITING = "mental-health-waiting-within-standard"


def test_measures_waiting_list_counts_who_is_still_waiting_at_the_month_end(engine):
    # May ends at midnight in London: 23:00 UTC on 31 May.
    rows = {
        "persons": [
            person(1),
            person(2, imd_decile=1),
            person(3, death_date=date(2026, 5, 20)),  # died in May: not waiting at the end
        ],
        "services": SERVICES,
        "referrals": [
            # 28 days exactly at the month end: within physio's 4 weeks.
            referral(1, 1, "physio", at(2026, 5, 3, 23), None),
            # A minute more: past the standard, still waiting.
            referral(2, 2, "physio", at(2026, 5, 3, 22, 59), None),
            # Waiting since March: well past it.
            referral(3, 2, "falls", at(2026, 3, 1), None),
            # Seen at 00:00 on 1 June in London: still waiting when May ended.
            referral(4, 1, "falls", at(2026, 5, 20), at(2026, 5, 31, 23)),
            # Seen at 23:59 on 31 May: no longer waiting.
            referral(5, 1, "physio", at(2026, 5, 20), at(2026, 5, 31, 22, 59)),
            # Declined in May: closed, not waiting. Declined in June: waiting at May's end.
            referral(6, 1, "physio", at(2026, 5, 2), None, closed_at=at(2026, 5, 10)),
            referral(7, 1, "physio", at(2026, 5, 10), None, closed_at=at(2026, 6, 3)),
            # Made at 00:30 on 1 June in London: not yet.
            referral(8, 1, "physio", at(2026, 5, 31, 23, 30), None),
            referral(9, 1, "befriending", at(2026, 5, 2), None),  # no standard
            referral(10, 3, "physio", at(2026, 5, 2), None),  # died
            referral(11, 1, "talking", at(2026, 5, 2), None),  # mental health: apart
        ],
    }
    results = run(engine, rows, measures=[WAITING, MH_WAITING], neighbourhoods=[1])
    waiting = results[(WAITING, 1)]
    assert counts(waiting) == (3, 5)  # 5 on the list, 3 within the standard
    assert counts(waiting, "service") == {"falls": (1, 2), "physio": (2, 3)}
    assert counts(waiting, "imd_quintile")["1"] == (0, 2)
    assert counts(waiting, "imd_quintile")["3"] == (3, 3)
    assert counts(results[(MH_WAITING, 1)]) == (1, 1)


def test_measures_waiting_list_for_talking_therapies_runs_to_first_treatment(engine):
    rows = {
        "persons": [person(1)],
        "services": SERVICES,
        "referrals": [
            # Assessed in April, not yet treated: still waiting, 42 days exactly at the end.
            referral(1, 1, "talking", at(2026, 4, 19, 23), at(2026, 4, 25)),
            # Assessed, 43 days: waiting past the standard.
            referral(2, 1, "talking", at(2026, 4, 18, 23), at(2026, 4, 25)),
            # Treated in May: off the list.
            referral(3, 1, "talking", at(2026, 4, 1), at(2026, 4, 8), treated=at(2026, 5, 2)),
            # Treated on 1 June (London): still on May's list.
            referral(4, 1, "talking", at(2026, 5, 10), None, treated=at(2026, 5, 31, 23)),
        ],
    }  # fmt: skip
    result = one(engine, rows, MH_WAITING)
    assert counts(result) == (2, 3)
    assert counts(result, "service") == {"talking": (2, 3)}


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
