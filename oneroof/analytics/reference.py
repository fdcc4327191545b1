"""The reference engine: case-finding in plain Python, one person at a time.

Small and written to be obviously right rather than fast; the spec tests run every case on it
and on the Ibis engines (DuckDB, Spark) and expect the same rows. It shares nothing with the Ibis
engine but the rule set, the codelists and the schema.
"""

import re
from collections import defaultdict
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from .codelists import Codelist
from .rules import RuleSet


def _active(event: dict[str, Any]) -> bool:
    return event["status"] in (None, "active")


def _medicine(m: dict[str, Any], by_name: bool) -> str | None:
    """The dm+d code; by name (lower case, spaces trimmed and single) when it has none and the
    rule set counts medicines by name."""
    if m["dmd_code"] is not None or not by_name:
        return str(m["dmd_code"]) if m["dmd_code"] is not None else None
    name = re.sub(" +", " ", (m.get("name") or "").lower()).strip(" ")
    return f"name:{name}" if name else None


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _in_population(person: dict[str, Any], index_date: date) -> bool:
    """Alive and living here on the index date."""
    born, died, moved = person["birth_date"], person["death_date"], person["moved_out_on"]
    return (
        born is not None
        and born <= index_date
        and (died is None or died > index_date)
        and (moved is None or moved > index_date)
    )


def find_cases(
    tables: Mapping[str, list[dict[str, Any]]],
    *,
    rules: RuleSet,
    codelists: Mapping[str, Codelist],
    index_date: date,
) -> list[dict[str, Any]]:
    """The case-finding result (schema.CASEFINDING_RESULT) as a list of dicts."""
    rules.check_codelists(codelists)
    events: defaultdict[int, list[dict[str, Any]]] = defaultdict(list)
    for event in tables.get("coded_events", []):
        if event["date"] is not None and event["date"] <= index_date:
            events[event["person_id"]].append(event)
    medicines: defaultdict[int, set[str]] = defaultdict(set)
    for m in tables.get("medications", []):
        current = (
            m["status"] == "active"
            and m["start_date"] is not None
            and m["start_date"] <= index_date
            and (m["end_date"] is None or m["end_date"] > index_date)
        )
        key = _medicine(m, rules.medicines_by_name)
        if current and key is not None:
            medicines[m["person_id"]].add(key)
    window_start = index_date - timedelta(days=rules.high_use.window_days)
    gp_contacts: defaultdict[int, int] = defaultdict(int)
    for contact in tables.get("contacts", []):
        day = contact["contact_date"]
        in_window = day is not None and window_start < day <= index_date
        if in_window and contact["profession"] in rules.high_use.gp_professions:
            gp_contacts[contact["person_id"]] += 1

    rows = [
        _person(
            person,
            events[person["person_id"]],
            medicines[person["person_id"]],
            gp_contacts[person["person_id"]],
            rules,
            codelists,
            index_date,
        )
        for person in tables.get("persons", [])
        if _in_population(person, index_date)
    ]
    _prioritise(rows, rules)
    return rows


def _last(
    events: list[dict[str, Any]], codes: frozenset[str], *, count_resolved: bool
) -> date | None:
    dates = [
        e["date"]
        for e in events
        if e["snomed_concept_id"] in codes and (count_resolved or _active(e))
    ]
    return max(dates, default=None)


def _person(
    person: dict[str, Any],
    events: list[dict[str, Any]],
    medicines: set[str],
    gp_contacts: int,
    rules: RuleSet,
    codelists: Mapping[str, Codelist],
    index_date: date,
) -> dict[str, Any]:
    def has(slug: str, *, count_resolved: bool = False, resolved_by: str | None = None) -> bool:
        """Coded, and (QOF) the latest code later than the latest resolved code, if any."""
        last = _last(events, codelists[slug].codes, count_resolved=count_resolved)
        if last is None or resolved_by is None:
            return last is not None
        resolved = _last(events, codelists[resolved_by].codes, count_resolved=True)
        return resolved is None or resolved < last

    polypharmacy = len(medicines) >= rules.polypharmacy_medicines
    deficits = polypharmacy + sum(
        has(d.codelist, count_resolved=rules.count_resolved_deficits)
        for d in rules.coded_deficits
        if d.codelist  # every coded deficit has one
    )
    category: str | None = next(
        name for name, most in rules.category_max_deficits() if most is None or deficits <= most
    )
    age = _age(person["birth_date"], index_date)
    if rules.efi_category_from_age is not None and age < rules.efi_category_from_age:
        category = None
    present = [c for c in rules.conditions if has(c.codelist, resolved_by=c.resolved_codelist)]
    physical = sum(c.kind == "physical" for c in present)
    mental_health = any(c.kind == "mental" for c in present)
    ended = dict(rules.resolved_flags)
    flags = {flag: has(slug, resolved_by=ended.get(flag)) for flag, slug in rules.flags}
    housebound = any(has(slug) for slug in rules.housebound_codelists)
    admission_codes = codelists[rules.high_use.emergency_admission_codelist].codes
    window_start = index_date - timedelta(days=rules.high_use.window_days)
    admissions = len(
        {
            e["date"]
            for e in events
            if e["snomed_concept_id"] in admission_codes and e["date"] > window_start
        }
    )
    high_use = (
        admissions >= rules.high_use.emergency_admissions
        or gp_contacts >= rules.high_use.gp_contacts
    )
    wanted = rules.complex_needs
    criteria = {
        "meets_frailty": category in wanted.frailty_categories,
        "meets_ltcs_with_mental_health": mental_health
        and physical >= wanted.physical_ltcs_with_mental_health,
        "meets_ltcs": len(present) >= wanted.ltcs,
        "meets_housebound": wanted.housebound and housebound,
        "meets_high_use": wanted.high_use and high_use,
    }
    return {
        "person_id": person["person_id"],
        "practice_id": person["practice_id"],
        "neighbourhood_id": person["neighbourhood_id"],
        "imd_decile": person["imd_decile"],
        "age": age,
        "sex": person["sex"],
        "lives_alone": bool(person["lives_alone"]),
        "efi_deficits": deficits,
        "efi_score": deficits / 36,
        "efi_category": category,
        "medicines": len(medicines),
        "polypharmacy": polypharmacy,
        "ltc_count": len(present),
        "physical_ltc_count": physical,
        "mental_health": mental_health,
        **flags,
        "housebound": housebound,
        "emergency_admissions": admissions,
        "gp_contacts": gp_contacts,
        "high_use": high_use,
        "social_needs": sum(has(need.codelist) for need in rules.social_needs),
        **criteria,
        "complex_needs": any(criteria.values()),
        "need_band": None,
        "priority": None,
    }


def _need_band(row: dict[str, Any], rules: RuleSet) -> int | None:
    """The first band whose tests all hold (the last band has none)."""
    if not rules.need_bands:
        return None
    return next(b.band for b in rules.need_bands if all(t.holds(row) for t in b.tests))


def _prioritise(rows: list[dict[str, Any]], rules: RuleSet) -> None:
    """Place the cohort in need bands and number it 1, 2, 3... in the rule set's order; a
    missing value sorts last, or first where the rule set says (an unknown decile)."""

    def key(row: dict[str, Any]) -> list[tuple[bool, Any]]:
        parts = []
        for column, descending, missing_first in rules.priority:
            value = row[column]
            missing = value is None
            value = 0 if missing else value
            parts.append((missing != missing_first, -value if descending else value))
        return parts

    for row in rows:
        if row["complex_needs"]:
            row["need_band"] = _need_band(row, rules)
    cohort = sorted((r for r in rows if r["complex_needs"]), key=key)
    for number, row in enumerate(cohort, start=1):
        row["priority"] = number
