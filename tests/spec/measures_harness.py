"""The measures' spec harness: small analytic tables in, results out, on every engine.

`run(engine, rows)` runs the measure suite on the `engine` fixture's engine (reference, DuckDB
or Spark) for May 2026 and returns {(measure key, neighbourhood id): MeasureResult}. Row
builders below keep the specs short; the person builder puts everyone in neighbourhood 1.
"""

import functools
import random
from datetime import UTC, date, datetime, timedelta

from oneroof.analytics import engines
from oneroof.analytics.measures import MEASURES, Period, run_measures, run_reference_measures
from oneroof.analytics.measures import measure as measure_named
from oneroof.analytics.measures.definitions import RIGHTS
from oneroof.analytics.measures.results import MeasureResult, value
from oneroof.analytics.schema import TABLES

from .harness import CODELISTS, RULES, Engine, code

MAY = Period.month(2026, 5)
END = MAY.end  # 31 May 2026


def run(
    engine: Engine,
    rows: dict[str, list[dict]],
    *,
    measures=None,
    period: Period = MAY,
    neighbourhoods=(1, 2),
    absent=(),
) -> dict[tuple[str, int], MeasureResult]:
    unknown = set(rows) - set(TABLES)
    assert not unknown, f"no such analytic tables: {unknown}"
    chosen = [measure_named(m) for m in measures] if measures else list(MEASURES)
    arrow = {name: TABLES[name].from_rows(table_rows) for name, table_rows in rows.items()}
    args = {
        "period": period,
        "rules": RULES,
        "codelists": CODELISTS,
        "measures": chosen,
        "neighbourhoods": neighbourhoods,
        "absent": absent,
    }
    if engine.name == "reference":
        # Through Arrow and back, so the reference engine sees the same typed values.
        plain = {name: table.to_pylist() for name, table in arrow.items()}
        results = run_reference_measures(plain, **args)
    elif engine.name == "duckdb":
        results = run_measures(engine.connection, engines.memory_tables(arrow), **args)
    else:
        results = run_measures(
            engine.connection, engines.spark_tables(engine.connection, arrow), **args
        )
    return {(r.measure, r.neighbourhood_id): r for r in results}


@functools.cache
def computed_results(neighbourhoods: tuple[int, ...], months: tuple[Period, ...], leave_out=()):
    """The measure suite on DuckDB for the random neighbourhoods (seeded), month by month:
    ((month, results), ...). Cached: the database and browser tests store the same results
    afresh for each test, and DuckDB's time goes on compiling the expressions."""
    rows = random_neighbourhoods(20260531, people=400, neighbourhoods=(*neighbourhoods, None))
    arrow = {n: TABLES[n].from_rows(r) for n, r in rows.items() if n not in leave_out}
    con = engines.duckdb_connection()
    tables = engines.memory_tables(arrow)
    return tuple(
        (
            month,
            run_measures(
                con,
                tables,
                period=month,
                rules=RULES,
                codelists=CODELISTS,
                neighbourhoods=list(neighbourhoods),
                absent=leave_out,
            ),
        )
        for month in months
    )


def one(engine: Engine, rows, key: str, *, neighbourhood: int = 1, **options) -> MeasureResult:
    """The result of one measure for one neighbourhood."""
    return run(engine, rows, measures=[key], **options)[(key, neighbourhood)]


def counts(result: MeasureResult, breakdown: str | None = None) -> dict:
    """(numerator, units) for the total, or for each group of a breakdown."""
    if breakdown is None:
        return (round(result.total.numerator, 9), result.total.units)
    return {
        group: (round(cell.numerator, 9), cell.units)
        for group, cell in result.cells(breakdown).items()
    }


def value_of(result: MeasureResult, breakdown: str | None = None, group: str | None = None):
    cell = result.total if breakdown is None else result.cells(breakdown)[group]
    found = value(measure_named(result.measure), cell)
    return None if found is None else round(found, 9)


def summary(result: MeasureResult) -> dict:
    """Every cell, rounded so that engines summing floats in another order still agree."""
    cells = {("total", ""): result.total}
    for breakdown, groups in result.breakdowns.items():
        for group, cell in groups.items():
            cells[(breakdown, group)] = cell
    return {
        "status": result.status,
        "missing": result.missing_sources,
        "labels": {b: dict(v) for b, v in result.labels.items()},
        "cells": {
            key: (cell.units, round(cell.numerator, 6), round(cell.sum_squares, 6))
            for key, cell in cells.items()
        },
    }


# --- row builders --------------------------------------------------------------------------


def person(person_id: int, **columns) -> dict:
    return {
        "person_id": person_id,
        "birth_date": date(1950, 1, 1),
        "imd_decile": 5,
        "neighbourhood_id": 1,
        "sex": "female",
        "ethnic_group": "white",
    } | columns


def at(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    """A UTC instant (the analytic tables hold timestamps in UTC)."""
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def complex_needs_events(person_id: int, on: date = date(2024, 1, 1)) -> list[dict]:
    """Four long-term conditions: enough for the complex-needs cohort on its own."""
    slugs = [c.codelist for c in RULES.conditions if c.kind == "physical"][:4]
    return [
        {"person_id": person_id, "snomed_concept_id": code(s), "date": on, "status": "active"}
        for s in slugs
    ]


def coded(person_id: int, slug: str, on: date = date(2025, 1, 1), **columns) -> dict:
    return {
        "person_id": person_id,
        "snomed_concept_id": code(slug),
        "date": on,
        "status": "active",
    } | columns


# --- a random neighbourhood ---------------------------------------------------------------

SLUGS = sorted(RULES.codelist_slugs())
SOCIAL = sorted(need.codelist for need in RULES.social_needs)
ANSWERS = ["very_good", "good", "neither", "poor", "very_poor", "dont_know"]
SERVICES = [
    {"service": "physio", "name": "Physiotherapy", "sector": "nhs", "is_mental_health": False,
     "standard_days": 28, "standard_percent": 92},
    {"service": "talking", "name": "Talking therapies", "sector": "nhs",
     "is_mental_health": True, "standard_days": 42, "standard_percent": 75},
    {"service": "eip", "name": "Early intervention in psychosis", "sector": "nhs",
     "is_mental_health": True, "standard_days": 14, "standard_percent": 60},
    {"service": "befriending", "name": "Befriending", "sector": "voluntary",
     "is_mental_health": False, "standard_days": None},
    {"service": "housing", "name": "Housing advice", "sector": "council",
     "is_mental_health": False, "standard_days": 10},
]  # fmt: skip


def random_neighbourhoods(
    seed: int, people: int = 200, neighbourhoods=(1, 1, 2, None)
) -> dict[str, list[dict]]:
    """Every analytic table filled at random around May 2026 (seeded)."""
    maker = _RandomTables(random.Random(seed), people)
    for pid in range(1, people + 1):
        maker.person(pid, neighbourhoods)
        maker.record(pid)
        maker.care(pid)
        maker.requests(pid)
        maker.referrals(pid)
    return maker.tables


class _RandomTables:
    def __init__(self, rng: random.Random, people: int):
        self.rng = rng
        self.people = people
        names = (
            "persons", "coded_events", "contacts", "care_teams", "care_plans", "carers",
            "preferences", "mdt_reviews", "care_plan_reviews", "access_requests", "appointments",
            "referrals", "feedback", "usual_gp_choices",
        )  # fmt: skip
        self.tables = {name: [] for name in names} | {"services": SERVICES}

    def day(self, back: int = 800, ahead: int = 20) -> date:
        return END - timedelta(days=self.rng.randint(-ahead, back))

    def moment(self, back: int = 60, ahead: int = 10) -> datetime:
        start = datetime(2026, 5, 1, tzinfo=UTC) - timedelta(days=back)
        return start + timedelta(seconds=self.rng.randint(0, (back + 31 + ahead) * 86400))

    def add(self, table: str, **row) -> None:
        self.tables[table].append(row)

    def maybe(self, chance: float) -> bool:
        return self.rng.random() < chance

    def person(self, pid: int, neighbourhoods) -> None:
        rng = self.rng
        self.add(
            "persons",
            person_id=pid,
            birth_date=date(rng.randint(1920, 2026), rng.randint(1, 12), rng.randint(1, 28)),
            death_date=self.day() if self.maybe(0.06) else None,
            moved_out_on=self.day() if self.maybe(0.06) else None,
            imd_decile=rng.choice([None, *range(1, 11)]),
            sex=rng.choice(["female", "male", "female", "male", "unknown", None]),
            ethnic_group=rng.choice(["white", "asian", "black", "mixed", "other", None]),
            neighbourhood_id=rng.choice(neighbourhoods),
        )

    def record(self, pid: int) -> None:
        rng = self.rng
        for _ in range(rng.randint(0, 14)):
            slug = rng.choice(SLUGS + SOCIAL * 3)
            self.add(
                "coded_events",
                person_id=pid,
                snomed_concept_id=rng.choice(sorted(CODELISTS[slug].codes)),
                date=self.day(),
                status=rng.choice(["active", "active", "resolved", None]),
            )
        for _ in range(rng.choice([0, 1, 2, 4, 7])):
            when = self.moment(back=700)
            self.add(
                "contacts",
                person_id=pid,
                professional_id=rng.choice([7, 8, 9, None]),
                profession=rng.choice(["gp", "gp", "gp", "district_nurse"]),
                contact_date=when.date(),
                occurred_at=when if self.maybe(0.8) else None,
            )
        if self.maybe(0.2):
            self.add("usual_gp_choices", person_id=pid, professional_id=rng.choice([7, 8]))

    def care(self, pid: int) -> None:
        rng = self.rng
        if self.maybe(0.5):
            self.add("care_teams", person_id=pid, coordinator_id=rng.choice([None, 70]))
        if self.maybe(0.5):
            self.add("care_plans", person_id=pid, updated_on=self.day(back=500))
        if self.maybe(0.3):
            self.add("mdt_reviews", person_id=pid, held_on=self.day(back=500))
        for _ in range(rng.choice([0, 0, 1, 2])):
            self.add("care_plan_reviews", person_id=pid, reviewed_on=self.day(back=500))
        if self.maybe(0.1):
            self.add(
                "carers",
                person_id=rng.randint(1, self.people),
                carer_person_id=pid,
                start_date=self.day() if self.maybe(0.5) else None,
                end_date=self.day() if self.maybe(0.3) else None,
            )
        if self.maybe(0.2):
            self.add(
                "preferences",
                person_id=pid,
                kind=rng.choice(["place_of_care", "place_of_death", "communication"]),
                recorded_on=self.day(back=300),
            )

    def requests(self, pid: int) -> None:
        rng = self.rng
        for _ in range(rng.choice([0, 0, 1, 3])):
            request_id = len(self.tables["access_requests"]) + 1
            asked = self.moment(back=10, ahead=5)
            booked = self.maybe(0.7)
            self.add(
                "access_requests",
                request_id=request_id,
                person_id=pid,
                requested_at=asked,
                right=rng.choice([*RIGHTS, "other"]),
                outcome=rng.choice(["met", "met", "offered", "unmet"]),
                appointment_id=request_id if booked else None,
                chosen_gp_id=rng.choice([7, 8, None]),
            )
            if booked:
                self.add(
                    "appointments",
                    appointment_id=request_id,
                    person_id=pid,
                    professional_id=rng.choice([7, 8, 9, None]),
                    start_at=asked + timedelta(seconds=rng.randint(-3600, 20 * 86400)),
                    status=rng.choice(["booked", "fulfilled", "cancelled", None]),
                )
            self.add(
                "feedback",
                person_id=pid,
                submitted_at=self.moment(back=10, ahead=5),
                answer=rng.choice([*ANSWERS, None]),
            )

    def referrals(self, pid: int) -> None:
        rng = self.rng
        for _ in range(rng.choice([0, 1, 2])):
            authored = self.moment(back=45)
            seen = authored + timedelta(seconds=rng.randint(0, 50 * 86400))
            treated = seen + timedelta(seconds=rng.randint(0, 40 * 86400))
            closed = treated + timedelta(seconds=rng.randint(-30 * 86400, 30 * 86400))
            self.add(
                "referrals",
                referral_id=len(self.tables["referrals"]) + 1,
                person_id=pid,
                service=rng.choice([s["service"] for s in SERVICES] + ["unknown"]),
                authored_at=authored,
                first_seen_at=seen if self.maybe(0.8) else None,
                first_treated_at=treated if self.maybe(0.6) else None,
                closed_at=closed if self.maybe(0.3) else None,
            )
