"""OneRoof's own codelists: readable, complete for the rule set, matching the demo's codes, and
cross-checked against independently published lists in ../shared/data (skipped only when that
folder is absent)."""

import csv
from pathlib import Path

import pytest

from oneroof.analytics.codelists import read_codelists
from oneroof.analytics.rules import all_versions, load_ruleset
from oneroof.codelists.loader import DATA_DIR, codelist_files, read_codelist
from oneroof.demo.codes import CONDITIONS, EFI_DEFICITS, LIVES_ALONE, PALLIATIVE, SOCIAL_NEEDS

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data" / "codelists"
CODELISTS = read_codelists(DATA_DIR)
RULES = load_ruleset()

# Which published set each of our eFI lists reproduces (GM SDE efi-* code sets, which reproduce
# the original eFI of Clegg et al. 2016).
EFI_REFERENCE = {
    "efi-activity-limitation": "efi-activity-limitation",
    "efi-anaemia": "efi-anaemia",
    "efi-arthritis": "efi-arthritis",
    "efi-atrial-fibrillation": "efi-atrial-fibrillation",
    "efi-cerebrovascular-disease": "efi-stroke-tia",
    "efi-chronic-kidney-disease": "efi-ckd",
    "efi-diabetes": "efi-diabetes",
    "efi-dizziness": "efi-dizziness",
    "efi-dyspnoea": "efi-dyspnoea",
    "efi-falls": "efi-falls",
    "efi-foot-problems": "efi-foot-problems",
    "efi-fragility-fracture": "efi-fragility-fracture",
    "efi-hearing-impairment": "efi-hearing-loss",
    "efi-heart-failure": "efi-heart-failure",
    "efi-heart-valve-disease": "efi-heart-valve-disease",
    "efi-housebound": "efi-housebound",
    "efi-hypertension": "efi-hypertension",
    "efi-hypotension-syncope": "efi-hypotension",
    "efi-ischaemic-heart-disease": "efi-chd",
    "efi-memory-cognitive-problems": "efi-cognitive-problems",
    "efi-mobility-transfer-problems": "efi-mobility-problems",
    "efi-osteoporosis": "efi-osteoporosis",
    "efi-parkinsonism-tremor": "efi-parkinsons",
    "efi-peptic-ulcer": "efi-peptic-ulcer",
    "efi-peripheral-vascular-disease": "efi-pvd",
    "efi-requirement-for-care": "efi-care-requirement",
    "efi-respiratory-disease": "efi-respiratory-disease",
    "efi-skin-ulcer": "efi-skin-ulcer",
    "efi-sleep-disturbance": "efi-sleep-disturbance",
    "efi-social-vulnerability": "efi-social-vulnerability",
    "efi-thyroid-disease": "efi-thyroid-disorders",
    "efi-urinary-incontinence": "efi-urinary-incontinence",
    "efi-urinary-system-disease": "efi-urinary-system-disease",
    "efi-visual-impairment": "efi-vision-problems",
    "efi-weight-loss-anorexia": "efi-weight-loss",
}
# Our other lists, and the published lists (GM SDE sets; NHS Digital QOF clusters as qof-*)
# that each of their codes must appear in at least one of.
OTHER_REFERENCE = {
    "ltc-hypertension": {"qof-hyp_cod", "hypertension"},
    "ltc-diabetes": {"qof-dm_cod", "diabetes", "diabetes-type-i", "diabetes-type-ii"},
    "ltc-asthma": {"qof-ast_cod", "asthma"},
    "ltc-copd": {"copd"},
    "ltc-coronary-heart-disease": {"coronary-heart-disease", "myocardial-infarction", "efi-chd"},
    "ltc-heart-failure": {"heart-failure"},
    "ltc-atrial-fibrillation": {"efi-atrial-fibrillation"},
    "ltc-chronic-kidney-disease": {"chronic-kidney-disease"},
    "ltc-stroke-tia": {"qof-strk_cod", "qof-tia_cod", "stroke", "tia"},
    "ltc-cancer": {"cancer", "breast-cancer", "colorectal-cancer", "lung-cancer"},
    "ltc-peripheral-arterial-disease": {"peripheral-arterial-disease", "efi-pvd"},
    "ltc-rheumatoid-arthritis": {"rheumatoid-arthritis"},
    "ltc-osteoporosis": {"efi-osteoporosis"},
    "ltc-osteoarthritis": {"osteoarthritis"},
    "ltc-parkinsons-disease": {"efi-parkinsons"},
    "dementia": {"dementia"},
    "mental-health-depression": {"depression"},
    "mental-health-anxiety": {"anxiety"},
    "severe-mental-illness": {"severe-mental-illness"},
    "learning-disability": {"qof-ld_cod", "learning-disability"},
    "housebound": {"efi-housebound", "mobility-impairment"},
    "palliative-care-register": {"qof-palcare_cod", "palliative-and-end-of-life-care"},
    "carer": {"carer"},
    "emergency-admission": {"emergency-admission"},
    "smoking-current": {"smoking-status-current"},
}
# No published SNOMED CT list in shared/data to check these against (its MANIFEST says so).
UNCHECKED = {
    "ltc-epilepsy",
    "ltc-multiple-sclerosis",
    "obesity",
    "social-isolation",
    "social-financial-problems",
    "social-unemployment",
    "social-housing-problems",
}


@pytest.fixture(scope="module")
def published() -> dict[str, set[str]]:
    """code -> names of the published lists that hold it."""
    if not SHARED.is_dir():
        pytest.skip(f"the published codelists to cross-check against are absent: {SHARED}")
    lists: dict[str, set[str]] = {}
    for path in (SHARED / "gm-sde").glob("*/*/*/*.snomed.txt"):
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            code = line.split("\t", 1)[0].strip().lstrip("\ufeff")
            lists.setdefault(code, set()).add(path.parts[-3])
    for path in (SHARED / "nhsd-qof-refsets").glob("nhsd-primary-care-domain-refsets-*.csv"):
        name = "qof-" + path.stem.removeprefix("nhsd-primary-care-domain-refsets-")
        with path.open(encoding="utf-8") as handle:
            for row in csv.reader(handle):
                if row:
                    lists.setdefault(row[0], set()).add(name)
    return lists


def test_codelists_both_readers_agree_on_every_file():
    for path in codelist_files():
        loaded = read_codelist(path)
        assert CODELISTS[path.stem].codes == {code for code, _ in loaded.entries}
        assert CODELISTS[path.stem].source == loaded.source
        assert "Clegg" in loaded.source or "OneRoof's selection" in loaded.source


def test_codelists_every_one_the_rule_set_needs_exists_and_none_is_unused():
    # A list is used when any rule set version uses it: a superseded version must still run.
    used = set().union(*(load_ruleset(v).codelist_slugs() for v in all_versions()))
    assert used == set(CODELISTS)
    for version in all_versions():
        load_ruleset(version).check_codelists(CODELISTS)
    assert set(EFI_REFERENCE) | set(OTHER_REFERENCE) | UNCHECKED == set(CODELISTS)


def test_codelists_efi_lists_reproduce_the_published_efi_sets(published):
    wrong = [
        (slug, code)
        for slug, reference in EFI_REFERENCE.items()
        for code in CODELISTS[slug].codes
        if reference not in published.get(code, set())
    ]
    assert wrong == []


def test_codelists_other_lists_agree_with_published_lists(published):
    wrong = [
        (slug, code)
        for slug, references in OTHER_REFERENCE.items()
        for code in CODELISTS[slug].codes
        if not references & published.get(code, set())
    ]
    assert wrong == []


def test_codelists_no_efi_code_counts_for_two_deficits():
    seen: dict[str, str] = {}
    for slug in EFI_REFERENCE:
        for code in CODELISTS[slug].codes:
            assert code not in seen, f"{code} is in {seen.get(code)} and {slug}"
            seen[code] = slug


# --- The demo's codes fall in the right lists, so case-finding finds what the demo made ----

DEMO_GROUP_TO_CONDITION = {
    "hypertension": "hypertension",
    "diabetes": "diabetes",
    "asthma": "asthma",
    "copd": "copd",
    "chd": "coronary_heart_disease",
    "heart_failure": "heart_failure",
    "af": "atrial_fibrillation",
    "ckd": "chronic_kidney_disease",
    "stroke_tia": "stroke_tia",
    "cancer": "cancer",
    "pad": "peripheral_arterial_disease",
    "ra": "rheumatoid_arthritis",
    "osteoporosis": "osteoporosis",
    "osteoarthritis": "osteoarthritis",
    "dementia": "dementia",
    "depression": "depression",
    "anxiety": "anxiety",
    "smi": "severe_mental_illness",
    "learning_disability": "learning_disability",
}


def _lists_holding(code: str, slugs) -> set[str]:
    return {slug for slug in slugs if code in CODELISTS[slug].codes}


def test_demo_condition_codes_fall_in_their_long_term_condition_list():
    codelist_of = {c.key: c.codelist for c in RULES.conditions}
    ltc_lists = set(codelist_of.values())
    for spec in CONDITIONS:
        expected = {codelist_of[DEMO_GROUP_TO_CONDITION[spec.ltc_group]]}
        for code in spec.codes + spec.female_codes:
            assert _lists_holding(code.code, ltc_lists) == expected, (spec.key, code)


def test_demo_deficit_codes_fall_in_their_efi_list_only():
    deficit_list = {d.name: d.codelist for d in RULES.coded_deficits}
    efi_lists = set(deficit_list.values())
    by_key = {d.key: d for d in EFI_DEFICITS}
    for deficit in EFI_DEFICITS:
        if deficit.key == "polypharmacy":
            continue
        codes = list(deficit.codes) + [
            c for spec in CONDITIONS if spec.deficit == deficit.key for c in spec.codes
        ]
        if deficit.key == "social_vulnerability":
            codes.append(LIVES_ALONE)
        for code in codes:
            expected = {deficit_list[by_key[deficit.key].name]}
            assert _lists_holding(code.code, efi_lists) == expected, (deficit.key, code)


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
