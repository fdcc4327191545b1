"""The demo's codes against the published codelists in ../shared/data (skipped where absent).

Each condition and deficit code must be in a published list, and in the efi-* set of the
deficit it stands for and no other, so an eFI counted from those sets counts it once.
"""

import csv

import pytest

from oneroof.demo.codes import (
    CONDITIONS,
    EFI_DEFICITS,
    LIVES_ALONE,
    PALLIATIVE,
    SOCIAL_NEEDS,
    deficit_for_code,
)
from oneroof.demo.medicines import MEDICINES, MEDICINES_FOR
from tests.published import PUBLISHED

CODELISTS = PUBLISHED / "codelists"
# Social needs with no published SNOMED codelist (../shared/data/codelists/MANIFEST.md says so).
UNLISTED = {SOCIAL_NEEDS[k].code for k in ("unemployed", "debt", "isolation")}


def published() -> dict[str, set[str]]:
    """code -> names of the published lists that hold it."""
    if not CODELISTS.is_dir():
        pytest.skip(f"the published codelists are not beside this checkout: {CODELISTS}")
    lists: dict[str, set[str]] = {}
    for path in (CODELISTS / "gm-sde").glob("*/*/*/*.snomed.txt"):
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            code = line.split("\t", 1)[0]
            lists.setdefault(code, set()).add(path.parts[-3])
    for path in (CODELISTS / "nhsd-qof-refsets").glob("*.csv"):
        with path.open(encoding="utf-8") as handle:
            for row in csv.reader(handle):
                if row:
                    lists.setdefault(row[0], set()).add(path.stem)
    return lists


def all_codes():
    for spec in CONDITIONS:
        yield from spec.codes + spec.female_codes
    for deficit in EFI_DEFICITS:
        yield from deficit.codes
    yield LIVES_ALONE
    yield PALLIATIVE
    yield from SOCIAL_NEEDS.values()


def test_every_code_is_in_a_published_codelist():
    lists = published()
    missing = [c for c in all_codes() if c.code not in lists and c.code not in UNLISTED]
    assert missing == []


def test_each_code_is_in_the_efi_set_of_its_own_deficit_only():
    lists = published()
    codelist_of = {d.key: d.codelist for d in EFI_DEFICITS}
    for code in all_codes():
        efi_sets = {name for name in lists.get(code.code, ()) if name.startswith("efi-")}
        deficit = deficit_for_code(code.code)
        expected = {codelist_of[deficit]} if deficit else set()
        assert efi_sets == expected, code


def test_there_are_36_deficits_each_with_a_codelist_or_polypharmacy():
    assert len(EFI_DEFICITS) == 36
    assert len({d.key for d in EFI_DEFICITS}) == 36
    assert [d.key for d in EFI_DEFICITS if not d.codelist] == ["polypharmacy"]


def test_every_medicine_named_for_a_condition_exists():
    for choices in MEDICINES_FOR.values():
        for medicine, chance in choices:
            assert medicine in MEDICINES and 0 < chance <= 1
