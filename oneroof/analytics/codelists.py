"""Codelists as the analytics engines see them: a slug and a frozen set of SNOMED CT codes.

The CSV files (with their `# name/# source/# version/# count` provenance headers) live in
oneroof/codelists/data; the caller passes their directory in. This reader is the Django-free
twin of oneroof.codelists.loader.read_codelist (a test checks the two agree on every file).
"""

import csv
import io
from dataclasses import dataclass
from pathlib import Path


class CodelistFormatError(ValueError):
    """A codelist file that cannot be read, naming the file and the fault."""


@dataclass(frozen=True)
class Codelist:
    slug: str
    name: str
    source: str
    version: str
    codes: frozenset[str]


def read_codelist(path: Path) -> Codelist:
    headers: dict[str, str] = {}
    body: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            key, _, value = line[1:].partition(":")
            headers[key.strip().lower()] = value.strip()
        elif line.strip():
            body.append(line)
    missing = [key for key in ("name", "source", "version") if not headers.get(key)]
    if missing:
        raise CodelistFormatError(f"{path.name}: header is missing {', '.join(missing)}")
    rows = list(csv.reader(io.StringIO("\n".join(body))))
    if not rows or [cell.strip().lower() for cell in rows[0]] != ["code", "term"]:
        raise CodelistFormatError(f"{path.name}: the first row must be 'code,term'")
    codes = [row[0].strip() for row in rows[1:]]
    if not all(code.isdigit() for code in codes):
        raise CodelistFormatError(f"{path.name}: every code must be a SNOMED CT concept id")
    count = headers.get("count")
    if count is not None and count != str(len(codes)):
        raise CodelistFormatError(
            f"{path.name}: the header says {count} codes but the file holds {len(codes)}"
        )
    return Codelist(
        path.stem, headers["name"], headers["source"], headers["version"], frozenset(codes)
    )


def read_codelists(directory: Path) -> dict[str, Codelist]:
    """Every codelist in `directory`, by slug."""
    return {path.stem: read_codelist(path) for path in sorted(Path(directory).glob("*.csv"))}
