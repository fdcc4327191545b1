"""The complex-needs cohort and its priority order (docs/architecture.md), as versioned rules."""

import json
from dataclasses import replace
from datetime import date

from oneroof.analytics.reasons import reasons_for
from oneroof.analytics.rules import CURRENT_VERSION, RULESETS_DIR, load_ruleset, parse_ruleset

from .harness import EFI_SLUGS, RULES, code, column, event, events_for, person


def _frail(person_id, deficits):
    return events_for(person_id, EFI_SLUGS[:deficits])


def test_complex_needs_moderate_or_severe_frailty(engine):
    results = engine.find_cases(
        {
            "persons": [person(1), person(2), person(3)],
            "coded_events": _frail(1, 8) + _frail(2, 9) + _frail(3, 13),
        }
    )
    assert column(results, "efi_category") == {1: "mild", 2: "moderate", 3: "severe"}
    assert column(results, "meets_frailty") == {1: False, 2: True, 3: True}
    assert column(results, "complex_needs") == {1: False, 2: True, 3: True}


def test_complex_needs_2026_1_priority_most_deprived_first_unknown_decile_last(engine):
    # Version 2026.1 (superseded, still reproducible): deprivation first, no need bands.
    results = engine.find_cases(
        {
            "persons": [
                person(1, imd_decile=3),
                person(2, imd_decile=1),
                person(3, imd_decile=None),  # no known address: last
                person(4, imd_decile=1),
                person(5, imd_decile=10),
                person(6, imd_decile=1),  # not in the cohort
                person(7, imd_decile=1),  # ties with 2 on every count: person_id decides
            ],
            "coded_events": _frail(1, 9)
            + _frail(2, 9)
            + _frail(3, 13)
            + _frail(4, 12)  # more deficits than 2, same decile: before 2
            + _frail(5, 30)
            + _frail(6, 2)
            + _frail(7, 9),
        },
        rules=load_ruleset("2026.1"),
    )
    assert column(results, "priority") == {1: 4, 2: 2, 3: 6, 4: 1, 5: 5, 6: None, 7: 3}
    assert set(column(results, "need_band").values()) == {None}


def test_complex_needs_rules_are_data_a_new_version_changes_the_cohort(engine):
    doc = json.loads((RULESETS_DIR / f"complex-needs-{CURRENT_VERSION}.json").read_text())
    doc["version"] = "test"
    doc["complex_needs"]["ltcs"] = 2
    rules = parse_ruleset(doc)
    data = {
        "persons": [person(1)],
        "coded_events": events_for(1, ["ltc-asthma", "ltc-cancer"]),
    }
    assert engine.find_cases(data)[1]["complex_needs"] is False
    assert engine.find_cases(data, rules=rules)[1]["complex_needs"] is True
    # Switching a criterion off is data too.
    no_housebound = replace(rules, complex_needs=replace(rules.complex_needs, housebound=False))
    data = {"persons": [person(1)], "coded_events": events_for(1, ["housebound"])}
    assert engine.find_cases(data, rules=no_housebound)[1]["complex_needs"] is False


# --- Need bands (rule set 2026.2): clinical need first, deprivation within a band, an unknown
# decile counted as most deprived.

LTCS = ["ltc-asthma", "ltc-cancer", "ltc-epilepsy", "ltc-osteoarthritis"]


def _admitted(person_id, *days):
    return [event(person_id, code("emergency-admission"), day) for day in days]


def test_need_bands_are_given_in_order_and_the_cohort_is_ordered_by_them(engine):
    young = date(1986, 1, 1)  # 40 on the index date: no eFI category
    results = engine.find_cases(
        {
            "persons": [
                person(1, imd_decile=10),
                person(2, imd_decile=10),
                person(3, imd_decile=10),
                person(4, imd_decile=10, birth_date=young),
                person(5, imd_decile=5),
                person(6, imd_decile=5),
                person(7, imd_decile=1),  # not in the cohort
                person(8, imd_decile=2, birth_date=date(1966, 1, 1)),
                person(9, imd_decile=None),
                person(10, imd_decile=3),
                person(11, imd_decile=None),
                person(12, imd_decile=1),
                person(13, imd_decile=1),
                person(14, imd_decile=None),
                person(15, imd_decile=9),
            ],
            "coded_events": _frail(1, 13)  # severe frailty
            + events_for(2, ["palliative-care-register", *LTCS])  # end of life
            + _frail(3, 9)  # moderate frailty and an admission this year
            + _admitted(3, date(2026, 2, 1))
            + _admitted(4, date(2026, 1, 1), date(2026, 3, 1), date(2026, 5, 1))
            + events_for(5, ["housebound"])
            + _frail(6, 9)  # moderate frailty, no admission
            + _frail(7, 2)
            + _frail(8, 9)  # aged 60: not graded, but housebound
            + events_for(8, ["housebound"])
            + _frail(9, 9)  # moderate frailty, admitted more than a year ago
            + _admitted(9, date(2025, 1, 1))
            + events_for(10, LTCS)
            + events_for(11, LTCS)
            + events_for(12, LTCS)
            + events_for(13, [*LTCS, "ltc-copd"])  # more conditions than 12: before 12
            + events_for(14, LTCS)
            # severe frailty and on the palliative care register: the first band that fits
            + _frail(15, 13)
            + events_for(15, ["palliative-care-register"]),
        }
    )
    assert column(results, "need_band") == {
        1: 1,
        2: 2,
        3: 3,
        4: 4,
        5: 5,
        6: 6,
        7: None,
        8: 5,
        9: 6,
        10: 7,
        11: 7,
        12: 7,
        13: 7,
        14: 7,
        15: 1,
    }
    # Band first; within a band the most deprived first, an unknown decile before decile 1
    # (11 and 14: same counts, person_id decides); then eFI deficits, long-term conditions.
    assert column(results, "priority") == {
        15: 1,
        1: 2,
        2: 3,
        3: 4,
        4: 5,
        8: 6,
        5: 7,
        9: 8,
        6: 9,
        11: 10,
        14: 11,
        13: 12,
        12: 13,
        10: 14,
        7: None,
    }
    assert reasons_for(results[1], RULES)[0] == "need band 1 of 7: severe frailty"
    assert "deprivation not known: counted as most deprived" in reasons_for(results[11], RULES)


def test_need_bands_every_band_has_a_clinical_reason_and_the_last_takes_the_rest():
    bands = RULES.need_bands
    assert [b.band for b in bands] == list(range(1, len(bands) + 1))
    assert bands[0].name == "severe frailty"
    assert bands[1].name.startswith("end of life")
    assert all(len(b.reason) > 80 for b in bands)
    assert bands[-1].tests == () and all(b.tests for b in bands[:-1])
    assert RULES.change["from_version"] == "2026.1"
    assert {"what", "why", "approved_by", "approved_on"} <= set(RULES.change)
