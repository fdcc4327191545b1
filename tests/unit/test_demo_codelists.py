"""The demo's common concepts fall in the repository's lists (moved from
tests/unit/test_analytics_codelists.py, with the lists the demo now draws from named on each
condition). The long tail the demo also draws is, by construction, each condition's own list:
these tests check the concepts most people are coded with."""

from oneroof.analytics.codelists import read_codelists
from oneroof.analytics.rules import load_ruleset
from oneroof.codelists.loader import DATA_DIR
from oneroof.demo.codes import CONDITIONS, EFI_DEFICITS, LIVES_ALONE, PALLIATIVE, SOCIAL_NEEDS

CODELISTS = read_codelists(DATA_DIR)
RULES = load_ruleset()


def _lists_holding(code: str, slugs) -> set[str]:
    return {slug for slug in slugs if code in CODELISTS[slug].codes}


def test_demo_condition_codes_fall_in_their_long_term_condition_list():
    """Each common concept is in the list its condition names, and in no other condition list
    (a code that counted for two conditions would make the demo's own count wrong)."""
    ltc_lists = {c.codelist for c in RULES.conditions}
    for spec in CONDITIONS:
        assert spec.codelist in ltc_lists, spec.key
        for code in spec.codes + spec.female_codes:
            assert _lists_holding(code.code, ltc_lists) == {spec.codelist}, (spec.key, code)


def test_demo_conditions_with_a_resolved_share_have_a_resolved_list():
    for spec in CONDITIONS:
        if spec.resolved:
            assert CODELISTS[f"{spec.codelist}-resolved"].codes, spec.key


def test_demo_deficit_codes_fall_in_their_efi_list():
    """Each deficit's common concepts, and the common concepts of each condition that is a
    deficit, are in that deficit's eFI list."""
    deficit_list = {d.name: d.codelist for d in RULES.coded_deficits}
    for deficit in EFI_DEFICITS:
        if deficit.key == "polypharmacy":
            continue
        codes = list(deficit.codes) + [
            c for spec in CONDITIONS if spec.deficit == deficit.key for c in spec.codes
        ]
        if deficit.key == "social_vulnerability":
            codes.append(LIVES_ALONE)
        for code in codes:
            assert code.code in CODELISTS[deficit_list[deficit.name]].codes, (deficit.key, code)


def test_demo_register_and_social_codes_fall_in_their_lists():
    assert PALLIATIVE.code in CODELISTS["palliative-care-register"].codes
    assert "160689007" in CODELISTS["housebound"].codes  # the demo's housebound deficit code
    expected = {
        "smoking": "smoking-current",
        "obesity": "obesity",
        "unemployed": "social-unemployment",
        "debt": "social-financial-problems",
        "isolation": "social-isolation",
    }
    for key, slug in expected.items():
        assert SOCIAL_NEEDS[key].code in CODELISTS[slug].codes, key
