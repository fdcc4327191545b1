"""The spec-test harness: the same small tables run through every engine.

A spec gives the analytic tables as a few rows each (columns left out are null) and the rows it
expects back. `Engine.find_cases` returns the case-finding result as {person_id: row}; helpers
below build rows tersely.
"""

from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from oneroof.analytics import engines, reference
from oneroof.analytics.codelists import read_codelists
from oneroof.analytics.rules import RuleSet, load_ruleset
from oneroof.analytics.schema import TABLES

ROOT = Path(__file__).resolve().parents[2]
CODELISTS = read_codelists(ROOT / "oneroof" / "codelists" / "data")
RULES = load_ruleset()
INDEX_DATE = date(2026, 6, 30)


@dataclass
class Engine:
    name: str
    connection: object = None

    def find_cases(
        self, rows: dict[str, list[dict]], *, index_date=INDEX_DATE, rules: RuleSet = RULES
    ) -> dict[int, dict]:
        unknown = set(rows) - set(TABLES)
        assert not unknown, f"no such analytic tables: {unknown}"
        arrow = {name: TABLES[name].from_rows(table_rows) for name, table_rows in rows.items()}
        args = {"rules": rules, "codelists": CODELISTS, "index_date": index_date}
        if self.name == "reference":
            # Through Arrow and back, so the reference engine sees the same typed values.
            result = reference.find_cases(
                {name: table.to_pylist() for name, table in arrow.items()}, **args
            )
        elif self.name == "duckdb":
            tables = engines.memory_tables(arrow)
            result = engines.run_casefinding(self.connection, tables, **args).to_pylist()
        else:
            tables = engines.spark_tables(self.connection, arrow)
            result = engines.run_casefinding(self.connection, tables, **args).to_pylist()
        return {row["person_id"]: row for row in result}


def column(results: dict[int, dict], name: str) -> dict[int, object]:
    """{person_id: value} for one column of the result; floats rounded to compare exactly."""
    return {
        pid: round(row[name], 9) if isinstance(row[name], float) else row[name]
        for pid, row in results.items()
    }


@cache
def code(slug: str) -> str:
    """A code from a codelist: one in as few other lists as may be (the published lists overlap,
    and a condition's codes are in its eFI deficit too), the smallest of those, so it is stable."""
    return min(CODELISTS[slug].codes, key=lambda c: (_lists_holding(c), c))


def _lists_holding(concept: str) -> int:
    return sum(concept in codelist.codes for codelist in CODELISTS.values())


# --- row builders --------------------------------------------------------------------------


def person(person_id: int, **columns) -> dict:
    return {"person_id": person_id, "birth_date": date(1940, 1, 1), "imd_decile": 5} | columns


def event(person_id: int, concept: str, on: date = date(2020, 1, 1), **columns) -> dict:
    return {
        "person_id": person_id,
        "snomed_concept_id": concept,
        "date": on,
        "status": "active",
    } | columns


def events_for(person_id: int, slugs, on: date = date(2020, 1, 1)) -> list[dict]:
    return [event(person_id, code(slug), on) for slug in slugs]


def medicine(person_id: int, dmd: str, start: date = date(2020, 1, 1), **columns) -> dict:
    return {
        "person_id": person_id,
        "dmd_code": dmd,
        "start_date": start,
        "status": "active",
    } | columns


def medicines(person_id: int, count: int) -> list[dict]:
    return [medicine(person_id, f"10000{n}") for n in range(count)]


def contact(person_id: int, on: date, profession: str = "gp") -> dict:
    return {"person_id": person_id, "contact_date": on, "profession": profession, "mode": "phone"}


EFI_SLUGS = [d.codelist for d in RULES.coded_deficits]
