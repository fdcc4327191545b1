"""Case-finding as Ibis expressions: one code path for DuckDB and for Spark.

`find_cases` builds, from the analytic tables (schema.py), one expression whose result is
schema.CASEFINDING_RESULT: for everyone alive and resident on the index date, their eFI score
and category, long-term conditions, polypharmacy, mental health, housebound, high use, social
needs, which complex-needs criteria they meet and their priority in the cohort.
Nothing here knows which engine will run it; the spec tests (tests/spec) run every case on
DuckDB, Spark and the plain-Python reference engine and expect the same rows.

Codelists are joined as a small in-memory table of (code, feature), so the events are scanned
once however many codelists there are. A resolved code is a feature of its own kind that names
the condition (or register) it ends; a condition counts when its latest code is later than its
latest resolved code (QOF's rule: a resolved code on the same day ends it).
"""

from collections.abc import Mapping
from datetime import date, timedelta

import ibis
import ibis.expr.types as ir

from .codelists import Codelist
from .rules import FLAGS, BandTest, RuleSet
from .schema import CASEFINDING_RESULT, CRITERIA

# Feature kinds in the code map.
EFI, FLAG, HOUSEBOUND, SOCIAL = "efi", "flag", "housebound", "social"
RESOLVED = "resolved"
LTC = {"physical": "ltc_physical", "mental": "ltc_mental", "other": "ltc_other"}


def code_map(rules: RuleSet, codelists: Mapping[str, Codelist]) -> ir.Table:
    """(snomed_concept_id, kind, feature, count_resolved, ends): which feature each code counts
    for; `ends` is "kind/feature", of the feature itself or, for a resolved code, of the
    feature it ends (so the two meet in one join with no string built per row)."""
    rows: list[tuple[str, str, str, bool, str]] = []

    def add(slug: str, kind: str, feature: str, count_resolved: bool = False) -> None:
        ends = f"{kind}/{feature}"
        rows.extend((code, kind, feature, count_resolved, ends) for code in codelists[slug].codes)

    def ended_by(slug: str | None, kind: str, feature: str) -> None:
        if slug:  # a resolved code counts whatever its clinical status
            ends = f"{kind}/{feature}"
            rows.extend((code, RESOLVED, ends, True, ends) for code in codelists[slug].codes)

    for deficit in rules.coded_deficits:
        if deficit.codelist:  # every coded deficit has one
            add(deficit.codelist, EFI, deficit.key, rules.count_resolved_deficits)
    for condition in rules.conditions:
        add(condition.codelist, LTC[condition.kind], condition.key)
        ended_by(condition.resolved_codelist, LTC[condition.kind], condition.key)
    resolved_flags = dict(rules.resolved_flags)
    for flag, slug in rules.flags:
        add(slug, FLAG, flag)
        ended_by(resolved_flags.get(flag), FLAG, flag)
    for slug in rules.housebound_codelists:
        add(slug, HOUSEBOUND, slug)
    for need in rules.social_needs:
        add(need.codelist, SOCIAL, need.key)
    codes, kinds, features, resolved, ends = zip(*sorted(rows), strict=True)
    return ibis.memtable(
        {
            "snomed_concept_id": list(codes),
            "kind": list(kinds),
            "feature": list(features),
            "count_resolved": list(resolved),
            "ends": list(ends),
        },
        schema={
            "snomed_concept_id": "string",
            "kind": "string",
            "feature": "string",
            "count_resolved": "boolean",
            "ends": "string",
        },
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
    )
    latest = (
        hits.filter(hits.kind != RESOLVED)
        .group_by("person_id", "kind", "feature", "ends")
        .aggregate(last_coded=hits.date.max())
    )
    ended = (
        hits.filter(hits.kind == RESOLVED)
        .group_by("person_id", "ends")
        .aggregate(last_resolved=hits.date.max())
    )
    present = latest.left_join(ended, ["person_id", "ends"])
    present = present.filter(
        present.last_resolved.isnull() | (present.last_resolved < present.last_coded)
    )
    kind, feature = present.kind, present.feature
    return present.group_by("person_id").aggregate(
        efi_coded=_count(kind == EFI),
        ltc_count=_count(kind.isin(list(LTC.values()))),
        physical_ltc_count=_count(kind == LTC["physical"]),
        mental_health=_any(kind == LTC["mental"]),
        housebound=_any(kind == HOUSEBOUND),
        social_needs=_count(kind == SOCIAL),
        **{flag: _any((kind == FLAG) & (feature == flag)) for flag in FLAGS},
    )


def medicine_key(medications: ir.Table, *, by_name: bool) -> ir.StringValue:
    """What makes two current medicines the same one: the dm+d code; when the rule set counts
    medicines by name, a medicine with no dm+d code is known by its name, in lower case with
    spaces trimmed and runs of spaces made one (so "Senna  tablets" is "senna tablets")."""
    if not by_name:
        return medications.dmd_code
    name = medications.name.lower().re_replace(" +", " ").re_replace("^ | $", "")
    by_name_key = ibis.ifelse(name == "", ibis.null("string"), ibis.literal("name:").concat(name))
    return medications.dmd_code.fill_null(by_name_key)


def _medicines(medications: ir.Table, rules: RuleSet, index_date: date) -> ir.Table:
    current = medications.filter(
        medications.status == "active",
        medications.start_date <= index_date,
        medications.end_date.isnull() | (medications.end_date > index_date),
    )
    key = medicine_key(current, by_name=rules.medicines_by_name)
    return current.group_by("person_id").aggregate(medicines=key.nunique())


def _gp_contacts(contacts: ir.Table, rules: RuleSet, start: date, index_date: date) -> ir.Table:
    gp = contacts.filter(
        contacts.contact_date > start,
        contacts.contact_date <= index_date,
        contacts.profession.isin(list(rules.high_use.gp_professions)),
    )
    return gp.group_by("person_id").aggregate(gp_contacts=gp.count())


def _admissions(events: ir.Table, codes: frozenset[str], start: date, index_date: date) -> ir.Table:
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
        _medicines(tables["medications"], rules, index_date),
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


def _band_test(t: ir.Table, test: BandTest) -> ir.BooleanValue:
    """rules.BandTest.holds as an Ibis expression: a missing value never passes."""
    column = t[test.column]
    if isinstance(test.value, tuple):  # "in"
        holds = column.isin(list(test.value))
    elif test.test == "is":
        holds = column == test.value
    else:
        holds = column >= test.value
    return holds.fill_null(False)


def _need_band(t: ir.Table, rules: RuleSet) -> ir.IntegerValue:
    """The first band whose tests all hold; the last band takes the rest of the cohort."""
    if not rules.need_bands:
        return ibis.null("int64")
    *tested, rest = rules.need_bands
    cases = []
    for band in tested:
        holds = _band_test(t, band.tests[0])
        for test in band.tests[1:]:
            holds = holds & _band_test(t, test)
        cases.append((holds, band.band))
    band = ibis.cases(*cases, else_=rest.band) if cases else ibis.literal(rest.band)
    return ibis.ifelse(t.complex_needs, band.cast("int64"), ibis.null("int64"))


def _cohort(t: ir.Table, rules: RuleSet) -> ir.Table:
    *bounded, (last, _) = rules.category_max_deficits()
    category = ibis.cases(*((t.efi_deficits <= most, name) for name, most in bounded), else_=last)
    if rules.efi_category_from_age is not None:
        # The eFI is validated for people aged 65 and over: no category below.
        category = ibis.ifelse(t.age >= rules.efi_category_from_age, category, ibis.null("string"))
    wanted = rules.complex_needs
    t = t.mutate(
        efi_score=t.efi_deficits.cast("float64") / ibis.literal(36.0, "float64"),
        efi_category=category,
        high_use=(t.emergency_admissions >= rules.high_use.emergency_admissions)
        | (t.gp_contacts >= rules.high_use.gp_contacts),
    )
    t = t.mutate(
        meets_frailty=t.efi_category.isin(list(wanted.frailty_categories)).fill_null(False),
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
    t = t.mutate(need_band=_need_band(t, rules))
    order = []
    for column, descending, missing_first in rules.priority:
        # A missing value sorts last, or first where the rule set says so (an unknown decile
        # counts as most deprived).
        order.append(t[column].notnull() if missing_first else t[column].isnull())
        order.append(t[column].desc() if descending else t[column].asc())
    rank = ibis.row_number().over(group_by=t.complex_needs, order_by=order) + 1
    t = t.mutate(priority=ibis.ifelse(t.complex_needs, rank.cast("int64"), ibis.null("int64")))
    return t.select(*CASEFINDING_RESULT.column_names)
