"""Run the measure suite for a month on an engine and roll the results up.

`run_measures` runs the Ibis expressions on a connection (DuckDB or Spark) and
`run_reference_measures` the plain-Python reference engine; both return the same
`MeasureResult`s, one per measure and neighbourhood. A measure whose source tables are absent
from the snapshot, or empty, is reported as having no data yet rather than as zero.

Nothing here logs or returns anything about a person: only sums over groups leave an engine.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import ibis.expr.types as ir
from ibis.backends import BaseBackend

from oneroof.analytics.codelists import Codelist
from oneroof.analytics.rules import RuleSet

from .definitions import MEASURES, Measure
from .expressions import Measures, grain
from .periods import Period
from .reference import ReferenceMeasures
from .results import MeasureResult, no_data, roll_up

OnMeasure = Callable[[Measure], None]


@dataclass(frozen=True)
class Sources:
    """How many rows each analytic table has, and which the snapshot marked absent."""

    rows: Mapping[str, int]
    absent: frozenset[str] = frozenset()

    def missing(self, measure: Measure) -> tuple[str, ...]:
        return tuple(
            name for name in measure.sources if name in self.absent or not self.rows.get(name)
        )


def describe_days(days: int) -> str:
    """'6 weeks', '1 week', '10 days' (as the service directory writes a waiting time)."""
    if days % 7 == 0:
        weeks = days // 7
        return "1 week" if weeks == 1 else f"{weeks} weeks"
    return "1 day" if days == 1 else f"{days} days"


def service_labels(services: Iterable[Mapping[str, Any]]) -> dict[str, dict[str, str]]:
    """'Talking therapies (75% within 6 weeks)' for each service with a standard."""
    labels = {}
    for s in services:
        if s["standard_days"] is None:
            continue
        name = s["name"] or s["service"]
        percent = f"{s['standard_percent']}% " if s["standard_percent"] else ""
        labels[s["service"]] = f"{name} ({percent}within {describe_days(s['standard_days'])})"
    return {"service": labels}


def run_measures(
    con: BaseBackend,
    tables: Mapping[str, ir.Table],
    *,
    period: Period,
    rules: RuleSet,
    codelists: Mapping[str, Codelist],
    measures: Iterable[Measure] = MEASURES,
    neighbourhoods: Iterable[int] | None = None,
    absent: Iterable[str] = (),
    on_measure: OnMeasure | None = None,
) -> list[MeasureResult]:
    """Every measure for `period`, for each neighbourhood (by default, every neighbourhood
    that anyone in `persons` is registered in), on the Ibis connection `con`."""
    measures = list(measures)
    needed = {name for m in measures for name in m.sources}
    sources = Sources(
        {name: int(con.execute(tables[name].count())) for name in sorted(needed)},
        frozenset(absent),
    )
    if neighbourhoods is None:
        persons = tables["persons"]
        ids = persons.filter(persons.neighbourhood_id.notnull()).select("neighbourhood_id")
        neighbourhoods = sorted(con.to_pyarrow(ids.distinct())["neighbourhood_id"].to_pylist())
    neighbourhoods = list(neighbourhoods)
    labels = service_labels(con.to_pyarrow(tables["services"]).to_pylist())
    engine = Measures(con, tables, period=period, rules=rules, codelists=codelists)
    results = []
    try:
        for measure in measures:
            missing = sources.missing(measure)
            if missing:
                results += no_data(
                    measure, neighbourhoods=neighbourhoods, period=period, missing=missing
                )
            else:
                rows = con.to_pyarrow(grain(engine.units(measure), measure)).to_pylist()
                results += roll_up(
                    measure, rows, neighbourhoods=neighbourhoods, period=period, labels=labels
                )
            if on_measure:
                on_measure(measure)
    finally:
        engine.close()
    return results


def run_reference_measures(
    tables: Mapping[str, list[dict[str, Any]]],
    *,
    period: Period,
    rules: RuleSet,
    codelists: Mapping[str, Codelist],
    measures: Iterable[Measure] = MEASURES,
    neighbourhoods: Iterable[int] | None = None,
    absent: Iterable[str] = (),
) -> list[MeasureResult]:
    """The same results from the reference engine, over tables given as lists of dicts."""
    measures = list(measures)
    sources = Sources({name: len(rows) for name, rows in tables.items()}, frozenset(absent))
    if neighbourhoods is None:
        neighbourhoods = sorted({p["neighbourhood_id"] for p in tables.get("persons", [])} - {None})
    neighbourhoods = list(neighbourhoods)
    labels = service_labels(tables.get("services", []))
    engine = ReferenceMeasures(tables, period=period, rules=rules, codelists=codelists)
    results = []
    for measure in measures:
        missing = sources.missing(measure)
        if missing:
            results += no_data(
                measure, neighbourhoods=neighbourhoods, period=period, missing=missing
            )
        else:
            results += roll_up(
                measure,
                engine.grain(measure),
                neighbourhoods=neighbourhoods,
                period=period,
                labels=labels,
            )
    return results
