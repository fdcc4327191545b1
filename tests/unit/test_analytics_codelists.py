"""OneRoof's own codelists: readable, complete for the rule set, and
holding every code of the published lists they are declared to be built from in sources.toml
(read from ../shared/data; those checks are skipped only when that folder is absent)."""

import csv
import re

import pytest

from oneroof.analytics.codelists import read_codelists
from oneroof.analytics.rules import RULESETS_DIR, load_ruleset
from oneroof.codelists.build import load_definitions
from oneroof.codelists.loader import DATA_DIR, codelist_files, read_codelist
from tests.published import PUBLISHED

SHARED = PUBLISHED / "codelists"
CODELISTS = read_codelists(DATA_DIR)
RULES = load_ruleset()

DEFINITIONS_VERSION, DEFINITIONS = load_definitions()
EFI_LISTS = {d.codelist for d in RULES.coded_deficits}

# Each condition (and register) list and the eFI deficit list that must hold every one of its
# codes: a person counted with the condition is counted with the deficit.
EFI_HOLDS = {
    "efi-arthritis": {"ltc-rheumatoid-arthritis", "ltc-osteoarthritis"},
    "efi-atrial-fibrillation": {"ltc-atrial-fibrillation"},
    "efi-cerebrovascular-disease": {"ltc-stroke-tia"},
    "efi-chronic-kidney-disease": {"ltc-chronic-kidney-disease"},
    "efi-diabetes": {"ltc-diabetes"},
    "efi-heart-failure": {"ltc-heart-failure"},
    "efi-housebound": {"housebound"},
    "efi-hypertension": {"ltc-hypertension"},
    "efi-ischaemic-heart-disease": {"ltc-coronary-heart-disease"},
    "efi-memory-cognitive-problems": {"dementia"},
    "efi-osteoporosis": {"ltc-osteoporosis"},
    "efi-parkinsonism-tremor": {"ltc-parkinsons-disease"},
    "efi-peripheral-vascular-disease": {"ltc-peripheral-arterial-disease"},
    "efi-respiratory-disease": {"ltc-asthma", "ltc-copd"},
}


def _published_codes(source) -> set[str]:
    """The codes of one published list, read here independently of the builder."""
    if source.collection == "nhsd-primary-care-domain-refsets":
        path = SHARED / "nhsd-qof-refsets" / f"{source.collection}-{source.name}.csv"
        with path.open(encoding="utf-8-sig") as handle:
            return {row[0] for row in csv.reader(handle) if row and row[0].isdigit()}
    leaf = source.name.split("/")[-1]
    path = SHARED / "gm-sde" / source.name / source.version / f"{leaf}.snomed.txt"
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    return {line.split("\t")[0] for line in lines if line.split("\t")[0].isdigit()}


@pytest.fixture(scope="module")
def declared() -> dict[str, set[str]]:
    """slug -> every code of the published sources its definition declares (with includes)."""
    if not SHARED.is_dir():
        pytest.skip(f"the published codelists the lists are built from are absent: {SHARED}")
    codes = {}
    for slug, definition in DEFINITIONS.items():
        parts = [definition] + [DEFINITIONS[s] for s in definition.includes]
        codes[slug] = {c for p in parts for source in p.sources for c in _published_codes(source)}
        codes[slug] |= {code for p in parts for code, _ in p.codes}
    return codes


def test_codelists_both_readers_agree_on_every_file():
    for path in codelist_files():
        loaded = read_codelist(path)
        assert CODELISTS[path.stem].codes == {code for code, _ in loaded.entries}
        assert CODELISTS[path.stem].source == loaded.source
        assert loaded.version == DEFINITIONS_VERSION
        count = re.search(r"^# count: (\d+)$", path.read_text(encoding="utf-8"), re.MULTILINE)
        assert count and int(count.group(1)) == len(loaded.entries), path.name
        assert [code for code, _ in loaded.entries] == sorted(
            (code for code, _ in loaded.entries), key=int
        )


def test_codelists_every_list_is_defined_and_names_its_sources():
    assert set(DEFINITIONS) == set(CODELISTS)
    for slug, definition in DEFINITIONS.items():
        source = CODELISTS[slug].source
        for published in definition.sources:
            assert f"{published.name}/{published.version}" in source, slug
        if definition.codes:
            assert "hand-composed" in source and definition.note, slug


def test_codelists_every_one_a_rule_set_needs_exists_and_none_is_unused():
    versions = [path.stem.removeprefix("complex-needs-") for path in RULESETS_DIR.glob("*.json")]
    needed = set().union(*(load_ruleset(version).codelist_slugs() for version in versions))
    assert needed == set(CODELISTS)


def test_codelists_every_list_holds_every_code_of_its_declared_sources(declared):
    wrong = {
        slug: (len(declared[slug] - codelist.codes), len(codelist.codes - declared[slug]))
        for slug, codelist in CODELISTS.items()
        if codelist.codes != declared[slug]
    }
    assert wrong == {}  # (codes of the sources missing, codes from no source) for each list


def test_codelists_every_published_list_is_a_primary_care_refset_or_gm_sde_set():
    # NHS Digital's refsets first; GM-SDE for the eFI and where NHS Digital publishes none.
    for slug, definition in DEFINITIONS.items():
        collections = {source.collection for source in definition.sources}
        if slug in EFI_LISTS:
            assert "gm-sde" in collections, slug
        assert collections <= {"nhsd-primary-care-domain-refsets", "gm-sde"}, slug
    hand_composed = {slug for slug, d in DEFINITIONS.items() if not d.sources}
    assert hand_composed == {
        "housebound",
        "social-financial-problems",
        "social-housing-problems",
        "social-isolation",
        "social-unemployment",
    }


def test_codelists_each_condition_list_is_within_its_efi_deficit_list():
    assert set(EFI_HOLDS) <= EFI_LISTS
    outside = {
        (deficit, condition): len(CODELISTS[condition].codes - CODELISTS[deficit].codes)
        for deficit, conditions in EFI_HOLDS.items()
        for condition in conditions
        if not CODELISTS[condition].codes <= CODELISTS[deficit].codes
    }
    assert outside == {}


def test_codelists_efi_deficits_overlap_only_where_their_published_sources_overlap(declared):
    # The published eFI sets overlap (the original eFI's Read codes mapped to SNOMED CT: e.g.
    # 73211009 Diabetes mellitus is in both GM-SDE efi-diabetes and efi-ckd). The eFI counts each
    # deficit once per person, so such a code adds one to each deficit it is published in, and
    # nowhere else.
    efi = sorted(EFI_LISTS)
    shared = 0
    for i, first in enumerate(efi):
        for second in efi[i + 1 :]:
            ours = CODELISTS[first].codes & CODELISTS[second].codes
            assert ours <= declared[first] & declared[second], (first, second)
            shared += len(ours)
    assert (
        "73211009"
        in CODELISTS["efi-diabetes"].codes & CODELISTS["efi-chronic-kidney-disease"].codes
    )
    assert shared > 0
