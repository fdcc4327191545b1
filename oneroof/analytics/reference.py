"""The reference engine: case-finding in plain Python, one person at a time.

Small and written to be obviously right rather than fast; the spec tests run every case on it
and on the Ibis engines (DuckDB, Spark) and expect the same rows. It shares nothing with the Ibis
engine but the rule set, the codelists and the schema.
"""

from collections import defaultdict
from datetime import date, timedelta

from .codelists import Codelist
from .rules import RuleSet


def _active(event: dict) -> bool:
    return event["status"] in (None, "active")


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _in_population(person: dict, index_date: date) -> bool:
    """Alive and living here on the index date."""
    born, died, moved = person["birth_date"], person["death_date"], person["moved_out_on"]
    return (
        born is not None
        and born <= index_date
        and (died is None or died > index_date)
        and (moved is None or moved > index_date)
    )


def find_cases(
    tables: dict[str, list[dict]],
    *,
    rules: RuleSet,
    codelists: dict[str, Codelist],
    index_date: date,
) -> list[dict]:
    """The case-finding result (schema.CASEFINDING_RESULT) as a list of dicts."""
    rules.check_codelists(codelists)
    events = defaultdict(list)
    for event in tables.get("coded_events", []):
        if event["date"] is not None and event["date"] <= index_date:
            events[event["person_id"]].append(event)
    medicines = defaultdict(set)
    for m in tables.get("medications", []):
        current = (
            m["status"] == "active"
            and m["start_date"] is not None
            and m["start_date"] <= index_date
            and (m["end_date"] is None or m["end_date"] > index_date)
        )
        if current:
            medicines[m["person_id"]].add(m["dmd_code"])
    window_start = index_date - timedelta(days=rules.high_use.window_days)
    gp_contacts = defaultdict(int)
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


def _person(person, events, medicines, gp_contacts, rules, codelists, index_date) -> dict:
    def has(slug: str, *, count_resolved: bool = False) -> bool:
        codes = codelists[slug].codes
        return any(
            e["snomed_concept_id"] in codes and (count_resolved or _active(e)) for e in events
        )

    polypharmacy = len(medicines) >= rules.polypharmacy_medicines
    deficits = polypharmacy + sum(
        has(d.codelist, count_resolved=rules.count_resolved_deficits) for d in rules.coded_deficits
    )
    category = next(
        name for name, most in rules.category_max_deficits() if most is None or deficits <= most
    )
    present = [c for c in rules.conditions if has(c.codelist)]
    physical = sum(c.kind == "physical" for c in present)
    mental_health = any(c.kind == "mental" for c in present)
    flags = {flag: has(slug) for flag, slug in rules.flags}
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
        "age": _age(person["birth_date"], index_date),
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
        "priority": None,
    }


def _prioritise(rows: list[dict], rules: RuleSet) -> None:
    """Number the cohort 1, 2, 3... in the rule set's order; a missing decile sorts last."""

    def key(row):
        parts = []
        for column, descending in rules.priority:
            value = row[column]
            missing = value is None
            value = 0 if missing else value
            parts.append((missing, -value if descending else value))
        return parts

    cohort = sorted((r for r in rows if r["complex_needs"]), key=key)
    for number, row in enumerate(cohort, start=1):
        row["priority"] = number
