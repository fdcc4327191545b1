"""Codelists defined by the SNOMED CT hierarchy, and their expansion against the loaded release.

A definition is a small TOML file, `<slug>.toml`, whose slug is the codelist it defines:

    name = "Diabetes mellitus"
    source = "Our diabetes register: every kind of diabetes mellitus except gestational"
    version = "2026.1"
    include = ["<< 73211009 |Diabetes mellitus|"]
    exclude = ["<< 11687002 |Gestational diabetes mellitus|", "190416008"]

Each entry is a concept id, written as in the SNOMED CT Expression Constraint Language:
`<< id` the concept and all its descendants, `< id` its descendants only, a bare `id` the
concept alone; a `|term|` after it is for the reader and is not checked. The codelist is every
active concept that an include names, less every concept that an exclude names. A definition
naming a concept that the loaded release does not have, or has inactive, is refused.
"""

import csv
import io
import os
import re
import tempfile
import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from oneroof.codelists.models import SnomedRelease

from . import hierarchy

_ENTRY = re.compile(r"^\s*(<<|<)?\s*([0-9]{6,18})\s*(\|[^|]*\|)?\s*$")
_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_KEYS = {"name", "source", "version", "include", "exclude"}
OPERATORS = {None: "self", "<<": "self and descendants", "<": "descendants"}


class DefinitionError(ValueError):
    """A definition that cannot be read or expanded, naming the file and the fault."""


@dataclass(frozen=True)
class Entry:
    operator: str | None  # None (the concept alone), "<<" or "<"
    concept_id: int
    text: str  # as written, for messages and provenance


@dataclass(frozen=True)
class Definition:
    path: Path
    slug: str
    name: str
    source: str
    version: str
    include: tuple[Entry, ...]
    exclude: tuple[Entry, ...]


@dataclass(frozen=True)
class Expansion:
    definition: Definition
    release: str
    entries: tuple[tuple[str, str], ...]  # (code, term), by code


def read_definition(path: Path) -> Definition:
    name = path.name
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise DefinitionError(f"{name}: not a TOML file ({error})") from error
    if not _SLUG.match(path.stem):
        raise DefinitionError(f"{name}: the file name must be a slug such as ltc-diabetes.toml")
    unknown = sorted(set(data) - _KEYS)
    if unknown:
        raise DefinitionError(f"{name}: unknown key {', '.join(unknown)}")
    for key in ("name", "source", "version"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            raise DefinitionError(f"{name}: {key} must be given, as text")
    include = _entries(name, data, "include")
    if not include:
        raise DefinitionError(f"{name}: include must name at least one concept")
    return Definition(
        path=path,
        slug=path.stem,
        name=data["name"].strip(),
        source=data["source"].strip(),
        version=data["version"].strip(),
        include=include,
        exclude=_entries(name, data, "exclude"),
    )


def _entries(name: str, data: dict, key: str) -> tuple[Entry, ...]:
    values = data.get(key, [])
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise DefinitionError(f'{name}: {key} must be a list of concepts such as "<< 73211009"')
    entries = []
    for value in values:
        match = _ENTRY.match(value)
        if not match:
            raise DefinitionError(
                f"{name}: {key} entry {value!r} is not a concept id, '<< id' or '< id'"
            )
        entries.append(Entry(match.group(1), int(match.group(2)), value.strip()))
    return tuple(entries)


def read_definitions(directory: Path) -> list[Definition]:
    """Every definition (`*.toml`) in a folder, by slug."""
    paths = sorted(Path(directory).glob("*.toml"))
    if not paths:
        raise DefinitionError(f"{directory} holds no codelist definitions (*.toml)")
    return [read_definition(path) for path in paths]


def expand(definition: Definition, release: SnomedRelease) -> Expansion:
    """The codes of a definition in the loaded release, with their terms."""
    named = hierarchy.concepts(e.concept_id for e in definition.include + definition.exclude)
    for entry in definition.include + definition.exclude:
        _check_named(definition, entry, named, release)
    codes = _codes(definition.include) - _codes(definition.exclude)
    terms = {code: term for code, (active, term) in hierarchy.concepts(codes).items() if active}
    if not terms:
        raise DefinitionError(
            f"{definition.path.name}: expands to no active concept in SNOMED CT {release.version}"
        )
    entries = tuple((str(code), terms[code]) for code in sorted(terms))
    return Expansion(definition, release.version, entries)


def _check_named(definition, entry, named, release) -> None:
    if entry.concept_id not in named:
        raise DefinitionError(
            f"{definition.path.name}: concept {entry.concept_id} ({entry.text}) is not in "
            f"the loaded SNOMED CT release {release.version}"
        )
    if not named[entry.concept_id][0]:
        raise DefinitionError(
            f"{definition.path.name}: concept {entry.concept_id} ({entry.text}) is "
            f"inactive in SNOMED CT {release.version}: name its replacement instead"
        )


def _codes(entries: tuple[Entry, ...]) -> set[int]:
    """Every concept that these entries name (retired ones included: they are dropped after)."""
    alone = {e.concept_id for e in entries if e.operator is None}
    below = {e.concept_id for e in entries if e.operator == "<<"}
    below |= hierarchy.children(e.concept_id for e in entries if e.operator == "<")
    return alone | hierarchy.descendants_or_self(below)


def render(expansion: Expansion, *, today: date) -> str:
    """The expanded codelist as a CSV with its provenance header, the format of the bundled
    lists (`# name`, `# source`, `# version`), stamped with the release it was expanded
    against."""
    definition = expansion.definition
    rules = "; ".join(
        [f"include {e.text}" for e in definition.include]
        + [f"exclude {e.text}" for e in definition.exclude]
    )
    out = io.StringIO()
    out.write(f"# name: {definition.name}\n")
    out.write(
        f"# source: {definition.source} (definition {definition.path.name}: {rules}; "
        f"expanded against SNOMED CT {expansion.release} on {today.isoformat()})\n"
    )
    out.write(f"# version: {definition.version}+{expansion.release}\n")
    out.write(f"# release: {expansion.release}\n")
    out.write(f"# count: {len(expansion.entries)}\n")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["code", "term"])
    writer.writerows(expansion.entries)
    return out.getvalue()


def write_expansions(expansions: list[Expansion], directory: Path, *, today: date) -> list[Path]:
    """Write each expanded list as `<slug>.csv` in `directory`, each file replaced whole (a
    reader sees the old list or the new one, never half of one)."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for expansion in expansions:
        target = directory / f"{expansion.definition.slug}.csv"
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=directory, suffix=".tmp", delete=False
        ) as handle:
            handle.write(render(expansion, today=today))
        os.replace(handle.name, target)
        written.append(target)
    return written
