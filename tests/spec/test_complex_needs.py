"""The complex-needs cohort and its priority order (DESIGN.md), as versioned rule data."""

import json
from dataclasses import replace

from oneroof.analytics.rules import CURRENT_VERSION, RULESETS_DIR, load_ruleset, parse_ruleset

from .harness import EFI_SLUGS, column, events_for, person


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
