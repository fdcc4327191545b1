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
RELEASED = {"2026.1": "5ea03605f4befd52", "2026.2": "c7f3cc812286e105"}


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
    # Clinical need first, then the most deprived (decile 1, or not known) within a band.
    assert rules.priority[:2] == (("need_band", False, False), ("imd_decile", False, True))
    assert rules.efi_category_from_age == 65 and rules.medicines_by_name


def test_rules_2026_1_has_none_of_what_2026_2_adds():
    rules = load_ruleset("2026.1")
    assert rules.priority[0] == ("imd_decile", False, False)  # an unknown decile last
    assert rules.need_bands == () and rules.change is None
    assert rules.efi_category_from_age is None and not rules.medicines_by_name
    assert all(c.resolved_codelist is None for c in rules.conditions)
    assert rules.resolved_flags == ()


def test_rules_2026_2_ends_conditions_with_the_qof_resolved_clusters():
    rules = load_ruleset("2026.2")
    resolved = {c.key: c.resolved_codelist for c in rules.conditions if c.resolved_codelist}
    assert resolved == {
        "hypertension": "ltc-hypertension-resolved",
        "diabetes": "ltc-diabetes-resolved",
        "asthma": "ltc-asthma-resolved",
        "copd": "ltc-copd-resolved",
        "heart_failure": "ltc-heart-failure-resolved",
        "chronic_kidney_disease": "ltc-chronic-kidney-disease-resolved",
        "epilepsy": "ltc-epilepsy-resolved",
        "depression": "mental-health-depression-resolved",
    }
    assert rules.resolved_flags == (("palliative", "palliative-care-register-resolved"),)
    assert dict(rules.flags)["palliative"] == "palliative-care-register"


def _doc():
    return json.loads((RULESETS_DIR / "complex-needs-2026.2.json").read_text())


def _band(doc, number):
    return doc["need_bands"][number - 1]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["efi"]["deficits"].pop(), "36 different deficits"),
        (lambda d: d["efi"]["categories"].reverse(), "categories must rise"),
        (lambda d: d["long_term_conditions"][0].update(kind="spiritual"), "condition kinds"),
        (lambda d: d["priority"].append(["postcode", "asc"]), "priority may sort by"),
        (lambda d: d["priority"].pop(), "must end with person_id"),
        (lambda d: d["complex_needs"].update(frailty_categories=["frail"]), "eFI category"),
        (lambda d: d["priority"][0].append("missing somewhere"), "missing first or last"),
        (lambda d: d.pop("need_bands"), "sorts by need_band but the rule set has no"),
        (lambda d: d.pop("change"), "records its change"),
        (lambda d: _band(d, 2).update(band=3), "numbered 1, 2, 3"),
        (lambda d: _band(d, 2).update(reason=""), "needs its clinical reason"),
        (lambda d: _band(d, 7)["when"].append({"column": "age", "at_least": 1}), "the rest"),
        (lambda d: _band(d, 3).update(when=[]), "only the last need band"),
        (lambda d: _band(d, 1)["when"].append({"column": "postcode", "is": 1}), "may test"),
        (lambda d: _band(d, 1).update(when=[{"column": "palliative", "in": [1]}]), "with 'is'"),
        (lambda d: _band(d, 1).update(when=[{"column": "efi_category", "in": ["x"]}]), "eFI"),
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
