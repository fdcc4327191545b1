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
    ],
)
def test_read_codelist_rejects_bad_files(tmp_path, text, message):
    with pytest.raises(CodelistError, match=message):
        read_codelist(write(tmp_path, "x.csv", text))
