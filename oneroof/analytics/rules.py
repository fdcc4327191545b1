"""The rule set for case-finding, as versioned data.

A rule set is a JSON document in `rulesets/` named `complex-needs-<version>.json`: the 36 eFI
deficits and their codelists, the category cut-offs, the long-term conditions and which are
mental health conditions, the thresholds of the complex-needs cohort (DESIGN.md) and its
priority order. Changing any of it means a new file with a new version; every stored cohort
records the version and the fingerprint (a hash of the document) of the rule set that made it.

This module holds what is asked, validated and frozen; the engines (casefinding.py for Ibis,
reference.py in plain Python) decide how to run it.
"""

import hashlib
import json
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

RULESETS_DIR = Path(__file__).parent / "rulesets"
CURRENT_VERSION = "2026.1"
EFI_DEFICIT_COUNT = 36
CONDITION_KINDS = ("physical", "mental", "other")
FLAGS = (
    "severe_mental_illness",
    "dementia",
    "learning_disability",
    "palliative",
    "carer",
    "smoker",
    "obese",
)
# Columns of the case-finding result that the priority order may sort by.
PRIORITY_COLUMNS = ("imd_decile", "efi_deficits", "ltc_count", "age", "person_id")


class RuleSetError(ValueError):
    """A rule set document that does not say what OneRoof can run."""


@dataclass(frozen=True)
class Deficit:
    key: str
    name: str
    codelist: str | None  # None for polypharmacy, counted from current medicines


@dataclass(frozen=True)
class Category:
    name: str
    max_score: Fraction | None  # None for the last, open-ended category


@dataclass(frozen=True)
class Condition:
    key: str
    name: str
    kind: str  # physical, mental (a mental health condition) or other
    codelist: str


@dataclass(frozen=True)
class SocialNeed:
    key: str
    name: str
    codelist: str


@dataclass(frozen=True)
class HighUse:
    window_days: int
    emergency_admission_codelist: str
    emergency_admissions: int
    gp_contacts: int
    gp_professions: tuple[str, ...]


@dataclass(frozen=True)
class ComplexNeeds:
    frailty_categories: tuple[str, ...]
    physical_ltcs_with_mental_health: int
    ltcs: int
    housebound: bool
    high_use: bool


@dataclass(frozen=True)
class RuleSet:
    name: str
    version: str
    source: str
    fingerprint: str
    deficits: tuple[Deficit, ...]
    count_resolved_deficits: bool  # the eFI counts a deficit ever recorded
    categories: tuple[Category, ...]
    polypharmacy_medicines: int
    conditions: tuple[Condition, ...]
    flags: tuple[tuple[str, str], ...]  # (flag, codelist)
    housebound_codelists: tuple[str, ...]
    social_needs: tuple[SocialNeed, ...]
    high_use: HighUse
    complex_needs: ComplexNeeds
    priority: tuple[tuple[str, bool], ...]  # (column, descending)

    @property
    def coded_deficits(self) -> tuple[Deficit, ...]:
        return tuple(d for d in self.deficits if d.codelist)

    def category_max_deficits(self) -> tuple[tuple[str, int | None], ...]:
        """Each category with the most deficits it allows: score = deficits / 36, compared
        exactly (fit <= 0.12 is at most 4 deficits), so every engine cuts at the same count."""
        return tuple(
            (
                c.name,
                None if c.max_score is None else int(c.max_score * EFI_DEFICIT_COUNT),
            )
            for c in self.categories
        )

    def codelist_slugs(self) -> set[str]:
        return (
            {d.codelist for d in self.coded_deficits}
            | {c.codelist for c in self.conditions}
            | {slug for _, slug in self.flags}
            | set(self.housebound_codelists)
            | {s.codelist for s in self.social_needs}
            | {self.high_use.emergency_admission_codelist}
        )

    def check_codelists(self, codelists) -> None:
        missing = sorted(self.codelist_slugs() - set(codelists))
        if missing:
            raise RuleSetError(f"rule set {self.version} needs codelists: {', '.join(missing)}")


def load_ruleset(version: str = CURRENT_VERSION, directory: Path = RULESETS_DIR) -> RuleSet:
    path = Path(directory) / f"complex-needs-{version}.json"
    if not path.is_file():
        raise RuleSetError(f"no rule set version {version}")
    return parse_ruleset(json.loads(path.read_text(encoding="utf-8")))


def parse_ruleset(doc: dict) -> RuleSet:
    """Validate a rule set document and freeze it."""
    canonical = json.dumps(doc, sort_keys=True, separators=(",", ":"))
    efi = doc["efi"]
    deficits = tuple(Deficit(d["key"], d["name"], d.get("codelist")) for d in efi["deficits"])
    if len(deficits) != EFI_DEFICIT_COUNT or len({d.key for d in deficits}) != len(deficits):
        raise RuleSetError(f"the eFI has {EFI_DEFICIT_COUNT} different deficits")
    if [d.key for d in deficits if d.codelist is None] != ["polypharmacy"]:
        raise RuleSetError("every deficit but polypharmacy needs a codelist")
    categories = tuple(
        Category(c["name"], None if c["max_score"] is None else Fraction(c["max_score"]))
        for c in efi["categories"]
    )
    bounds = [c.max_score for c in categories]
    if bounds[-1] is not None or None in bounds[:-1] or bounds[:-1] != sorted(bounds[:-1]):
        raise RuleSetError("eFI categories must rise, the last one open-ended")
    conditions = tuple(
        Condition(c["key"], c["name"], c["kind"], c["codelist"])
        for c in doc["long_term_conditions"]
    )
    if any(c.kind not in CONDITION_KINDS for c in conditions):
        raise RuleSetError(f"condition kinds are {', '.join(CONDITION_KINDS)}")
    if set(doc["flags"]) != set(FLAGS):
        raise RuleSetError(f"flags are {', '.join(FLAGS)}")
    high_use = doc["high_use"]
    complex_needs = doc["complex_needs"]
    names = {c.name for c in categories}
    if not set(complex_needs["frailty_categories"]) <= names:
        raise RuleSetError("complex needs names an eFI category that does not exist")
    priority = tuple((column, order == "desc") for column, order in doc["priority"])
    if any(column not in PRIORITY_COLUMNS for column, _ in priority):
        raise RuleSetError(f"priority may sort by {', '.join(PRIORITY_COLUMNS)}")
    if priority[-1][0] != "person_id":
        raise RuleSetError("priority must end with person_id, so that the order is total")
    return RuleSet(
        name=doc["name"],
        version=doc["version"],
        source=doc["source"],
        fingerprint=hashlib.sha256(canonical.encode()).hexdigest()[:16],
        deficits=deficits,
        count_resolved_deficits=bool(efi["count_resolved_codes"]),
        categories=categories,
        polypharmacy_medicines=int(doc["polypharmacy_medicines"]),
        conditions=conditions,
        flags=tuple((flag, doc["flags"][flag]) for flag in FLAGS),
        housebound_codelists=tuple(doc["housebound_codelists"]),
        social_needs=tuple(
            SocialNeed(s["key"], s["name"], s["codelist"]) for s in doc["social_needs"]
        ),
        high_use=HighUse(
            int(high_use["window_days"]),
            high_use["emergency_admission_codelist"],
            int(high_use["emergency_admissions"]),
            int(high_use["gp_contacts"]),
            tuple(high_use["gp_professions"]),
        ),
        complex_needs=ComplexNeeds(
            tuple(complex_needs["frailty_categories"]),
            int(complex_needs["physical_ltcs_with_mental_health"]),
            int(complex_needs["ltcs"]),
            bool(complex_needs["housebound"]),
            bool(complex_needs["high_use"]),
        ),
        priority=priority,
    )
