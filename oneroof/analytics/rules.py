"""The rule set for case-finding, as versioned data.

A rule set is a JSON document in `rulesets/` named `complex-needs-<version>.json`: the 36 eFI
deficits and their codelists, the category cut-offs, the long-term conditions and which are
mental health conditions (with the resolved-code lists that end them), the thresholds of the
complex-needs cohort, its need bands and its priority order. Changing any of it means a new
file with a new version, whose `change` block says what changed, why, and who approved it;
every stored cohort records the version and the fingerprint (a hash of the document) of the
rule set that made it. A released version is never edited, so it keeps giving the output it
gave: what a later version adds (resolved codes, the eFI's age limit, need bands, medicines
counted by name) is absent from an earlier document and so switched off when it runs.

This module holds what is asked, validated and frozen; the engines (casefinding.py for Ibis,
reference.py in plain Python) decide how to run it.
"""

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

RULESETS_DIR = Path(__file__).parent / "rulesets"
CURRENT_VERSION = "2026.2"
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
PRIORITY_COLUMNS = ("need_band", "imd_decile", "efi_deficits", "ltc_count", "age", "person_id")
# Where a missing value goes in the priority order: last unless the rule set says first (an
# unknown deprivation decile counts as most deprived from 2026.2).
NULLS = ("last", "first")
# Columns of the case-finding result that a need band may test, with the tests each allows.
BAND_TESTS = {
    "efi_category": "in",
    "palliative": "is",
    "housebound": "is",
    "dementia": "is",
    "severe_mental_illness": "is",
    "learning_disability": "is",
    "mental_health": "is",
    "lives_alone": "is",
    "high_use": "is",
    "meets_frailty": "is",
    "meets_ltcs_with_mental_health": "is",
    "meets_ltcs": "is",
    "meets_housebound": "is",
    "meets_high_use": "is",
    "emergency_admissions": "at_least",
    "gp_contacts": "at_least",
    "ltc_count": "at_least",
    "physical_ltc_count": "at_least",
    "efi_deficits": "at_least",
    "social_needs": "at_least",
    "age": "at_least",
}


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
    # QOF's resolved / "no longer indicated" cluster: the condition counts only when its latest
    # code is later than the latest of these (a resolved code on the same day wins, as in QOF).
    resolved_codelist: str | None = None


@dataclass(frozen=True)
class BandTest:
    column: str
    test: str  # in, is or at_least (BAND_TESTS)
    value: tuple[str, ...] | bool | int  # names, a bool, or an int

    def holds(self, row: dict[str, Any]) -> bool:
        """The test on one row of the result (the reference engine; casefinding.py has the
        Ibis twin). A missing value never passes."""
        value = row[self.column]
        if value is None:
            return False
        if isinstance(self.value, tuple):  # "in"
            return value in self.value
        if isinstance(self.value, bool):  # "is"
            return bool(value) is self.value
        return bool(value >= self.value)


@dataclass(frozen=True)
class NeedBand:
    """One band of clinical need: a person in the cohort is in the first band whose tests all
    hold; the last band has no tests and takes the rest of the cohort."""

    band: int  # 1 = the greatest need
    name: str
    reason: str  # the clinical reason the band sits where it does
    tests: tuple[BandTest, ...]


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
    priority: tuple[tuple[str, bool, bool], ...]  # (column, descending, missing first)
    # From 2026.2; an earlier document leaves them out, and so runs as it always did.
    efi_category_from_age: int | None = None  # the eFI is categorised from this age (65)
    medicines_by_name: bool = False  # a medicine with no dm+d code counts, by its name
    need_bands: tuple[NeedBand, ...] = ()
    # (flag, its resolved / "no longer indicated" codelist), as for a condition (2026.2)
    resolved_flags: tuple[tuple[str, str], ...] = ()
    # What changed from the version before, why, who approved it.
    change: dict[str, Any] | None = None

    def band(self, number: int) -> NeedBand:
        return self.need_bands[number - 1]

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
            {d.codelist for d in self.coded_deficits if d.codelist}
            | {c.codelist for c in self.conditions}
            | {c.resolved_codelist for c in self.conditions if c.resolved_codelist}
            | {slug for _, slug in self.flags}
            | {slug for _, slug in self.resolved_flags}
            | set(self.housebound_codelists)
            | {s.codelist for s in self.social_needs}
            | {self.high_use.emergency_admission_codelist}
        )

    def check_codelists(self, codelists: Iterable[str]) -> None:
        missing = sorted(self.codelist_slugs() - set(codelists))
        if missing:
            raise RuleSetError(f"rule set {self.version} needs codelists: {', '.join(missing)}")


def load_ruleset(version: str = CURRENT_VERSION, directory: Path = RULESETS_DIR) -> RuleSet:
    path = Path(directory) / f"complex-needs-{version}.json"
    if not path.is_file():
        raise RuleSetError(f"no rule set version {version}")
    return parse_ruleset(json.loads(path.read_text(encoding="utf-8")))


def parse_ruleset(doc: dict[str, Any]) -> RuleSet:
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
    closed = [bound for bound in bounds[:-1] if bound is not None]
    if bounds[-1] is not None or len(closed) != len(bounds) - 1 or closed != sorted(closed):
        raise RuleSetError("eFI categories must rise, the last one open-ended")
    conditions = tuple(
        Condition(c["key"], c["name"], c["kind"], c["codelist"], c.get("resolved_codelist"))
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
    need_bands = _need_bands(doc.get("need_bands", []), names)
    priority = _priority(doc["priority"], need_bands)
    if need_bands and doc.get("change") is None:
        raise RuleSetError("a rule set with need bands records its change")
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
        flags=tuple((key, _flag(doc["flags"][key])[0]) for key in FLAGS),
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
        efi_category_from_age=efi.get("category_from_age"),
        medicines_by_name=bool(doc.get("polypharmacy_counts_medicines_by_name", False)),
        need_bands=need_bands,
        resolved_flags=tuple(
            (key, resolved) for key in FLAGS if (resolved := _flag(doc["flags"][key])[1])
        ),
        change=doc.get("change"),
    )


def _flag(value: str | dict[str, str]) -> tuple[str, str | None]:
    """A flag is its codelist's slug, or {"codelist": ..., "resolved_codelist": ...}."""
    if isinstance(value, str):
        return value, None
    return value["codelist"], value.get("resolved_codelist")


def _priority(
    entries: list[list[str]], need_bands: tuple[NeedBand, ...]
) -> tuple[tuple[str, bool, bool], ...]:
    """[column, "asc" | "desc"] or [column, order, "missing first" | "missing last"]."""
    priority = []
    for column, order, *missing in entries:
        nulls = missing[0].removeprefix("missing ") if missing else "last"
        if column not in PRIORITY_COLUMNS:
            raise RuleSetError(f"priority may sort by {', '.join(PRIORITY_COLUMNS)}")
        if order not in ("asc", "desc") or nulls not in NULLS:
            raise RuleSetError("priority orders are asc or desc, missing first or last")
        priority.append((column, order == "desc", nulls == "first"))
    if priority[-1][0] != "person_id":
        raise RuleSetError("priority must end with person_id, so that the order is total")
    if any(column == "need_band" for column, *_ in priority) and not need_bands:
        raise RuleSetError("priority sorts by need_band but the rule set has no need bands")
    return tuple(priority)


def _need_bands(entries: list[dict[str, Any]], categories: set[str]) -> tuple[NeedBand, ...]:
    bands = []
    for number, entry in enumerate(entries, start=1):
        if entry["band"] != number:
            raise RuleSetError("need bands are numbered 1, 2, 3... in order")
        if not entry.get("reason"):
            raise RuleSetError(f"need band {number} needs its clinical reason")
        tests = tuple(_band_test(test, categories) for test in entry["when"])
        bands.append(NeedBand(number, entry["name"], entry["reason"], tests))
    if bands and bands[-1].tests:
        raise RuleSetError("the last need band takes the rest of the cohort: it has no tests")
    if any(not band.tests for band in bands[:-1]):
        raise RuleSetError("only the last need band may have no tests")
    return tuple(bands)


def _band_test(test: dict[str, Any], categories: set[str]) -> BandTest:
    column: str = test.get("column") or ""
    kind = BAND_TESTS.get(column)
    if kind is None:
        raise RuleSetError(f"a need band may test {', '.join(BAND_TESTS)}")
    if kind not in test:
        raise RuleSetError(f"a need band tests {column} with '{kind}'")
    value = test[kind]
    if kind == "in":
        if not set(value) <= categories:
            raise RuleSetError("a need band names an eFI category that does not exist")
        value = tuple(value)
    elif kind == "is":
        value = bool(value)
    else:
        value = int(value)
    return BandTest(column, kind, value)


def all_versions(directory: Path = RULESETS_DIR) -> tuple[str, ...]:
    """Every rule set version on disk, oldest first."""
    versions = (p.stem.removeprefix("complex-needs-") for p in Path(directory).glob("*.json"))
    return tuple(sorted(versions, key=lambda v: tuple(int(n) for n in v.split("."))))
