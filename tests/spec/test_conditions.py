"""Long-term conditions, mental health, housebound, registers and social needs."""

from datetime import date

from oneroof.analytics.rules import load_ruleset

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


# --- Resolved codes, as the QOF business rules count them: a condition counts when its latest
# code is later than its latest resolved code; a resolved code on the same day ends it (QOF
# selects only when the resolved date is before the latest diagnosis date).


def test_ltc_resolved_codes_end_a_condition_as_qof_counts_them(engine):
    diabetes, resolved = code("ltc-diabetes"), code("ltc-diabetes-resolved")
    day = date(2022, 5, 1)
    results = engine.find_cases(
        {
            "persons": [person(n) for n in range(1, 7)],
            "coded_events": [
                # 1: resolved after the diagnosis: no longer counts
                event(1, diabetes, day),
                event(1, resolved, date(2023, 1, 1)),
                # 2: a resolved code before the latest diagnosis: counts
                event(2, resolved, date(2021, 1, 1)),
                event(2, diabetes, day),
                # 3: resolved on the same day as the latest diagnosis: QOF rejects, so not counted
                event(3, diabetes, day),
                event(3, resolved, day),
                # 4: diagnosed, resolved, then diagnosed again: counts
                event(4, diabetes, date(2018, 1, 1)),
                event(4, resolved, date(2019, 1, 1)),
                event(4, diabetes, date(2024, 1, 1)),
                # 5: no resolved code: counts
                event(5, diabetes, day),
                # 6: a resolved code and no diagnosis: nothing to count
                event(6, resolved, day),
            ],
        }
    )
    assert column(results, "ltc_count") == {1: 0, 2: 1, 3: 0, 4: 1, 5: 1, 6: 0}


def test_ltc_resolved_code_after_the_index_date_does_not_end_the_condition(engine):
    results = engine.find_cases(
        {
            "persons": [person(1)],
            "coded_events": [
                event(1, code("ltc-asthma"), date(2020, 1, 1)),
                event(1, code("ltc-asthma-resolved"), date(2026, 7, 1)),  # after the index date
            ],
        }
    )
    assert results[1]["ltc_count"] == 1


def test_ltc_resolved_code_ends_only_its_own_condition(engine):
    results = engine.find_cases(
        {
            "persons": [person(1)],
            "coded_events": [
                event(1, code("ltc-hypertension"), date(2020, 1, 1)),
                event(1, code("ltc-copd"), date(2020, 1, 1)),
                event(1, code("mental-health-depression"), date(2020, 1, 1)),
                event(1, code("ltc-hypertension-resolved"), date(2021, 1, 1)),
                event(1, code("mental-health-depression-resolved"), date(2021, 1, 1)),
            ],
        }
    )
    assert results[1]["ltc_count"] == 1  # COPD only
    assert results[1]["mental_health"] is False


def test_ltc_a_resolved_code_counts_whatever_its_clinical_status(engine):
    results = engine.find_cases(
        {
            "persons": [person(1)],
            "coded_events": [
                event(1, code("ltc-epilepsy"), date(2020, 1, 1)),
                event(1, code("ltc-epilepsy-resolved"), date(2021, 1, 1), status="inactive"),
            ],
        }
    )
    assert results[1]["ltc_count"] == 0


def test_palliative_care_register_ends_when_no_longer_indicated(engine):
    register, ended = code("palliative-care-register"), code("palliative-care-register-resolved")
    results = engine.find_cases(
        {
            "persons": [person(n) for n in (1, 2, 3, 4)],
            "coded_events": [
                event(1, register, date(2025, 1, 1)),
                event(1, ended, date(2025, 6, 1)),
                event(2, ended, date(2024, 1, 1)),
                event(2, register, date(2025, 1, 1)),  # back on the register
                event(3, register, date(2025, 1, 1)),
                event(3, ended, date(2025, 1, 1)),  # same day: off
                event(4, register, date(2025, 1, 1)),
            ],
        }
    )
    assert column(results, "palliative") == {1: False, 2: True, 3: False, 4: True}


def test_efi_deficit_still_counts_after_its_condition_is_resolved(engine):
    # The eFI counts a deficit ever recorded: a resolved diabetes code ends the long-term
    # condition but not the eFI's diabetes deficit.
    diabetes = sorted(CODELISTS["ltc-diabetes"].codes & CODELISTS["efi-diabetes"].codes)[0]
    results = engine.find_cases(
        {
            "persons": [person(1)],
            "coded_events": [
                event(1, diabetes, date(2020, 1, 1)),
                event(1, code("ltc-diabetes-resolved"), date(2021, 1, 1)),
            ],
        }
    )
    assert results[1]["ltc_count"] == 0
    assert results[1]["efi_deficits"] == 1


def test_ltc_version_2026_1_did_not_count_resolved_codes(engine):
    results = engine.find_cases(
        {
            "persons": [person(1)],
            "coded_events": [
                event(1, code("ltc-diabetes"), date(2020, 1, 1)),
                event(1, code("ltc-diabetes-resolved"), date(2021, 1, 1)),
            ],
        },
        rules=load_ruleset("2026.1"),
    )
    assert results[1]["ltc_count"] == 1
