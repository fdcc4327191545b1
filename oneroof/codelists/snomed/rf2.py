"""Reading a SNOMED CT RF2 Snapshot release: finding its files and checking every row.

Only the three files that codelist definitions need are read, from the release's
`Snapshot/Terminology` folder (the layout of the UK Edition and of the International Edition):

    sct2_Concept_<...>Snapshot_<namespace>_<date>.txt
    sct2_Description_<...>Snapshot-en_<namespace>_<date>.txt
    sct2_Relationship_<...>Snapshot_<namespace>_<date>.txt

Each is UTF-8, tab-separated, with the RF2 header row. Rows are yielded one at a time (the
files are never held in memory); a row that is not well formed raises `RF2Error` naming the
file and the line.
"""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

IS_A = 116680003
FULLY_SPECIFIED_NAME = 900000000000003001
SYNONYM = 900000000000013009

CONCEPT_COLUMNS = ("id", "effectiveTime", "active", "moduleId", "definitionStatusId")
DESCRIPTION_COLUMNS = (
    "id",
    "effectiveTime",
    "active",
    "moduleId",
    "conceptId",
    "languageCode",
    "typeId",
    "term",
    "caseSignificanceId",
)
RELATIONSHIP_COLUMNS = (
    "id",
    "effectiveTime",
    "active",
    "moduleId",
    "sourceId",
    "destinationId",
    "relationshipGroup",
    "typeId",
    "characteristicTypeId",
    "modifierId",
)

# The partition identifier (the second and third digits from the right of an SCTID) says what
# the identifier names: 0 concept, 1 description, 2 relationship; a leading 1 marks an id
# allocated in an extension's namespace (the UK's, for example).
CONCEPT_ID = ("00", "10")
DESCRIPTION_ID = ("01", "11")
RELATIONSHIP_ID = ("02", "12")

_VERSION = re.compile(r"_([A-Za-z]+[0-9]*)_([0-9]{8})\.txt$")
Step = Callable[[str, int, int], None]  # (what, done, total)


class RF2Error(ValueError):
    """A release that cannot be loaded, naming the file (and line) at fault."""


@dataclass(frozen=True)
class ReleaseFiles:
    folder: Path
    concepts: Path
    descriptions: Path
    relationships: Path
    version: str  # e.g. GB1000000_20250101
    effective_date: date


_PATTERNS = {
    "concepts": ("sct2_Concept_*Snapshot_*.txt", CONCEPT_COLUMNS),
    "descriptions": ("sct2_Description_*Snapshot-en_*.txt", DESCRIPTION_COLUMNS),
    "relationships": ("sct2_Relationship_*Snapshot_*.txt", RELATIONSHIP_COLUMNS),
}


def find_release(folder: Path) -> ReleaseFiles:
    """The three Snapshot files of the release in `folder` (the release's top folder, its
    `Snapshot` folder or its `Snapshot/Terminology` folder), with their headers checked and
    the release version they agree on. Raises RF2Error before anything is read further."""
    folder = Path(folder)
    if not folder.is_dir():
        raise RF2Error(f"{folder} is not a folder")
    terminology = next(
        (
            candidate
            for candidate in (folder / "Snapshot" / "Terminology", folder / "Terminology", folder)
            if candidate.is_dir() and any(candidate.glob("sct2_*.txt"))
        ),
        folder / "Snapshot" / "Terminology",
    )
    found: dict[str, Path] = {}
    for key, (pattern, columns) in _PATTERNS.items():
        matches = sorted(terminology.glob(pattern))
        if not matches:
            raise RF2Error(f"{terminology} has no {pattern}: this is not an RF2 Snapshot release")
        if len(matches) > 1:
            names = ", ".join(path.name for path in matches)
            raise RF2Error(f"{terminology} has more than one {pattern}: {names}")
        _check_header(matches[0], columns)
        found[key] = matches[0]
    versions = {key: _version(path) for key, path in found.items()}
    if len(set(versions.values())) != 1:
        names = ", ".join(f"{found[key].name}" for key in versions)
        raise RF2Error(f"the release files are not of one release: {names}")
    namespace, day = versions["concepts"]
    return ReleaseFiles(
        folder=folder,
        version=f"{namespace}_{day}",
        effective_date=date(int(day[:4]), int(day[4:6]), int(day[6:])),
        **found,
    )


def _version(path: Path) -> tuple[str, str]:
    match = _VERSION.search(path.name)
    if not match or not _is_date(match.group(2)):
        raise RF2Error(f"{path.name}: the file name does not end in _<namespace>_<YYYYMMDD>.txt")
    return match.group(1), match.group(2)


def _check_header(path: Path, columns: tuple[str, ...]) -> None:
    with path.open("rb") as handle:
        try:
            first = handle.readline().decode("utf-8")
        except UnicodeDecodeError as error:
            raise RF2Error(f"{path.name} line 1: not UTF-8 text") from error
    if tuple(first.rstrip("\r\n").split("\t")) != columns:
        raise RF2Error(f"{path.name} line 1: the header is not the RF2 header {'/'.join(columns)}")


def _is_date(text: str) -> bool:
    try:
        date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return False
    return len(text) == 8 and text.isdigit()


# Each kind of SCTID by its partition: 6 to 18 digits, no leading zero.
_CONCEPT = r"[1-9][0-9]{2,14}[01]0[0-9]"
_DESCRIPTION = r"[1-9][0-9]{2,14}[01]1[0-9]"
_RELATIONSHIP = r"[1-9][0-9]{2,14}[01]2[0-9]"
_HEAD = r"\t(?P<date>[0-9]{8})\t([01])\t" + _CONCEPT


# A whole well-formed row in one match (the fast path); a row that does not match is then
# checked column by column to say what is wrong with it.
_CONCEPT_ROW = re.compile(f"({_CONCEPT}){_HEAD}\t{_CONCEPT}")
_DESCRIPTION_ROW = re.compile(
    f"{_DESCRIPTION}{_HEAD}\t({_CONCEPT})\t[^\t]+\t({_CONCEPT})\t([^\t]+)\t{_CONCEPT}"
)
_RELATIONSHIP_ROW = re.compile(
    f"{_RELATIONSHIP}{_HEAD}\t({_CONCEPT})\t({_CONCEPT})\t[0-9]+\t({_CONCEPT})"
    f"\t{_CONCEPT}\t{_CONCEPT}"
)
_PARTITION = {"concept": CONCEPT_ID, "description": DESCRIPTION_ID, "relationship": RELATIONSHIP_ID}
# What each column must be, to explain a row that is not well formed.
_KINDS = {
    "id": None,  # the file's own kind
    "effectiveTime": "date",
    "active": "flag",
    "relationshipGroup": "number",
    "languageCode": "text",
    "term": "text",
}


class _Rows:
    """The data rows of one file, each checked whole against the RF2 form of its kind, counted
    by line; the groups of the row pattern are yielded."""

    def __init__(self, path: Path, header: tuple[str, ...], kind: str, pattern, step, what):
        self.path, self.header, self.kind, self.pattern = path, header, kind, pattern
        self.date_at = pattern.groupindex["date"] - 1
        self.step, self.what = step, what
        self.line = 1
        self._dates: set[str] = set()  # effective times already checked (a few thousand)

    def __iter__(self) -> Iterator[tuple[str, ...]]:
        total = self.path.stat().st_size
        done = 0
        match = self.pattern.fullmatch
        dates = self._dates
        with self.path.open("rb") as handle:
            handle.readline()
            for raw in handle:
                self.line += 1
                done += len(raw)
                try:
                    text = raw.decode("utf-8").rstrip("\r\n")
                except UnicodeDecodeError:
                    self.fail("not UTF-8 text")
                found = match(text)
                if found is None:
                    self.diagnose(text.split("\t"))
                groups = found.groups()
                if groups[self.date_at] not in dates:
                    self.check_date(groups[self.date_at])
                if self.step and not self.line % 100_000:
                    self.step(self.what, done, total)
                yield groups
        if self.step:
            self.step(self.what, total, total)

    def fail(self, message: str):
        raise RF2Error(f"{self.path.name} line {self.line}: {message}")

    def check_date(self, text: str) -> None:
        if not _is_date(text):
            self.fail(f"effectiveTime {text!r} is not a date YYYYMMDD")
        self._dates.add(text)

    def diagnose(self, row: list[str]):
        """Say which column of a row that is not well formed is wrong."""
        if len(row) != len(self.header):
            self.fail(f"has {len(row)} columns, not {len(self.header)}")
        for column, value in zip(self.header, row, strict=True):
            kind = _KINDS.get(column, "concept") or self.kind
            if kind == "date":
                self.check_date(value)
            elif kind == "flag" and value not in ("0", "1"):
                self.fail(f"active is {value!r}, not 1 or 0")
            elif kind == "number" and not value.isdigit():
                self.fail(f"{column} {value!r} is not a number")
            elif kind == "text" and not value:
                self.fail(f"{column} is empty")
            elif kind in _PARTITION and not _is_sctid(value, _PARTITION[kind]):
                self.fail(f"{column} {value!r} is not a SNOMED CT identifier of the right kind")
        self.fail("is not a well-formed RF2 row")


def _is_sctid(text: str, partitions: tuple[str, ...]) -> bool:
    return 6 <= len(text) <= 18 and text.isdigit() and text[0] != "0" and text[-3:-1] in partitions


def concepts(path: Path, step: Step | None = None) -> Iterator[tuple[int, bool]]:
    """(concept id, active) for every row of a Concept Snapshot file."""
    rows = _Rows(path, CONCEPT_COLUMNS, "concept", _CONCEPT_ROW, step, "Concepts")
    for concept_id, _, active in rows:
        yield int(concept_id), active == "1"


def fully_specified_names(
    path: Path, known: Callable[[int], bool], step: Step | None = None
) -> Iterator[tuple[int, str]]:
    """(concept id, term without its semantic tag) for every active fully specified name in a
    Description Snapshot file; every row is checked, and each must describe a `known` concept."""
    rows = _Rows(path, DESCRIPTION_COLUMNS, "description", _DESCRIPTION_ROW, step, "Descriptions")
    fsn = str(FULLY_SPECIFIED_NAME)
    for _, active, concept, type_id, term in rows:
        concept_id = int(concept)
        if not known(concept_id):
            rows.fail(f"conceptId {concept_id} is not in the Concept file")
        if type_id == fsn and active == "1":
            yield concept_id, strip_semantic_tag(term)


def is_a_relationships(
    path: Path, known: Callable[[int], bool], step: Step | None = None
) -> Iterator[tuple[int, int]]:
    """(child, parent) for every active IS-A row of a Relationship Snapshot file; every row is
    checked, and each active IS-A must join two `known` concepts."""
    rows = _Rows(
        path, RELATIONSHIP_COLUMNS, "relationship", _RELATIONSHIP_ROW, step, "Relationships"
    )
    is_a = str(IS_A)
    for _, active, source, destination, type_id in rows:
        if type_id == is_a and active == "1":
            child, parent = int(source), int(destination)
            for concept_id in (child, parent):
                if not known(concept_id):
                    rows.fail(f"concept {concept_id} is not in the Concept file")
            yield child, parent


def strip_semantic_tag(fsn: str) -> str:
    """'Type 2 diabetes mellitus (disorder)' -> 'Type 2 diabetes mellitus'."""
    if fsn.endswith(")"):
        opening = fsn.rfind(" (")
        if opening > 0:
            return fsn[:opening]
    return fsn
