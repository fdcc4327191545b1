"""Building OneRoof's codelist files from their declared sources.

`sources.toml` declares, for every list, the published lists it is built from (NHS Digital's
primary care domain reference sets, GM-SDE code sets) or, only where none is published, its
hand-composed codes. `build_codelists` reads the published lists from a folder a maintainer has
downloaded, takes every code of each declared source, and renders one CSV per list with its
provenance and count in the header. Nothing here runs when OneRoof runs: the CSVs are committed.
"""

import csv
import io
import json
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

SOURCES_FILE = Path(__file__).parent / "sources.toml"
NHSD = "nhsd-primary-care-domain-refsets"
GM_SDE = "gm-sde"
COLLECTIONS = {
    NHSD: "NHS Digital primary care domain reference set",
    GM_SDE: "GM-SDE clinical code set",
}


class BuildError(ValueError):
    """A definition or a published list that cannot be built from, naming what is at fault."""


@dataclass(frozen=True)
class Source:
    collection: str
    name: str  # the NHSD cluster (e.g. "dm_cod") or the GM-SDE set (e.g. "conditions/efi-ckd")
    version: str

    @property
    def label(self) -> str:
        if self.collection == NHSD:
            return f"{COLLECTIONS[NHSD]} {self.name.upper()} ({NHSD}/{self.name}/{self.version})"
        return f"{COLLECTIONS[GM_SDE]} {self.name.split('/')[-1]} ({self.name}/{self.version})"

    def path(self, published: Path) -> Path:
        if self.collection == NHSD:
            return published / "nhsd-qof-refsets" / f"{NHSD}-{self.name}.csv"
        leaf = self.name.split("/")[-1]
        return published / "gm-sde" / self.name / self.version / f"{leaf}.snomed.txt"


@dataclass(frozen=True)
class Definition:
    slug: str
    name: str
    sources: tuple[Source, ...]
    includes: tuple[str, ...]
    codes: tuple[tuple[str, str], ...]  # hand-composed, only where no source is published
    note: str


@dataclass(frozen=True)
class BuiltList:
    slug: str
    name: str
    sources: tuple[Source, ...]  # every published source, those of included lists too
    source: str  # the header's provenance line
    entries: tuple[tuple[str, str], ...]  # sorted by code

    def render(self, version: str) -> str:
        out = io.StringIO()
        out.write(f"# name: {self.name}\n# source: {self.source}\n")
        out.write(f"# version: {version}\n# count: {len(self.entries)}\n")
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["code", "term"])
        writer.writerows(self.entries)
        return out.getvalue()


def _source(slug: str, raw: dict) -> Source:
    collection = raw.get("collection")
    key = {NHSD: "cluster", GM_SDE: "set"}.get(collection)
    if key is None:
        raise BuildError(f"{slug}: unknown collection {collection!r}")
    if not raw.get(key) or not raw.get("version"):
        raise BuildError(f"{slug}: a {collection} source needs {key} and version")
    return Source(collection, str(raw[key]), str(raw["version"]))


def _definition(slug: str, raw: dict) -> Definition:
    sources = tuple(_source(slug, item) for item in raw.get("sources", ()))
    codes = tuple((str(code), str(term)) for code, term in raw.get("codes", ()))
    note = " ".join(str(raw.get("note", "")).split())
    if not raw.get("name"):
        raise BuildError(f"{slug}: the definition has no name")
    if sources and codes:
        raise BuildError(f"{slug}: hand-composed codes are only for lists with no published source")
    if not sources and not codes:
        raise BuildError(f"{slug}: the definition names no source and no codes")
    if codes and not note:
        raise BuildError(f"{slug}: a hand-composed list must say in its note how it was built")
    bad = [code for code, _ in codes if not code.isdigit()]
    if bad:
        raise BuildError(f"{slug}: not SNOMED CT concept ids: {', '.join(bad)}")
    return Definition(slug, str(raw["name"]), sources, tuple(raw.get("includes", ())), codes, note)


def load_definitions(path: Path = SOURCES_FILE) -> tuple[str, dict[str, Definition]]:
    """The lists' version and every list's definition, by slug, checked for consistency."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise BuildError(f"{path.name}: {error}") from error
    definitions = {slug: _definition(slug, item) for slug, item in raw.get("lists", {}).items()}
    for definition in definitions.values():
        unknown = [slug for slug in definition.includes if slug not in definitions]
        if unknown:
            raise BuildError(f"{definition.slug}: includes unknown lists: {', '.join(unknown)}")
        nested = [slug for slug in definition.includes if definitions[slug].includes]
        if nested:
            raise BuildError(
                f"{definition.slug}: includes lists that include others: {', '.join(nested)}"
            )
    if not raw.get("version"):
        raise BuildError(f"{path.name}: no version")
    return str(raw["version"]), definitions


def _nhsd_rows(path: Path) -> Iterable[tuple[int, list[str]]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = enumerate(csv.reader(handle), start=1)
        first = next(rows, (1, []))[1]
        if [cell.strip().lower() for cell in first[:2]] != ["code", "term"]:
            raise BuildError(f"{path.name}: the first row must be 'code,term'")
        yield from rows


def _gm_sde_rows(path: Path) -> Iterable[tuple[int, list[str]]]:
    with path.open(encoding="utf-8-sig") as handle:
        for number, line in enumerate(handle, start=1):
            cells = line.rstrip("\r\n").split("\t")
            if number == 1 and not cells[0].strip().isdigit():
                continue  # a few published files begin with a column-name row
            yield number, cells


def read_source(source: Source, published: Path) -> dict[str, str]:
    """Every code of one published list with its term (the first term given for a code)."""
    path = source.path(published)
    if not path.is_file():
        raise BuildError(f"{source.label}: the published file is missing: {path}")
    reader = _nhsd_rows if source.collection == NHSD else _gm_sde_rows
    entries: dict[str, str] = {}
    for number, cells in reader(path):
        if not any(cell.strip() for cell in cells):
            continue
        code = cells[0].strip()
        if len(cells) < 2 or not code.isdigit():
            raise BuildError(f"{path.name}: line {number} is not a SNOMED CT code and a term")
        entries.setdefault(code, cells[1].strip())
    if not entries:
        raise BuildError(f"{path.name}: the published list is empty")
    return entries


def check_version(source: Source, published: Path) -> None:
    """Refuse a source whose published version is recorded and differs from the declared one."""
    if source.collection != NHSD:
        return
    manifest = published / "nhsd-qof-refsets" / "codelists.json"
    if not manifest.is_file():
        return
    recorded = json.loads(manifest.read_text(encoding="utf-8")).get("files", {})
    entry = recorded.get(source.path(published).name)
    if entry and entry["id"].rsplit("/", 1)[-1] != source.version:
        raise BuildError(
            f"{source.label}: the published file is version {entry['id'].rsplit('/', 1)[-1]}"
        )


def build_list(
    definition: Definition, definitions: dict[str, Definition], read: Callable
) -> BuiltList:
    """One list: every code of its sources, then of its included lists' sources, then its own."""
    parts = [definition] + [definitions[slug] for slug in definition.includes]
    sources = tuple(dict.fromkeys(source for part in parts for source in part.sources))
    entries: dict[str, str] = {}
    for source in sources:
        for code, term in read(source).items():
            entries.setdefault(code, term)
    for part in parts:
        for code, term in part.codes:
            entries.setdefault(code, term)
    ordered = tuple(sorted(entries.items(), key=lambda item: int(item[0])))
    labels = [source.label for source in sources]
    labels += [
        f"OneRoof's hand-composed list {part.slug}: no published list exists "
        "(how it was built: oneroof/codelists/sources.toml)"
        for part in parts
        if part.codes
    ]
    return BuiltList(definition.slug, definition.name, sources, "; ".join(labels), ordered)


def build_all(
    published: Path,
    definitions: dict[str, Definition],
    on_list: Callable[[str], None] = lambda slug: None,
) -> dict[str, BuiltList]:
    """Every defined list, built in memory; raises BuildError before anything is written."""
    cache: dict[Source, dict[str, str]] = {}

    def read(source: Source) -> dict[str, str]:
        if source not in cache:
            check_version(source, published)
            cache[source] = read_source(source, published)
        return cache[source]

    built = {}
    for slug, definition in sorted(definitions.items()):
        built[slug] = build_list(definition, definitions, read)
        on_list(slug)
    return built


def write_all(built: dict[str, BuiltList], version: str, directory: Path) -> list[Path]:
    """Write one CSV per list; refuse, writing nothing, if the folder holds an undefined list."""
    undefined = sorted(path.name for path in directory.glob("*.csv") if path.stem not in built)
    if undefined:
        raise BuildError(
            f"{directory}: no definition for {', '.join(undefined)}; "
            "define them in sources.toml or delete them"
        )
    paths = []
    for slug, codelist in built.items():
        path = directory / f"{slug}.csv"
        path.write_text(codelist.render(version), encoding="utf-8")
        paths.append(path)
    return paths
