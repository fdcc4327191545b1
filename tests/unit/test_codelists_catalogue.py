"""The codelists in force: the bundled lists, each replaced by a deployment's own list of the
same name in ONEROOF_CODELISTS_DIR, and others added."""

import pytest

from oneroof.analytics.codelists import read_codelists
from oneroof.codelists.catalogue import catalogue, codelists_in_force
from oneroof.codelists.loader import DATA_DIR, CodelistError

LOCAL = """# name: Heart failure (ours)
# source: Our definition, expanded against SNOMED CT GB1000000_20250101
# version: 2026.1+GB1000000_20250101
# release: GB1000000_20250101
# count: 2
code,term
84114007,Heart failure
88805009,Chronic congestive heart failure
"""


def test_codelists_in_force_are_the_bundled_ones_without_a_local_folder(settings):
    settings.ONEROOF_CODELISTS_DIR = None
    assert codelists_in_force() == read_codelists(DATA_DIR)
    assert {item.origin for item in catalogue().values()} == {"bundled"}


def test_a_local_list_replaces_the_bundled_one_of_its_name_and_others_are_added(tmp_path, settings):
    (tmp_path / "ltc-heart-failure.csv").write_text(LOCAL)
    (tmp_path / "our-frailty-register.csv").write_text(LOCAL.replace("(ours)", "register"))
    settings.ONEROOF_CODELISTS_DIR = str(tmp_path)
    in_force = codelists_in_force()
    assert in_force["ltc-heart-failure"].codes == {"84114007", "88805009"}
    assert in_force["ltc-heart-failure"].version == "2026.1+GB1000000_20250101"
    assert in_force["our-frailty-register"].name == "Heart failure register"
    bundled = read_codelists(DATA_DIR)
    assert set(in_force) == set(bundled) | {"our-frailty-register"}
    assert all(in_force[slug] == bundled[slug] for slug in bundled if slug != "ltc-heart-failure")
    origins = catalogue()
    assert origins["ltc-heart-failure"].origin == "local, replaces bundled"
    assert origins["our-frailty-register"].origin == "local"


def test_a_local_folder_that_is_not_there_is_an_error_not_the_bundled_lists(tmp_path, settings):
    settings.ONEROOF_CODELISTS_DIR = str(tmp_path / "missing")
    with pytest.raises(CodelistError, match="ONEROOF_CODELISTS_DIR is .*missing, which is not"):
        codelists_in_force()
