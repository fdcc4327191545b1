"""Reading codelist CSVs and loading them into the database.

A codelist file is a CSV of `code,term` rows (SNOMED CT concept id and its term) preceded by
`# key: value` header lines that give its provenance and, when present, how many codes it holds
(`manage.py build_codelists` writes them all; see oneroof/codelists/build.py):

    # name: Severe mental illness
    # source: NHS Digital primary care domain reference set MH_COD (...)
    # version: 2026.2
    # count: 190
    code,term
    69322001,Psychotic disorder
"""

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from .models import Codelist, CodelistEntry

DATA_DIR = Path(__file__).parent / "data"
REQUIRED_HEADERS = ("name", "source", "version")


class CodelistError(ValueError):
    """A codelist file that cannot be loaded, with the file and line at fault."""


@dataclass(frozen=True)
class CodelistFile:
    slug: str
    name: str
    source: str
    version: str
    entries: tuple[tuple[str, str], ...]


def read_codelist(path: Path) -> CodelistFile:
    headers, body = {}, []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            key, _, value = line[1:].partition(":")
            headers[key.strip().lower()] = value.strip()
        elif line.strip():
            body.append(line)
    missing = [key for key in REQUIRED_HEADERS if not headers.get(key)]
    if missing:
        raise CodelistError(f"{path.name}: header is missing {', '.join(missing)}")
    rows = list(csv.reader(io.StringIO("\n".join(body))))
    if not rows or [cell.strip().lower() for cell in rows[0]] != ["code", "term"]:
        raise CodelistError(f"{path.name}: the first row must be 'code,term'")
    entries, seen = [], set()
    for number, row in enumerate(rows[1:], start=2):
        if len(row) != 2 or not row[0].strip().isdigit():
            raise CodelistError(f"{path.name}: row {number} is not a SNOMED CT code and a term")
        code = row[0].strip()
        if code in seen:
            raise CodelistError(f"{path.name}: code {code} appears twice")
        seen.add(code)
        entries.append((code, row[1].strip()))
    count = headers.get("count")
    if count is not None and count != str(len(entries)):
        raise CodelistError(
            f"{path.name}: the header says {count} codes but the file holds {len(entries)}"
        )
    return CodelistFile(
        path.stem, headers["name"], headers["source"], headers["version"], tuple(entries)
    )


def codelist_files(directory: Path = DATA_DIR) -> list[Path]:
    return sorted(directory.glob("*.csv"))


@transaction.atomic
def load_codelist(codelist_file: CodelistFile) -> Codelist:
    """Create or replace one codelist; nothing changes if any part fails."""
    codelist, _ = Codelist.objects.update_or_create(
        slug=codelist_file.slug,
        defaults={
            "name": codelist_file.name,
            "source": codelist_file.source,
            "version": codelist_file.version,
        },
    )
    codelist.entries.all().delete()
    CodelistEntry.objects.bulk_create(
        CodelistEntry(codelist=codelist, code=code, term=term)
        for code, term in codelist_file.entries
    )
    return codelist
