"""The rule set is versioned data: released versions never change, and bad documents fail."""

import copy
import json

import pytest

from oneroof.analytics.rules import (
    RULESETS_DIR,
    RuleSetError,
    load_ruleset,
    parse_ruleset,
)

# A released rule set is never edited: change it by adding a new version. A cohort records the
# version and this fingerprint, so a silent edit would make old cohorts lie about their rules.
RELEASED = {"2026.1": "5ea03605f4befd52"}


def test_rules_released_versions_are_unchanged():
    for version, fingerprint in RELEASED.items():
        assert load_ruleset(version).fingerprint == fingerprint, version
    on_disk = {p.stem.removeprefix("complex-needs-") for p in RULESETS_DIR.glob("*.json")}
    assert on_disk == set(RELEASED)


def test_rules_efi_category_cut_offs_as_deficit_counts():
    # fit <= 0.12 < mild <= 0.24 < moderate <= 0.36 < severe, score = deficits / 36
    assert load_ruleset().category_max_deficits() == (
        ("fit", 4),
        ("mild", 8),
        ("moderate", 12),
        ("severe", None),
    )


def test_rules_design_thresholds():
    rules = load_ruleset()
    assert len(rules.deficits) == 36 and rules.polypharmacy_medicines == 5
    assert rules.complex_needs.frailty_categories == ("moderate", "severe")
    assert rules.complex_needs.physical_ltcs_with_mental_health == 2
    assert rules.complex_needs.ltcs == 4
    assert (rules.high_use.emergency_admissions, rules.high_use.gp_contacts) == (3, 10)
    assert rules.high_use.window_days == 365
    assert rules.priority[0] == ("imd_decile", False)  # most deprived (decile 1) first


def _doc():
    return json.loads((RULESETS_DIR / "complex-needs-2026.1.json").read_text())


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["efi"]["deficits"].pop(), "36 different deficits"),
        (lambda d: d["efi"]["categories"].reverse(), "categories must rise"),
        (lambda d: d["long_term_conditions"][0].update(kind="spiritual"), "condition kinds"),
        (lambda d: d["priority"].append(["postcode", "asc"]), "priority may sort by"),
        (lambda d: d["priority"].pop(), "must end with person_id"),
        (lambda d: d["complex_needs"].update(frailty_categories=["frail"]), "eFI category"),
    ],
)
def test_rules_bad_documents_are_refused(change, message):
    doc = copy.deepcopy(_doc())
    change(doc)
    with pytest.raises(RuleSetError, match=message):
        parse_ruleset(doc)


def test_rules_unknown_version_is_refused():
    with pytest.raises(RuleSetError, match="no rule set version 1999"):
        load_ruleset("1999")


def test_rules_missing_codelist_is_refused():
    with pytest.raises(RuleSetError, match="needs codelists: .*efi-falls"):
        load_ruleset().check_codelists({"carer": None})
