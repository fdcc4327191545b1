"""The repository stands alone: no code, test, doc or comment points at a file outside it.

Design and definitions live in docs/architecture.md and docs/adr/. The one thing outside the
repository that may be named is the published material a maintainer downloads beside the
checkout, `../shared/data` (codelists, IMD 2019, Synthea bundles, HL7's schema): by the tests,
the benchmarks and the docs that explain how to get it. Tests find it only through
tests/published.py, so that ONEROOF_PUBLISHED_DATA moves it for all of them; production code
never reads it.
"""

import os
import re
import subprocess
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SKIPPED_DIRS = {
    ".git",
    ".venv",
    "node_modules",
    "var",
    "staticfiles",
    "test-results",
    "__pycache__",
    ".hypothesis",
    ".ruff_cache",
    ".pytest_cache",
    ".mypy_cache",
    "htmlcov",
}
SKIPPED_FILES = {"uv.lock", "package-lock.json", ".git"}  # .git: a worktree's pointer file
THIS_FILE = Path(__file__).resolve().relative_to(ROOT).as_posix()
# A released rule set is never edited (its fingerprint is recorded with every cohort it made),
# so 2026.1 keeps the source it was released with (ADR 17).
RELEASED = {"oneroof/analytics/rulesets/complex-needs-2026.1.json"}
# Places that may name the published material, as `../shared/data` and nothing else; and the
# places that may build its path (tests through tests/published.py only).
MAY_NAME_PUBLISHED = ("tests/", "benchmarks/", "docs/", "README.md")
MAY_FIND_PUBLISHED = ("tests/published.py", "benchmarks/")

OUTSIDE = [
    (re.compile(r"\b(DESIGN|STYLE)\.md\b"), "the project's design notes"),
    (re.compile(r"\bseeds?/|\bseed (document|text|file|\d{3})\b", re.I), "the policy texts"),
    (re.compile(r"design document|policy texts?\b", re.I), "the design notes or policy texts"),
    (re.compile(r"/work/|/tmp/x-"), "an absolute path"),
    (re.compile(r"shared folder", re.I), "the shared folder"),
]
PUBLISHED = re.compile(r"""(\.\./)?\bshared/|["']shared["']\s*/""")
NAMED = re.compile(r"\.\./shared/data\b")
FOUND = re.compile(r"""["']shared["']\s*/\s*["']data["']""")


def references_outside(path: str, text: str) -> list[str]:
    """Each line of `text` (the file at `path`, relative to the root) that points outside the
    repository, as "path:line: what it names"."""
    found = []
    may_name, may_find = path.startswith(MAY_NAME_PUBLISHED), path.startswith(MAY_FIND_PUBLISHED)
    for number, line in enumerate(text.splitlines(), start=1):
        for pattern, what in OUTSIDE:
            if pattern.search(line):
                found.append(f"{path}:{number}: {what}")
        for match in PUBLISHED.finditer(line):
            named, found_here = NAMED.match(line, match.start()), FOUND.match(line, match.start())
            if not ((may_name and named) or (may_find and found_here)):
                found.append(f"{path}:{number}: a folder outside the repository")
    return found


def checkout_paths() -> list[str]:
    """Every file of the checkout, from the root: what git tracks or would track (so nothing
    .gitignore names: caches, coverage, the virtual environment), or, outside a git checkout,
    every file below the folders that are never the project's own."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
            cwd=ROOT,
            capture_output=True,
            check=True,
        ).stdout.decode()
        return sorted({path for path in listed.split("\0") if path})
    except (OSError, subprocess.CalledProcessError):
        pass
    paths = []
    for folder, dirs, files in os.walk(ROOT):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS)
        paths += [Path(folder, name).relative_to(ROOT).as_posix() for name in files]
    return sorted(paths)


@cache
def repository_files() -> tuple[tuple[str, str], ...]:
    """(path from the root, text) of every text file of the checkout, but this one."""
    found = []
    for relative in checkout_paths():
        path = ROOT / relative
        if relative in {THIS_FILE, *RELEASED} or path.name in SKIPPED_FILES:
            continue
        if not path.is_file():
            continue  # deleted in the working tree, not yet committed
        try:
            found.append((relative, path.read_text(encoding="utf-8")))
        except UnicodeDecodeError:
            continue  # images
    return tuple(found)


def test_nothing_in_the_repository_points_outside_it():
    found = [line for path, text in repository_files() for line in references_outside(path, text)]
    assert not found, "\n".join(found)


def test_the_scan_reads_code_tests_and_docs():
    paths = {path for path, _ in repository_files()}
    assert {"README.md", "GLOSSARY.md", "docs/architecture.md", "pyproject.toml"} <= paths
    assert "oneroof/access/rights.py" in paths and "tests/api/fhir_support.py" in paths


DESIGN, POLICY, MACHINE = "the project's design notes", "the policy texts", "an absolute path"
FOLDER = "a folder outside the repository"


@pytest.mark.parametrize(
    ("path", "line", "named"),
    [
        ("oneroof/access/rights.py", "At time t (DESIGN.md, seed 003):", [DESIGN, POLICY]),
        ("GLOSSARY.md", "Taken from the policy (`seeds/`).", [POLICY]),
        ("oneroof/fhir/outcomes.py", "Each error names the field at fault (STYLE.md).", [DESIGN]),
        ("docs/fhir.md", "Run it over /work/shared/data/synthea-r4.", [MACHINE, FOLDER]),
        ("README.md", "described in the project's shared folder.", ["the shared folder"]),
        ("oneroof/demo/codes.py", "# no published codelist in shared/data says so", [FOLDER]),
        ("oneroof/demo/codes.py", "# read from ../shared/data/codelists", [FOLDER]),
        ("oneroof/fhir/importer/files.py", 'DATA = ROOT.parent / "shared" / "data"', [FOLDER]),
        ("tests/unit/test_x.py", 'SCHEMA = ROOT / "shared" / "schema"', [FOLDER]),
        ("tests/unit/test_x.py", "# see ../shared/clinical-code-sets", [FOLDER]),
        ("tests/unit/test_x.py", 'SHARED = ROOT.parents[3] / "shared" / "data"', [FOLDER]),
    ],
)
def test_a_reference_outside_the_repository_is_found(path, line, named):
    assert references_outside(path, f"first line\n{line}\n") == [
        f"{path}:2: {what}" for what in named
    ]


@pytest.mark.parametrize(
    ("path", "line"),
    [
        ("tests/db/test_demo_codes.py", 'pytest.skip("../shared/data/codelists is absent")'),
        ("tests/published.py", 'PUBLISHED = Path(ROOT.parent / "shared" / "data")'),
        ("docs/fhir.md", "uv run python manage.py import_fhir ../shared/data/synthea-r4"),
        ("benchmarks/bench_fhir.py", 'SYNTHEA = ROOT.parent / "shared" / "data" / "synthea-r4"'),
        ("oneroof/demo/generator.py", "the same seed on the same day gives the same data"),
        ("oneroof/care/models.py", '"""The person\'s one shared care plan."""'),
        ("oneroof/codelists/data/severe-mental-illness.csv", "191670008,Shared paranoid disorder"),
    ],
)
def test_what_may_be_named_is_not_reported(path, line):
    assert references_outside(path, line) == []
