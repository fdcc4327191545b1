"""Long-term conditions, mental health, housebound, registers and social needs."""

from datetime import date

from .harness import CODELISTS, code, column, event, events_for, person


def test_ltc_count_counts_each_condition_once(engine):
    hypertension = sorted(CODELISTS["ltc-hypertension"].codes)
    results = engine.find_cases(
        {
            "persons": [person(1), person(2)],
            "coded_events": [event(1, hypertension[0]), event(1, hypertension[1])]
            + events_for(1, ["ltc-diabetes", "mental-health-depression", "learning-disability"]),
        }
    )
    assert column(results, "ltc_count") == {1: 4, 2: 0}
    assert column(results, "physical_ltc_count") == {1: 2, 2: 0}
    assert column(results, "mental_health") == {1: True, 2: False}


def test_ltc_resolved_or_inactive_conditions_do_not_count(engine):
    results = engine.find_cases(
        {
            "persons": [person(1)],
            "coded_events": [
                event(1, code("ltc-asthma"), status="resolved"),
                event(1, code("ltc-copd"), status="inactive"),
                event(1, code("ltc-diabetes"), status=None),  # no status: an observation
            ],
        }
    )
    assert results[1]["ltc_count"] == 1


def test_mental_health_with_physical_illness_needs_two_physical_ltcs(engine):
    results = engine.find_cases(
        {
            "persons": [person(n) for n in (1, 2, 3, 4)],
            "coded_events": events_for(1, ["ltc-asthma", "ltc-diabetes", "severe-mental-illness"])
            + events_for(2, ["ltc-asthma", "mental-health-anxiety"])
            # learning disability is a long-term condition but not a mental health condition
            + events_for(3, ["ltc-asthma", "ltc-diabetes", "learning-disability"])
            + events_for(4, ["ltc-epilepsy", "ltc-cancer", "dementia"]),
        }
    )
    assert column(results, "meets_ltcs_with_mental_health") == {
        1: True,
        2: False,
        3: False,
        4: True,
    }
    assert column(results, "severe_mental_illness") == {1: True, 2: False, 3: False, 4: False}
    assert column(results, "dementia") == {1: False, 2: False, 3: False, 4: True}
    assert column(results, "learning_disability") == {1: False, 2: False, 3: True, 4: False}


def test_four_ltcs_mental_health_ones_included(engine):
    results = engine.find_cases(
        {
            "persons": [person(1), person(2)],
            "coded_events": events_for(
                1,
                [
                    "ltc-osteoarthritis",
                    "ltc-atrial-fibrillation",
                    "mental-health-depression",
                    "mental-health-anxiety",
                ],
            )
            + events_for(2, ["ltc-osteoarthritis", "ltc-atrial-fibrillation", "ltc-cancer"]),
        }
    )
    assert column(results, "meets_ltcs") == {1: True, 2: False}
    assert column(results, "complex_needs") == {1: True, 2: False}


def test_housebound_is_a_criterion_on_its_own(engine):
    results = engine.find_cases(
        {
            "persons": [person(1), person(2)],
            "coded_events": events_for(1, ["housebound"])
            + [event(2, code("housebound"), date(2026, 8, 1))],  # recorded after
        }
    )
    assert column(results, "housebound") == {1: True, 2: False}
    assert column(results, "meets_housebound") == {1: True, 2: False}
    assert column(results, "complex_needs") == {1: True, 2: False}


def test_registers_and_flags(engine):
    results = engine.find_cases(
        {
            "persons": [person(1), person(2)],
            "coded_events": events_for(
                1, ["palliative-care-register", "carer", "smoking-current", "obesity"]
            ),
        }
    )
    for flag in ("palliative", "carer", "smoker", "obese"):
        assert column(results, flag) == {1: True, 2: False}, flag


def test_social_needs_counts_kinds_of_need(engine):
    results = engine.find_cases(
        {
            "persons": [person(1), person(2)],
            "coded_events": events_for(
                1, ["social-isolation", "social-financial-problems", "social-unemployment"]
            )
            + events_for(1, ["social-isolation"], date(2021, 1, 1))
            + events_for(2, ["social-housing-problems"]),
        }
    )
    assert column(results, "social_needs") == {1: 3, 2: 1}
