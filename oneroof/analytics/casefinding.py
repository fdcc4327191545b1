"""Case-finding as Ibis expressions: one code path for DuckDB and for Spark.

`find_cases` builds, from the analytic tables (schema.py), one expression whose result is
schema.CASEFINDING_RESULT: for everyone alive and resident on the index date, their eFI score
and category, long-term conditions, polypharmacy, mental health, housebound, high use, social
needs, which complex-needs criteria they meet (DESIGN.md) and their priority in the cohort.
Nothing here knows which engine will run it; the spec tests (tests/spec) run every case on
DuckDB, Spark and the plain-Python reference engine and expect the same rows.

Codelists are joined as a small in-memory table of (code, feature), so the events are scanned
once however many codelists there are.
"""

from collections.abc import Mapping
from datetime import date, timedelta

import ibis
import ibis.expr.types as ir

from .codelists import Codelist
from .rules import FLAGS, RuleSet
from .schema import CASEFINDING_RESULT, CRITERIA

# Feature kinds in the code map.
EFI, FLAG, HOUSEBOUND, SOCIAL = "efi", "flag", "housebound", "social"
LTC = {"physical": "ltc_physical", "mental": "ltc_mental", "other": "ltc_other"}


def code_map(rules: RuleSet, codelists: Mapping[str, Codelist]) -> ir.Table:
    """(snomed_concept_id, kind, feature, count_resolved): which feature each code counts for."""
    rows: list[tuple[str, str, str, bool]] = []

    def add(slug: str, kind: str, feature: str, count_resolved: bool = False) -> None:
        rows.extend((code, kind, feature, count_resolved) for code in codelists[slug].codes)

    for deficit in rules.coded_deficits:
        add(deficit.codelist, EFI, deficit.key, rules.count_resolved_deficits)
    for condition in rules.conditions:
        add(condition.codelist, LTC[condition.kind], condition.key)
    for flag, slug in rules.flags:
        add(slug, FLAG, flag)
    for slug in rules.housebound_codelists:
        add(slug, HOUSEBOUND, slug)
    for need in rules.social_needs:
        add(need.codelist, SOCIAL, need.key)
    codes, kinds, features, resolved = zip(*sorted(rows), strict=True)
    return ibis.memtable(
        {
            "snomed_concept_id": list(codes),
            "kind": list(kinds),
            "feature": list(features),
            "count_resolved": list(resolved),
        }
    )


def _count(condition: ir.BooleanValue) -> ir.IntegerScalar:
    return ibis.ifelse(condition, 1, 0).sum()


def _any(condition: ir.BooleanValue) -> ir.BooleanScalar:
    return ibis.ifelse(condition, 1, 0).max() == 1


def population(persons: ir.Table, index_date: date) -> ir.Table:
    """Everyone born, alive and living here on the index date."""
    return persons.filter(
        persons.birth_date <= index_date,
        persons.death_date.isnull() | (persons.death_date > index_date),
        persons.moved_out_on.isnull() | (persons.moved_out_on > index_date),
    )


def _age(birth_date: ir.DateValue, on: date) -> ir.IntegerValue:
    birthday_to_come = (birth_date.month() > on.month) | (
        (birth_date.month() == on.month) & (birth_date.day() > on.day)
    )
    return (on.year - birth_date.year() - ibis.ifelse(birthday_to_come, 1, 0)).cast("int64")


def _coded_features(
    events: ir.Table, rules: RuleSet, codelists: Mapping[str, Codelist], index_date: date
) -> ir.Table:
    mapping = code_map(rules, codelists)
    hits = (
        events.filter(events.date <= index_date)
        .join(mapping, "snomed_concept_id")
        .filter(lambda t: t.count_resolved | t.status.isnull() | (t.status == "active"))
        .select("person_id", "kind", "feature")
        .distinct()
    )
    kind, feature = hits.kind, hits.feature
    return hits.group_by("person_id").aggregate(
        efi_coded=_count(kind == EFI),
        ltc_count=_count(kind.isin(list(LTC.values()))),
        physical_ltc_count=_count(kind == LTC["physical"]),
        mental_health=_any(kind == LTC["mental"]),
        housebound=_any(kind == HOUSEBOUND),
        social_needs=_count(kind == SOCIAL),
        **{flag: _any((kind == FLAG) & (feature == flag)) for flag in FLAGS},
    )


def _medicines(medications: ir.Table, index_date: date) -> ir.Table:
    current = medications.filter(
        medications.status == "active",
        medications.start_date <= index_date,
        medications.end_date.isnull() | (medications.end_date > index_date),
    )
    return current.group_by("person_id").aggregate(medicines=current.dmd_code.nunique())


def _gp_contacts(contacts: ir.Table, rules: RuleSet, start: date, index_date: date) -> ir.Table:
    gp = contacts.filter(
        contacts.contact_date > start,
        contacts.contact_date <= index_date,
        contacts.profession.isin(list(rules.high_use.gp_professions)),
    )
    return gp.group_by("person_id").aggregate(gp_contacts=gp.count())


def _admissions(events: ir.Table, codes: frozenset[str], start: date, index_date: date):
    admitted = events.filter(
        events.date > start,
        events.date <= index_date,
        events.snomed_concept_id.isin(sorted(codes)),
    )
    # Two codes for one admission on the same day are one admission.
    return admitted.group_by("person_id").aggregate(emergency_admissions=admitted.date.nunique())


def _join(left: ir.Table, right: ir.Table) -> ir.Table:
    joined = left.left_join(right, "person_id")
    return joined.drop(*(c for c in joined.columns if c == "person_id_right"))


def find_cases(
    tables: Mapping[str, ir.Table],
    *,
    rules: RuleSet,
    codelists: Mapping[str, Codelist],
    index_date: date,
) -> ir.Table:
    """The case-finding expression (schema.CASEFINDING_RESULT) over the analytic tables."""
    rules.check_codelists(codelists)
    start = index_date - timedelta(days=rules.high_use.window_days)
    events = tables["coded_events"]
    people = population(tables["persons"], index_date)
    admission_codes = codelists[rules.high_use.emergency_admission_codelist].codes
    t = people.select(
        "person_id",
        "practice_id",
        "neighbourhood_id",
        "imd_decile",
        "sex",
        age=_age(people.birth_date, index_date),
        lives_alone=people.lives_alone.fill_null(False),
    )
    for part in (
        _coded_features(events, rules, codelists, index_date),
        _medicines(tables["medications"], index_date),
        _gp_contacts(tables["contacts"], rules, start, index_date),
        _admissions(events, admission_codes, start, index_date),
    ):
        t = _join(t, part)
    counts = ("efi_coded", "ltc_count", "physical_ltc_count", "social_needs", "medicines")
    t = t.mutate(
        **{c: t[c].fill_null(0) for c in (*counts, "gp_contacts", "emergency_admissions")},
        **{c: t[c].fill_null(False) for c in ("mental_health", "housebound", *FLAGS)},
    )
    t = t.mutate(polypharmacy=t.medicines >= rules.polypharmacy_medicines)
    t = t.mutate(efi_deficits=(t.efi_coded + ibis.ifelse(t.polypharmacy, 1, 0)).cast("int64"))
    return _cohort(t, rules)


def _cohort(t: ir.Table, rules: RuleSet) -> ir.Table:
    *bounded, (last, _) = rules.category_max_deficits()
    category = ibis.cases(*((t.efi_deficits <= most, name) for name, most in bounded), else_=last)
    wanted = rules.complex_needs
    t = t.mutate(
        efi_score=t.efi_deficits.cast("float64") / ibis.literal(36.0, "float64"),
        efi_category=category,
        high_use=(t.emergency_admissions >= rules.high_use.emergency_admissions)
        | (t.gp_contacts >= rules.high_use.gp_contacts),
    )
    t = t.mutate(
        meets_frailty=t.efi_category.isin(list(wanted.frailty_categories)),
        meets_ltcs_with_mental_health=t.mental_health
        & (t.physical_ltc_count >= wanted.physical_ltcs_with_mental_health),
        meets_ltcs=t.ltc_count >= wanted.ltcs,
        meets_housebound=t.housebound & ibis.literal(wanted.housebound),
        meets_high_use=t.high_use & ibis.literal(wanted.high_use),
    )
    complex_needs = t[CRITERIA[0]]
    for criterion in CRITERIA[1:]:
        complex_needs = complex_needs | t[criterion]
    t = t.mutate(complex_needs=complex_needs)
    order = []
    for column, descending in rules.priority:
        order.append(t[column].isnull())  # a missing value sorts last
        order.append(t[column].desc() if descending else t[column].asc())
    rank = ibis.row_number().over(group_by=t.complex_needs, order_by=order) + 1
    t = t.mutate(priority=ibis.ifelse(t.complex_needs, rank.cast("int64"), ibis.null("int64")))
    return t.select(*CASEFINDING_RESULT.column_names)
