"""Finding Bundles on disk: files or folders, `.json` and `.json.gz` (bulk exports are often
compressed)."""

import gzip
import json
from collections.abc import Iterator
from pathlib import Path

SUFFIXES = (".json", ".json.gz")


def bundle_paths(paths: list[Path]) -> list[Path]:
    """Every bundle file named, or inside a folder named, in a stable order."""
    found = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.is_file() and p.name.endswith(SUFFIXES))
        else:
            found.append(path)
    return found


def read_json(path: Path):
    """The parsed file. Raises ValueError (with the reason) for a file that is not JSON."""
    opener = gzip.open if path.name.endswith(".gz") else open
    try:
        with opener(path, "rt", encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, EOFError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(f"{path.name} is not readable JSON: {error}") from None


def read_bundles(paths: list[Path]) -> Iterator[tuple[str, object, str | None]]:
    """(name, parsed content or None, error or None) for each file."""
    for path in bundle_paths(paths):
        try:
            yield str(path), read_json(path), None
        except ValueError as error:
            yield str(path), None, str(error)
