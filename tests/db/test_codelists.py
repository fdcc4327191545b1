import pytest
from django.core.management import CommandError, call_command

from oneroof.codelists.loader import CodelistError, read_codelist
from oneroof.codelists.models import Codelist, CodelistEntry

GOOD = """# name: Heart failure
# source: QOF HF_COD, NHS Digital primary care domain refset
# version: 2026-11
code,term
84114007,Heart failure
42343007,Congestive heart failure
"""


def write(directory, name, text):
    path = directory / name
    path.write_text(text)
    return path


@pytest.mark.django_db
def test_load_codelists_loads_and_reloads(tmp_path):
    path = write(tmp_path, "heart-failure.csv", GOOD)
    call_command("load_codelists", directory=tmp_path)
    codelist = Codelist.objects.get(slug="heart-failure")
    assert codelist.source.startswith("QOF HF_COD")
    assert set(codelist.entries.values_list("code", flat=True)) == {"84114007", "42343007"}

    path.write_text(GOOD.replace("42343007,Congestive heart failure\n", ""))
    call_command("load_codelists", directory=tmp_path)
    assert list(CodelistEntry.objects.values_list("code", flat=True)) == ["84114007"]


@pytest.mark.django_db
def test_load_codelists_bad_file_changes_nothing(tmp_path):
    write(tmp_path, "a-good.csv", GOOD)
    write(tmp_path, "b-bad.csv", GOOD.replace("84114007,", "not-a-code,"))
    with pytest.raises(CommandError, match="b-bad.csv: row 2 is not a SNOMED CT code"):
        call_command("load_codelists", directory=tmp_path)
    assert not Codelist.objects.exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            GOOD.replace("# source: QOF HF_COD, NHS Digital primary care domain refset\n", ""),
            "header is missing source",
        ),
        (GOOD.replace("code,term", "id,name"), "first row must be 'code,term'"),
        (GOOD + "84114007,Heart failure again\n", "code 84114007 appears twice"),
        (
            GOOD.replace("code,term", "# count: 3\ncode,term"),
            "the header says 3 codes but the file holds 2",
        ),
    ],
)
def test_read_codelist_rejects_bad_files(tmp_path, text, message):
    with pytest.raises(CodelistError, match=message):
        read_codelist(write(tmp_path, "x.csv", text))


def test_build_codelists_writes_every_defined_list(tmp_path):
    published = tmp_path / "published" / "nhsd-qof-refsets"
    published.mkdir(parents=True)
    (published / "nhsd-primary-care-domain-refsets-hf_cod.csv").write_text(
        "code,term\n84114007,Heart failure\n42343007,Congestive heart failure\n"
    )
    sources = write(
        tmp_path,
        "sources.toml",
        'version = "2027.1"\n[lists.heart-failure]\nname = "Heart failure"\nsources = [\n'
        '  { collection = "nhsd-primary-care-domain-refsets", cluster = "hf_cod", '
        'version = "20260630" },\n]\n',
    )
    out = tmp_path / "data"
    out.mkdir()
    call_command("build_codelists", published=published.parent, sources=sources, directory=out)
    built = read_codelist(out / "heart-failure.csv")
    assert built.entries == (
        ("42343007", "Congestive heart failure"),
        ("84114007", "Heart failure"),
    )
    assert "# count: 2" in (out / "heart-failure.csv").read_text()

    (published / "nhsd-primary-care-domain-refsets-hf_cod.csv").unlink()
    with pytest.raises(CommandError, match="published file is missing"):
        call_command("build_codelists", published=published.parent, sources=sources, directory=out)
    assert read_codelist(out / "heart-failure.csv") == built
