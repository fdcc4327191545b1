"""The hazard log (docs/clinical-safety/hazard-log.md) holds together: every hazard has causes,
controls and the tests that verify them, every named test exists, and the hazards the process
requires are all there."""

import ast
import re
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HAZARD_LOG = ROOT / "docs" / "clinical-safety" / "hazard-log.md"
FIELDS = ("Hazard", "Causes", "Effect", "Initial risk", "Controls", "Verified by", "Residual risk")
TEST_ID = re.compile(r"`(tests/[\w/]+\.py)::(\w+)`")
# The hazards the process requires the log to hold, whatever else it holds.
REQUIRED = {
    "H-001": "codelist gaps",
    "H-002": "frailty under-graded",
    "H-003": "worklist order",
    "H-004": "wrong person",
    "H-005": "measures reward",
    "H-006": "double booking",
    "H-007": "break-glass",
    "H-008": "fhir search",
}


def parse_hazard_log(text: str) -> dict[str, dict]:
    """{hazard id: {"title", field: text}} from `## H-NNN Title` sections with `- **Field**:`."""
    hazards: dict[str, dict] = {}
    for section in re.split(r"^## ", text, flags=re.M)[1:]:
        heading, _, body = section.partition("\n")
        hazard_id, _, title = heading.partition(" ")
        fields = dict(re.findall(r"^- \*\*(.+?)\*\*:(.*?)(?=^- \*\*|\Z)", body, flags=re.M | re.S))
        hazards[hazard_id] = {"title": title.strip(), **{k: v.strip() for k, v in fields.items()}}
    return hazards


@cache
def defined_tests(path: Path) -> frozenset[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return frozenset(
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test")
    )


HAZARDS = parse_hazard_log(HAZARD_LOG.read_text(encoding="utf-8"))


def test_clinical_safety_log_holds_every_required_hazard():
    for hazard_id, words in REQUIRED.items():
        assert hazard_id in HAZARDS, f"{hazard_id} ({words}) is missing from the hazard log"
        assert words in HAZARDS[hazard_id]["title"].lower(), (hazard_id, words)


@pytest.mark.parametrize("hazard_id", sorted(HAZARDS))
def test_clinical_safety_hazard_has_every_field_filled(hazard_id):
    hazard = HAZARDS[hazard_id]
    missing = [field for field in FIELDS if not hazard.get(field)]
    assert not missing, f"{hazard_id} lacks {', '.join(missing)}"
    assert hazard.get("Status", "").split()[0] in ("open", "closed"), hazard_id


@pytest.mark.parametrize("hazard_id", sorted(HAZARDS))
def test_clinical_safety_controls_are_verified_by_tests_that_exist(hazard_id):
    tests = TEST_ID.findall(HAZARDS[hazard_id]["Verified by"])
    assert tests, f"{hazard_id} names no verifying test"
    for path, name in tests:
        assert (ROOT / path).is_file(), f"{hazard_id}: {path} does not exist"
        assert name in defined_tests(ROOT / path), f"{hazard_id}: {path}::{name} does not exist"


def test_clinical_safety_parser_sees_a_missing_field_and_a_missing_test():
    text = (
        "## H-999 Example\n- **Hazard**: x\n- **Causes**: y\n"
        "- **Verified by**: `tests/unit/test_clinical_safety.py::test_no_such_test`\n"
    )
    hazard = parse_hazard_log(text)["H-999"]
    assert "Controls" not in hazard
    ((path, name),) = TEST_ID.findall(hazard["Verified by"])
    assert name not in defined_tests(ROOT / path)
