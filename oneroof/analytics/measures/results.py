"""A measure's result for one neighbourhood and month: the total and every breakdown.

Each cell holds what is enough to compute the value and its interval: the units counted (the
denominator), the numerator (for a mean, the sum of the units' values) and, for a mean, the sum
of squares. Cells add up exactly, so the engines return the finest grain (every combination of
groups) and the roll-up to each breakdown happens here, once, for every engine.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .definitions import BREAKDOWNS, LEAST_DEPRIVED, MOST_DEPRIVED, RATE_PER, Kind, Measure
from .intervals import Interval, mean_interval, newcombe_difference, welch_difference, wilson
from .periods import Period

OK, NO_DATA = "ok", "no_data"

# The values a mean can take, by the measure's calculation: intervals are clipped to them.
MEAN_BOUNDS = {"continuity": (0.0, 1.0), "time_to_appointment": (0.0, None)}


@dataclass(frozen=True)
class Cell:
    units: int = 0
    numerator: float = 0
    sum_squares: float = 0.0

    def __add__(self, other: "Cell") -> "Cell":
        return Cell(
            self.units + other.units,
            self.numerator + other.numerator,
            self.sum_squares + other.sum_squares,
        )

    def as_list(self) -> list[Any]:
        return [self.units, self.numerator, self.sum_squares]

    @classmethod
    def from_list(cls, values: Sequence[float]) -> "Cell":
        units, numerator, sum_squares = values
        return cls(int(units), numerator, sum_squares)


@dataclass(frozen=True)
class MeasureResult:
    measure: str
    neighbourhood_id: int
    period: Period
    status: str = OK
    missing_sources: tuple[str, ...] = ()
    total: Cell = Cell()
    # breakdown -> group -> cell, in display order; every fixed group is present, zeros too.
    breakdowns: Mapping[str, Mapping[str, Cell]] = field(default_factory=dict)
    # Labels for groups that come from the data (services): breakdown -> group -> label.
    labels: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def cells(self, breakdown: str) -> Mapping[str, Cell]:
        return self.breakdowns.get(breakdown, {})

    def label(self, breakdown: str, group: str) -> str:
        return BREAKDOWNS[breakdown].label(group, dict(self.labels.get(breakdown, {})))

    def to_json(self) -> dict[str, Any]:
        """The cells as JSON-ready lists (what the measures app stores)."""
        return {
            "total": self.total.as_list(),
            "breakdowns": {
                b: {g: cell.as_list() for g, cell in cells.items()}
                for b, cells in self.breakdowns.items()
            },
            "labels": {b: dict(labels) for b, labels in self.labels.items()},
        }

    @classmethod
    def from_json(cls, doc: dict[str, Any], **fields: Any) -> "MeasureResult":
        return cls(
            total=Cell.from_list(doc["total"]),
            breakdowns={
                b: {g: Cell.from_list(values) for g, values in cells.items()}
                for b, cells in doc["breakdowns"].items()
            },
            labels=doc.get("labels", {}),
            **fields,
        )


def roll_up(
    measure: Measure,
    grain: Iterable[Mapping[str, Any]],
    *,
    neighbourhoods: Iterable[int],
    period: Period,
    labels: Mapping[str, Mapping[str, str]] | None = None,
) -> list[MeasureResult]:
    """Results for each neighbourhood from the finest-grain rows (each with neighbourhood_id,
    a column per breakdown, units, numerator, sum_squares)."""
    by_neighbourhood: dict[int, list[Mapping[str, Any]]] = {n: [] for n in neighbourhoods}
    for row in grain:
        if row["neighbourhood_id"] in by_neighbourhood:
            by_neighbourhood[row["neighbourhood_id"]].append(row)
    results = []
    for neighbourhood_id, rows in by_neighbourhood.items():
        breakdowns = {}
        for key in measure.breakdowns:
            groups = {g.key: Cell() for g in BREAKDOWNS[key].groups}
            for row in rows:
                group = row[key]
                groups[group] = groups.get(group, Cell()) + _cell(row)
            if not BREAKDOWNS[key].groups:  # groups from the data: in label order
                names = (labels or {}).get(key, {})
                groups = dict(sorted(groups.items(), key=lambda kv: names.get(kv[0], kv[0])))
            breakdowns[key] = groups
        total = sum((_cell(row) for row in rows), Cell())
        results.append(
            MeasureResult(
                measure=measure.key,
                neighbourhood_id=neighbourhood_id,
                period=period,
                total=total,
                breakdowns=breakdowns,
                labels={k: dict(v) for k, v in (labels or {}).items() if k in measure.breakdowns},
            )
        )
    return results


def no_data(
    measure: Measure, *, neighbourhoods: Iterable[int], period: Period, missing: Iterable[str]
) -> list[MeasureResult]:
    return [
        MeasureResult(measure.key, n, period, status=NO_DATA, missing_sources=tuple(missing))
        for n in neighbourhoods
    ]


def _cell(row: Mapping[str, Any]) -> Cell:
    return Cell(int(row["units"]), row["numerator"], row["sum_squares"])


# --- Values and intervals --------------------------------------------------------------------


def value(measure: Measure, cell: Cell) -> float | None:
    """The measure's value for a cell: a proportion (0-1), a rate per 1,000, or a mean."""
    if cell.units == 0:
        return None
    share = cell.numerator / cell.units
    return share * RATE_PER if measure.kind == Kind.RATE else share


def interval(measure: Measure, cell: Cell) -> Interval | None:
    if cell.units == 0:
        return None
    if measure.kind == Kind.MEAN:
        low, high = MEAN_BOUNDS.get(measure.calculation, (None, None))
        return mean_interval(cell.units, cell.numerator, cell.sum_squares, lowest=low, highest=high)
    bounds = wilson(round(cell.numerator), cell.units)
    return _scaled(measure, bounds)


@dataclass(frozen=True)
class Gap:
    """Most deprived quintile minus least deprived: in the measure's own units (for a
    proportion, a difference of proportions; shown as percentage points)."""

    value: float
    interval: Interval | None


def gap(measure: Measure, most: Cell, least: Cell) -> Gap | None:
    if most.units == 0 or least.units == 0:
        return None
    high, low = value(measure, most), value(measure, least)
    if high is None or low is None:
        return None
    difference = high - low
    if measure.kind == Kind.MEAN:
        bounds = welch_difference(
            most.units, most.numerator, most.sum_squares,
            least.units, least.numerator, least.sum_squares,
        )  # fmt: skip
    else:
        bounds = _scaled(
            measure,
            newcombe_difference(
                round(most.numerator), most.units, round(least.numerator), least.units
            ),
        )
    return Gap(difference, bounds)


def deprivation_gap(measure: Measure, result: MeasureResult) -> Gap | None:
    cells = result.cells("imd_quintile")
    return gap(measure, cells.get(MOST_DEPRIVED, Cell()), cells.get(LEAST_DEPRIVED, Cell()))


def _scaled(measure: Measure, bounds: Interval | None) -> Interval | None:
    if bounds is None or measure.kind != Kind.RATE:
        return bounds
    return bounds[0] * RATE_PER, bounds[1] * RATE_PER
