"""Loading a SNOMED CT release (RF2 Snapshot), refusing a bad one without changing anything,
and codelists defined by its hierarchy: expansion, the `codelists` command, and the route of an
expanded list into case-finding. The release is tests/fixtures/rf2 (see its README)."""

import shutil
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from oneroof.analytics.codelists import read_codelist
from oneroof.care.models import Condition
from oneroof.codelists.loader import DATA_DIR
from oneroof.codelists.models import SnomedConcept, SnomedIsA, SnomedRelease
from oneroof.population.models import CohortMember
from oneroof.population.services import find_cases
from tests.factories import AddressFactory, PersonFactory

pytestmark = pytest.mark.django_db

RELEASE = (
    Path(__file__).resolve().parents[1]
    / "fixtures"
    / "rf2"
    / "SnomedCT_OneRoofTestRF2_PRODUCTION_20250101T000001Z"
)
V = "GB1000000_20250101"
CONCEPTS = f"sct2_Concept_UKCLSnapshot_{V}.txt"
DESCRIPTIONS = f"sct2_Description_UKCLSnapshot-en_{V}.txt"
RELATIONSHIPS = f"sct2_Relationship_UKCLSnapshot_{V}.txt"
DIABETES_SUBTREE = {
    "73211009",  # diabetes mellitus
    "46635009",  # type 1
    "44054006",  # type 2
    "313436004",  # type 2 without complication
    "11687002",  # gestational
    "420422005",  # ketoacidosis due to diabetes
    "420270002",  # ketoacidosis due to type 1 (two parents)
    "127013003",  # disorder of kidney due to diabetes (two parents)
}


def load(path=RELEASE) -> str:
    out = StringIO()
    call_command("load_snomed", str(path), stdout=out)
    return out.getvalue()


def state():
    """Everything a load writes, to compare before and after a refused one."""
    return (
        list(SnomedRelease.objects.values_list("version", "concepts", "is_a_relationships")),
        list(SnomedConcept.objects.order_by("id").values_list("id", "active", "term")),
        sorted(SnomedIsA.objects.values_list("child", "parent")),
    )


def copy_release(tmp_path) -> Path:
    copy = tmp_path / RELEASE.name
    shutil.copytree(RELEASE, copy)
    return copy


def terminology(folder: Path) -> Path:
    return folder / "Snapshot" / "Terminology"


def edit(folder: Path, name: str, line: int, change) -> None:
    """Change one line (1 is the header) of a release file, keeping its CRLF endings."""
    path = terminology(folder) / name
    lines = path.read_bytes().decode("utf-8").split("\r\n")
    lines[line - 1] = change(lines[line - 1])
    path.write_bytes("\r\n".join(lines).encode("utf-8"))


# --- loading -----------------------------------------------------------------------------------


def test_load_snomed_keeps_concepts_terms_and_active_is_a_relationships():
    out = load()
    release = SnomedRelease.objects.get()
    assert (release.version, release.effective_date) == (V, date(2025, 1, 1))
    assert release.folder == RELEASE.name
    assert (release.concepts, release.active_concepts, release.is_a_relationships) == (34, 33, 34)
    assert f"Loaded SNOMED CT {V}: 34 concepts (33 active), 34 active IS-A" in out
    # the term is the fully specified name without its semantic tag, not a synonym
    assert SnomedConcept.objects.get(id=44054006).term == "Diabetes mellitus type 2"
    assert SnomedConcept.objects.get(id=416075005).term == "On learning disability register"
    assert SnomedConcept.objects.get(id=190372001).active is False
    pairs = set(SnomedIsA.objects.values_list("child", "parent"))
    assert (44054006, 46635009) not in pairs  # an inactive relationship
    assert (190372001, 44054006) not in pairs  # the retired concept's
    assert (90708001, 64033007) not in pairs  # finding site: not IS-A
    assert {(420270002, 46635009), (420270002, 420422005)} <= pairs  # two parents


def test_load_snomed_reads_the_terminology_folder_itself(tmp_path):
    load(terminology(RELEASE))
    assert SnomedRelease.objects.get().version == V


def test_load_snomed_reads_international_edition_file_names(tmp_path):
    release = copy_release(tmp_path)
    for path in terminology(release).iterdir():
        path.rename(path.with_name(path.name.replace("UKCL", "").replace("GB1000000", "INT")))
    load(release)
    assert SnomedRelease.objects.get().version == "INT_20250101"
    assert SnomedConcept.objects.count() == 34


def test_load_snomed_again_replaces_the_previous_release(tmp_path):
    load()
    newer = copy_release(tmp_path)
    folder = terminology(newer)
    for path in folder.iterdir():
        path.rename(folder / path.name.replace("20250101", "20250401"))
    name = lambda kind: next(p.name for p in folder.iterdir() if p.name.startswith(kind))  # noqa: E731
    edit(newer, name("sct2_Description"), 14, lambda row: row.replace("type 2", "type II"))
    edit(newer, name("sct2_Relationship"), 8, lambda row: "\t".join(_set(row, 2, "0")))
    load(newer)
    release = SnomedRelease.objects.get()
    assert release.version == "GB1000000_20250401"
    assert release.is_a_relationships == 33
    assert SnomedConcept.objects.get(id=44054006).term == "Diabetes mellitus type II"
    assert not SnomedIsA.objects.filter(child=313436004).exists()
    assert SnomedConcept.objects.count() == 34


def _set(row: str, column: int, value: str) -> list[str]:
    cells = row.split("\t")
    cells[column] = value
    return cells


# --- a bad release is refused with the file and line, and nothing changes ----------------------


def _missing(folder):
    (terminology(folder) / RELATIONSHIPS).unlink()


def _other_release(folder):
    path = terminology(folder) / DESCRIPTIONS
    path.rename(path.with_name(DESCRIPTIONS.replace("20250101", "20240701")))


def _line(name, number, change):
    return lambda folder: edit(folder, name, number, change)


def _not_utf8(folder):
    path = terminology(folder) / DESCRIPTIONS
    path.write_bytes(path.read_bytes().replace(b"Kidney disease", b"Kidney dis\xe9ase", 1))


BAD_RELEASES = {
    "missing file": (_missing, "has no sct2_Relationship_\\*Snapshot_\\*.txt"),
    "files of two releases": (_other_release, "not of one release"),
    "bad header": (
        _line(CONCEPTS, 1, lambda row: row.replace("moduleId", "module")),
        f"{CONCEPTS} line 1: the header is not the RF2 header",
    ),
    "too few columns": (
        _line(DESCRIPTIONS, 30, lambda row: row.rsplit("\t", 1)[0]),
        f"{DESCRIPTIONS} line 30: has 8 columns, not 9",
    ),
    "bad concept id": (
        _line(CONCEPTS, 9, lambda row: "\t".join(_set(row, 0, "73211O09"))),
        f"{CONCEPTS} line 9: id '73211O09' is not a SNOMED CT identifier",
    ),
    "description id where a concept id belongs": (
        _line(RELATIONSHIPS, 39, lambda row: "\t".join(_set(row, 4, "1001016"))),
        f"{RELATIONSHIPS} line 39: sourceId '1001016' is not a SNOMED CT identifier",
    ),
    "bad date": (
        _line(RELATIONSHIPS, 38, lambda row: "\t".join(_set(row, 1, "20201331"))),
        f"{RELATIONSHIPS} line 38: effectiveTime '20201331' is not a date",
    ),
    "bad active flag": (
        _line(DESCRIPTIONS, 60, lambda row: "\t".join(_set(row, 2, "true"))),
        f"{DESCRIPTIONS} line 60: active is 'true'",
    ),
    "description of no concept": (
        _line(DESCRIPTIONS, 70, lambda row: "\t".join(_set(row, 4, "22298006"))),
        f"{DESCRIPTIONS} line 70: conceptId 22298006 is not in the Concept file",
    ),
    "IS-A to no concept": (
        _line(RELATIONSHIPS, 37, lambda row: "\t".join(_set(row, 5, "22298006"))),
        f"{RELATIONSHIPS} line 37: concept 22298006 is not in the Concept file",
    ),
    "concept twice": (
        _line(CONCEPTS, 35, lambda row: row.replace("363698007", "116680003")),
        f"{CONCEPTS}: concept 116680003 appears twice",
    ),
    "not UTF-8": (_not_utf8, f"{DESCRIPTIONS} line 26: not UTF-8 text"),
}


@pytest.mark.parametrize("case", BAD_RELEASES, ids=list(BAD_RELEASES))
def test_load_snomed_refuses_a_bad_release_and_keeps_the_loaded_one(tmp_path, case):
    load()
    before = state()
    bad = copy_release(tmp_path)
    spoil, message = BAD_RELEASES[case]
    spoil(bad)
    with pytest.raises(CommandError, match=message) as raised:
        load(bad)
    assert "Nothing was changed" in str(raised.value)
    assert state() == before


def test_load_snomed_refuses_a_bad_release_into_an_empty_database(tmp_path):
    bad = copy_release(tmp_path)
    edit(bad, RELATIONSHIPS, 39, lambda row: row + "\textra")
    with pytest.raises(CommandError, match=f"{RELATIONSHIPS} line 39: has 11 columns"):
        load(bad)
    assert state() == ([], [], [])


def test_load_snomed_refuses_a_folder_that_is_not_a_release(tmp_path):
    with pytest.raises(CommandError, match="has no sct2_Concept"):
        load(tmp_path)
    with pytest.raises(CommandError, match="is not a folder"):
        load(tmp_path / "nowhere")


# --- definitions, expanded against the loaded release ------------------------------------------


def define(directory: Path, slug: str, include, exclude=(), **extra) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    fields = {"name": f"Test {slug}", "source": "A test definition", "version": "2026.1"}
    fields.update(extra)
    text = "".join(f'{key} = "{value}"\n' for key, value in fields.items())
    text += f"include = {list(include)!r}\n".replace("'", '"')
    text += f"exclude = {list(exclude)!r}\n".replace("'", '"')
    path = directory / f"{slug}.toml"
    path.write_text(text)
    return path


def expand(tmp_path) -> tuple[str, Path]:
    into = tmp_path / "local"
    out = StringIO()
    call_command("codelists", "expand", str(tmp_path / "definitions"), into=into, stdout=out)
    return out.getvalue(), into


def codes(path: Path) -> set[str]:
    return set(read_codelist(path).codes)


@pytest.fixture
def loaded():
    load()


@pytest.mark.parametrize(
    ("include", "exclude", "expected"),
    [
        (["<< 73211009 |Diabetes mellitus|"], [], DIABETES_SUBTREE),
        (["73211009"], [], {"73211009"}),
        (["< 73211009"], [], DIABETES_SUBTREE - {"73211009"}),
        # the inactive IS-A (type 2 under type 1) is not followed
        (["<<46635009"], [], {"46635009", "420270002"}),
        # excluded with descendants, and alone: a concept with another parent still in stays in
        (
            ["<< 73211009"],
            ["<< 11687002", "420422005"],
            DIABETES_SUBTREE - {"11687002", "420422005"},
        ),
        (["<< 73211009"], ["<< 420422005"], DIABETES_SUBTREE - {"420422005", "420270002"}),
        # a concept with two parents is found under either
        (
            ["<< 709044004", "<< 90708001"],
            ["90708001"],
            {
                "709044004",
                "433144002",
                "700378005",
                "700379002",
                "431857002",
                "433146000",
                "127013003",
            },
        ),
    ],
    ids=[
        "with descendants",
        "alone",
        "descendants only",
        "inactive IS-A not followed",
        "exclusions with and without descendants",
        "exclusion takes its descendants",
        "two parents",
    ],
)
def test_expand_follows_active_is_a_with_and_without_descendants(
    tmp_path, loaded, include, exclude, expected
):
    define(tmp_path / "definitions", "test-list", include, exclude)
    _, into = expand(tmp_path)
    assert codes(into / "test-list.csv") == expected


def test_expand_writes_a_list_stamped_with_the_release(tmp_path, loaded):
    define(tmp_path / "definitions", "ltc-diabetes", ["<< 44054006 |Type 2 diabetes|"])
    out, into = expand(tmp_path)
    text = (into / "ltc-diabetes.csv").read_text()
    assert text.splitlines()[-3:] == [
        "code,term",
        "44054006,Diabetes mellitus type 2",
        "313436004,Type 2 diabetes mellitus without complication",
    ]
    assert f"# version: 2026.1+{V}\n" in text
    assert f"# release: {V}\n# count: 2\n" in text
    assert f"include << 44054006 |Type 2 diabetes|; expanded against SNOMED CT {V}" in text
    # it replaces a bundled list, and says which of the bundled codes it leaves out
    assert f"ltc-diabetes: 2 codes, SNOMED CT {V} (replaces the bundled list of" in out
    bundled = read_codelist(DATA_DIR / "ltc-diabetes.csv").codes
    left_out = sorted(bundled - {"44054006", "313436004"}, key=int)
    assert f"WARNING: {len(left_out):,} of them are not in it: {left_out[0]}, " in out


@pytest.mark.parametrize(
    ("include", "exclude", "message"),
    [
        (["<< 22298006"], [], "concept 22298006 \\(<< 22298006\\) is not in the loaded"),
        (["<< 73211009"], ["1234567"], "concept 1234567 \\(1234567\\) is not in the loaded"),
        (["190372001"], [], "concept 190372001 \\(190372001\\) is inactive in SNOMED CT"),
        (["<< 73211009"], ["<< 73211009"], "expands to no active concept"),
        (["<<< 73211009"], [], "include entry '<<< 73211009' is not a concept id"),
        ([], [], "include must name at least one concept"),
    ],
    ids=["unknown", "unknown exclusion", "retired", "nothing left", "bad entry", "no include"],
)
def test_expand_refuses_a_definition_it_cannot_expand_and_writes_nothing(
    tmp_path, loaded, include, exclude, message
):
    define(tmp_path / "definitions", "a-good-one", ["<< 73211009"])
    define(tmp_path / "definitions", "b-bad-one", include, exclude)
    with pytest.raises(CommandError, match=f"b-bad-one.toml: {message}"):
        expand(tmp_path)
    assert not (tmp_path / "local").exists()


def test_expand_refuses_unknown_keys_and_needs_a_release(tmp_path):
    define(tmp_path / "definitions", "test-list", ["<< 73211009"], excludes="x")
    with pytest.raises(CommandError, match="No SNOMED CT release is loaded"):
        expand(tmp_path)
    load()
    with pytest.raises(CommandError, match="test-list.toml: unknown key excludes"):
        expand(tmp_path)


def test_expand_needs_somewhere_to_write(tmp_path, loaded, settings):
    settings.ONEROOF_CODELISTS_DIR = None
    define(tmp_path / "definitions", "test-list", ["<< 73211009"])
    with pytest.raises(CommandError, match="Set ONEROOF_CODELISTS_DIR"):
        call_command("codelists", "expand", str(tmp_path / "definitions"))
    settings.ONEROOF_CODELISTS_DIR = str(tmp_path / "local")
    call_command("codelists", "expand", str(tmp_path / "definitions"), stdout=StringIO())
    assert codes(tmp_path / "local" / "test-list.csv") == DIABETES_SUBTREE


# --- `manage.py codelists` and `codelists show` ------------------------------------------------


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("codelists", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_codelists_lists_every_bundled_list_with_source_version_and_size(settings):
    settings.ONEROOF_CODELISTS_DIR = None
    out, _ = run()
    lines = out.splitlines()
    assert lines[:2] == [
        "SNOMED CT release loaded: none",
        "Local codelists: none (ONEROOF_CODELISTS_DIR is not set)",
    ]
    assert lines[2].split() == ["name", "codes", "version", "origin", "source"]
    bundled = sorted(DATA_DIR.glob("*.csv"), key=lambda path: path.stem)
    assert len(lines) == 3 + len(bundled)
    for path, line in zip(bundled, lines[3:], strict=True):
        codelist = read_codelist(path)
        assert line.split()[:4] == [
            path.stem,
            str(len(codelist.codes)),
            codelist.version,
            "bundled",
        ]
        assert line.endswith(codelist.source)


def test_codelists_lists_local_lists_and_flags_those_of_another_release(tmp_path, loaded, settings):
    settings.ONEROOF_CODELISTS_DIR = str(tmp_path / "local")
    define(tmp_path / "definitions", "ltc-heart-failure", ["<< 84114007"])
    define(tmp_path / "definitions", "local-ckd-3", ["<< 433144002"])
    expand(tmp_path)
    out, err = run("list")
    assert f"SNOMED CT release loaded: {V}" in out
    rows = {line.split()[0]: line for line in out.splitlines()[3:]}
    assert rows["ltc-heart-failure"].split()[1:5] == ["4", f"2026.1+{V}", "local,", "replaces"]
    assert rows["local-ckd-3"].split()[1:4] == ["3", f"2026.1+{V}", "local"]
    assert err == ""
    SnomedRelease.objects.update(version="GB1000000_20250401")
    _, err = run()
    assert "ltc-heart-failure was expanded against another SNOMED CT release" in err


def test_codelists_show_prints_the_codes_as_csv(tmp_path, loaded, settings):
    (tmp_path / "local").mkdir()
    settings.ONEROOF_CODELISTS_DIR = str(tmp_path / "local")
    out, _ = run("show", "ltc-heart-failure")
    bundled = (DATA_DIR / "ltc-heart-failure.csv").read_text().splitlines()
    assert out.splitlines() == [line for line in bundled if not line.startswith("#")]
    define(tmp_path / "definitions", "ltc-heart-failure", ["<< 42343007"])
    expand(tmp_path)
    out, _ = run("show", "ltc-heart-failure")
    assert out == (
        "code,term\n42343007,Congestive heart failure\n88805009,Chronic congestive heart failure\n"
    )


def test_codelists_show_refuses_an_unknown_name():
    with pytest.raises(CommandError, match="There is no codelist called 'no-such-list'"):
        run("show", "no-such-list")


# --- an expanded list reaches case-finding -----------------------------------------------------


def test_expanded_list_replaces_the_bundled_one_in_case_finding(tmp_path, loaded, settings):
    """Three long-term conditions from the bundled lists, and heart failure coded two ways: a
    deployment's definition that leaves congestive heart failure out changes who is found."""
    (tmp_path / "local").mkdir()
    settings.ONEROOF_CODELISTS_DIR = str(tmp_path / "local")
    others = [
        sorted(read_codelist(DATA_DIR / f"{slug}.csv").codes)[0]
        for slug in ("ltc-hypertension", "ltc-asthma", "ltc-osteoarthritis")
    ]
    chronic, congestive = PersonFactory(), PersonFactory()
    for person, heart_failure in ((chronic, "88805009"), (congestive, "42343007")):
        AddressFactory(person=person, imd_decile=3)
        for code in [*others, heart_failure]:
            Condition.objects.create(
                person=person,
                code=code,
                display=code,
                category="physical",
                recorded_date=date(2024, 1, 1),
            )

    def found(snapshot: str) -> set[int]:
        summary = find_cases(snapshot_dir=tmp_path / snapshot, index_date=date(2026, 6, 30))
        members = CohortMember.objects.filter(run=summary.run)
        return set(members.values_list("person_id", flat=True))

    assert congestive.pk in found("bundled")
    define(
        tmp_path / "definitions",
        "ltc-heart-failure",
        ["<< 84114007 |Heart failure|"],
        ["<< 42343007 |Congestive heart failure|"],
    )
    expand(tmp_path)
    assert codes(tmp_path / "local" / "ltc-heart-failure.csv") == {"84114007", "56675007"}
    assert found("local") == set()
    define(tmp_path / "definitions", "ltc-heart-failure", ["<< 84114007 |Heart failure|"])
    expand(tmp_path)
    assert found("local-again") == {chronic.pk, congestive.pk}
