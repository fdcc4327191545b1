"""Building codelist files from declared sources, on a small folder of published lists written
here in the published formats (NHS Digital refset CSV, GM-SDE tab-separated SNOMED file)."""

import json

import pytest

from oneroof.analytics.codelists import CodelistFormatError
from oneroof.analytics.codelists import read_codelist as read_for_analytics
from oneroof.codelists.build import BuildError, build_all, load_definitions, write_all
from oneroof.codelists.loader import DATA_DIR, read_codelist
from tests.published import PUBLISHED

DEFINITIONS = """
version = "2027.1"

[lists.ltc-heart-failure]
name = "Heart failure"
sources = [
  { collection = "nhsd-primary-care-domain-refsets", cluster = "hf_cod", version = "20260630" },
]

[lists.efi-heart-failure]
name = "eFI deficit: Heart failure"
sources = [{ collection = "gm-sde", set = "conditions/efi-heart-failure", version = "1" }]
includes = ["ltc-heart-failure"]

[lists.social-isolation]
name = "Social isolation"
note = "No published list: the SNOMED CT finding."
codes = [["422650009", "Social isolation"]]
"""
HF_COD = "code,term\n84114007,Heart failure\n10335000,Chronic right-sided heart failure\n"
EFI_HF = "\ufeffsnomed\tDescription\n42343007\tCongestive heart failure (disorder)\n"
EFI_HF += "84114007\tHeart failure (disorder)\n"


@pytest.fixture
def published(tmp_path):
    root = tmp_path / "published"
    (root / "nhsd-qof-refsets").mkdir(parents=True)
    (root / "nhsd-qof-refsets" / "nhsd-primary-care-domain-refsets-hf_cod.csv").write_text(HF_COD)
    gm = root / "gm-sde" / "conditions" / "efi-heart-failure" / "1"
    gm.mkdir(parents=True)
    (gm / "efi-heart-failure.snomed.txt").write_text(EFI_HF, encoding="utf-8")
    return root


def definitions(tmp_path, text=DEFINITIONS):
    path = tmp_path / "sources.toml"
    path.write_text(text)
    return load_definitions(path)


def test_build_takes_every_code_of_every_source_sorted_with_count(tmp_path, published):
    version, defined = definitions(tmp_path)
    out = tmp_path / "data"
    out.mkdir()
    write_all(build_all(published, defined), version, out)

    text = (out / "efi-heart-failure.csv").read_text()
    assert text.splitlines()[:4] == [
        "# name: eFI deficit: Heart failure",
        "# source: GM-SDE clinical code set efi-heart-failure (conditions/efi-heart-failure/1); "
        "NHS Digital primary care domain reference set HF_COD "
        "(nhsd-primary-care-domain-refsets/hf_cod/20260630)",
        "# version: 2027.1",
        "# count: 3",
    ]
    loaded = read_codelist(out / "efi-heart-failure.csv")
    assert loaded.entries == (
        ("10335000", "Chronic right-sided heart failure"),
        ("42343007", "Congestive heart failure (disorder)"),
        ("84114007", "Heart failure (disorder)"),  # the first source's term
    )
    assert read_for_analytics(out / "ltc-heart-failure.csv").codes == {"84114007", "10335000"}
    hand = read_codelist(out / "social-isolation.csv")
    assert hand.entries == (("422650009", "Social isolation"),)
    assert "hand-composed" in hand.source


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda root: (root / "gm-sde").rename(root / "elsewhere"), "published file is missing"),
        (
            lambda root: (
                root / "nhsd-qof-refsets" / "nhsd-primary-care-domain-refsets-hf_cod.csv"
            ).write_text(HF_COD + "G58..,Heart failure (Read)\n"),
            "hf_cod.csv: line 4 is not a SNOMED CT code and a term",
        ),
        (
            lambda root: (root / "nhsd-qof-refsets" / "codelists.json").write_text(
                json.dumps(
                    {
                        "files": {
                            "nhsd-primary-care-domain-refsets-hf_cod.csv": {
                                "id": "nhsd-primary-care-domain-refsets/hf_cod/20200812"
                            }
                        }
                    }
                )
            ),
            "is version 20200812",
        ),
    ],
)
def test_build_refuses_bad_published_lists_and_writes_nothing(tmp_path, published, change, message):
    version, defined = definitions(tmp_path)
    change(published)
    with pytest.raises(BuildError, match=message):
        build_all(published, defined)


def test_build_refuses_to_write_beside_an_undefined_list(tmp_path, published):
    version, defined = definitions(tmp_path)
    out = tmp_path / "data"
    out.mkdir()
    (out / "old-list.csv").write_text("stale")
    with pytest.raises(BuildError, match="no definition for old-list.csv"):
        write_all(build_all(published, defined), version, out)
    assert [path.name for path in out.iterdir()] == ["old-list.csv"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            DEFINITIONS.replace('includes = ["ltc-heart-failure"]', 'includes = ["nowhere"]'),
            "includes unknown lists: nowhere",
        ),
        (
            DEFINITIONS.replace('note = "No published list: the SNOMED CT finding."\n', ""),
            "must say in its note how it was built",
        ),
        (
            DEFINITIONS.replace('codes = [["422650009"', 'codes = [["X1234"'),
            "not SNOMED CT concept ids: X1234",
        ),
        (
            DEFINITIONS.replace('collection = "gm-sde"', 'collection = "ctv3"'),
            "unknown collection 'ctv3'",
        ),
        (
            DEFINITIONS + '\n[lists.both]\nname = "Both"\nnote = "n"\ncodes = [["1", "x"]]\n'
            'sources = [{ collection = "gm-sde", set = "a/b", version = "1" }]\n',
            "hand-composed codes are only for lists with no published source",
        ),
        (DEFINITIONS + '\n[lists.empty]\nname = "Empty"\n', "names no source and no codes"),
    ],
)
def test_load_definitions_refuses_bad_definitions(tmp_path, text, message):
    with pytest.raises(BuildError, match=message):
        definitions(tmp_path, text)


GOOD_FILE = """# name: Heart failure
# source: NHS Digital primary care domain reference set HF_COD
# version: 2027.1
# count: 2
code,term
84114007,Heart failure
42343007,Congestive heart failure
"""


def test_both_readers_refuse_a_file_whose_count_disagrees_with_its_rows(tmp_path):
    path = tmp_path / "heart-failure.csv"
    path.write_text(GOOD_FILE)
    assert read_for_analytics(path).codes == {"84114007", "42343007"}
    path.write_text(GOOD_FILE.replace("# count: 2", "# count: 3"))
    message = "heart-failure.csv: the header says 3 codes but the file holds 2"
    with pytest.raises(CodelistFormatError, match=message):
        read_for_analytics(path)
    with pytest.raises(ValueError, match=message):
        read_codelist(path)


def test_committed_codelists_are_exactly_what_the_builder_writes(tmp_path):
    published = PUBLISHED / "codelists"
    if not published.is_dir():
        pytest.skip(f"the published codelists the lists are built from are absent: {published}")
    version, defined = load_definitions()
    built = build_all(published, defined)
    written = {path.name: path.read_text(encoding="utf-8") for path in DATA_DIR.glob("*.csv")}
    assert written == {f"{slug}.csv": codelist.render(version) for slug, codelist in built.items()}
