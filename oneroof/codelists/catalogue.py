"""Which codelists are in force: the bundled lists, and a deployment's own lists over them.

A deployment may keep lists of its own in the folder named by the ONEROOF_CODELISTS_DIR
setting: lists expanded from its SNOMED CT definitions (`manage.py codelists expand`) or CSVs
in the bundled format. A list there replaces the bundled list of the same slug; the others stay
as bundled. Case-finding and the measures read the lists in force through
`codelists_in_force()`, so an expanded list reaches them with no other step.
"""

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from oneroof.analytics.codelists import Codelist, read_codelist

from .loader import DATA_DIR, CodelistError


@dataclass(frozen=True)
class Listed:
    slug: str
    path: Path
    origin: str  # "bundled", "local" or "local, replaces bundled"


def local_directory() -> Path | None:
    directory = getattr(settings, "ONEROOF_CODELISTS_DIR", None)
    return Path(directory) if directory else None


def catalogue(local: Path | None = None, bundled: Path = DATA_DIR) -> dict[str, Listed]:
    """Every list in force, by slug: the bundled ones, replaced or added to by local ones."""
    local = local if local is not None else local_directory()
    listed = {path.stem: Listed(path.stem, path, "bundled") for path in bundled.glob("*.csv")}
    if local is not None:
        if not local.is_dir():
            # Loudly: running on the bundled lists when a deployment meant its own would
            # change who is found without anyone knowing.
            raise CodelistError(
                f"ONEROOF_CODELISTS_DIR is {local}, which is not a folder. Create it, or run "
                "`manage.py codelists expand`, or unset ONEROOF_CODELISTS_DIR."
            )
        for path in local.glob("*.csv"):
            origin = "local, replaces bundled" if path.stem in listed else "local"
            listed[path.stem] = Listed(path.stem, path, origin)
    return dict(sorted(listed.items()))


def codelists_in_force(local: Path | None = None) -> dict[str, Codelist]:
    """The codelists as the analytics engines take them, by slug."""
    return {slug: read_codelist(item.path) for slug, item in catalogue(local).items()}


def provenance(path: Path) -> dict[str, str]:
    """The `# key: value` header lines of a codelist file (name, source, version, and any
    others, such as the release an expanded list was expanded against)."""
    headers: dict[str, str] = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if not line.startswith("#"):
                break
            key, _, value = line[1:].partition(":")
            headers[key.strip().lower()] = value.strip()
    return headers
