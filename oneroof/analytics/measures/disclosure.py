"""Statistical disclosure control for figures shown outside the care team.

The rules are those OpenSAFELY and NHS England publish by default, made safe against
subtraction:

1. Primary suppression: a count of 1 to 7 is not shown. (0 is shown: it is nobody.)
2. A total of 1 to 7 hides the whole table: every cell of every breakdown, zeros too.
3. Secondary suppression: a breakdown is a partition of one total (every resident falls in
   exactly one IMD quintile, "not known" included), so with the total shown a single hidden
   cell could be had by subtraction. When a breakdown has exactly one hidden cell, the
   smallest other cell that is not zero is hidden too. Then the table is attacked (below); in
   any breakdown where a hidden cell could still be pinned down exactly, the next smallest
   cell is hidden, until none can.
4. Every other count is rounded to the nearest 5, and rates are computed from the rounded
   figures.
5. One total per population: every breakdown of a measure's result is shown against the same
   rounded total, never a total rounded per table, so breakdowns cannot be played off against
   each other's totals.
6. A proportion or rate is an outcome for each person counted, so its complement (those
   counted who are not in the numerator) is a count too: a cell whose complement is 1 to 7
   (say 100% or 97% of a group whose every member but a few met it) is hidden as a numerator
   of 1 to 7 is, since it tells the outcome of almost everyone in the group. The numerators
   and the complements are protected as two tables with the same hidden cells (a cell is
   hidden in both or in neither), each with its own secondary suppression, so neither can be
   had from the other or from the totals.
7. A true 0% or 100% in a small group (fewer than SMALL_GROUP counted) tells the outcome of
   every person in it, as a small count would: such a cell is hidden as a numerator of 1 to 7
   is, with its secondary suppression. In a larger group a numerator or complement of 0 is
   shown, as a count of 0 is.

The attacker knows these rules and sees the published table. So they know a shown count c > 0
was between max(8, c - 2) and c + 2, a shown 0 was 0, a hidden cell was at least 1 (at least
0 when the total is hidden too; a hidden total was 1 to 7), and that each breakdown adds up to
the one total. From these, the values a hidden cell could take form an interval (`feasible`);
a cell is exposed when that interval holds a single value. The property tests
(tests/unit/test_disclosure*.py) check, with an attacker written independently, that no hidden
cell of any random table is exposed.

The numerator and the denominator of a proportion are protected as two tables; a numerator is
never larger than its denominator, so a hidden denominator (1 to 7) always hides a non-zero
numerator too. For a mean, the count of units is protected and the mean is shown only where
that count is.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from math import inf

from .definitions import Kind, Measure
from .intervals import Interval
from .results import Cell, Gap, MeasureResult, deprivation_gap, gap, value
from .results import interval as cell_interval

THRESHOLD = 7  # counts of 1 to THRESHOLD are suppressed
BASE = 5  # other counts are rounded to the nearest BASE
# A group of fewer people than this is small enough (a street, a care home, one practice's
# patients of one ethnic group and age band) for a 0% or 100% to say something about each
# person in it that a neighbour could recognise (rule 7).
SMALL_GROUP = 50


class InconsistentTable(ValueError):
    """A breakdown whose cells do not add up to the total: it cannot be protected."""


@dataclass(frozen=True)
class CountTable:
    """A total and its breakdowns, each a partition of the total into groups."""

    total: int
    breakdowns: Mapping[str, Mapping[str, int]]


@dataclass(frozen=True)
class ProtectedTable:
    total: int | None  # None: suppressed
    breakdowns: dict[str, dict[str, int | None]]
    primary: frozenset[tuple[str, str]] = field(default_factory=frozenset)
    secondary: frozenset[tuple[str, str]] = field(default_factory=frozenset)


def round_to_base(count: int, base: int = BASE) -> int:
    """To the nearest multiple of `base` (counts are whole, so with an odd base there is never
    a tie)."""
    return base * ((2 * count + base) // (2 * base))


TOTAL = ("", "")  # the total, where a set of cells names it


def protect(
    table: CountTable,
    *,
    threshold: int = THRESHOLD,
    base: int = BASE,
    also_hide: frozenset[tuple[str, str]] = frozenset(),
) -> ProtectedTable:
    """Suppress and round a table of counts (rules 1 to 5 above). `also_hide` names cells to
    hide whatever their count (TOTAL hides everything), as another table of the same units
    requires (rule 6); secondary suppression then protects them as it protects small ones."""
    for name, cells in table.breakdowns.items():
        if any(count < 0 for count in cells.values()):
            raise InconsistentTable(f"{name}: a count below zero")
        if sum(cells.values()) != table.total:
            raise InconsistentTable(f"{name}: cells add up to {sum(cells.values())}, not the total")
    if 1 <= table.total <= threshold or TOTAL in also_hide:
        return _hide_everything(table)
    primary = {
        (name, group)
        for name, cells in table.breakdowns.items()
        for group, count in cells.items()
        if 1 <= count <= threshold or (name, group) in also_hide
    }
    suppressed = set(primary)
    for name, cells in table.breakdowns.items():
        if sum((name, g) in suppressed for g in cells) == 1:
            _hide_next_smallest(table, name, suppressed)
    while exposed := _exposed_breakdowns(table, suppressed, threshold=threshold, base=base):
        for name in exposed:
            if not _hide_next_smallest(table, name, suppressed):
                return _hide_everything(table)  # nothing left to hide in it: show nothing
    return ProtectedTable(
        total=round_to_base(table.total, base),
        breakdowns={
            name: {
                group: None if (name, group) in suppressed else round_to_base(count, base)
                for group, count in cells.items()
            }
            for name, cells in table.breakdowns.items()
        },
        primary=frozenset(primary),
        secondary=frozenset(suppressed - primary),
    )


def _hide_everything(table: CountTable) -> ProtectedTable:
    cells = {(name, group) for name, groups in table.breakdowns.items() for group in groups}
    return ProtectedTable(
        total=None,
        breakdowns={name: dict.fromkeys(groups) for name, groups in table.breakdowns.items()},
        primary=frozenset(cells),
    )


def _hide_next_smallest(table: CountTable, name: str, suppressed: set[tuple[str, str]]) -> bool:
    """Hide the smallest shown non-zero cell of a breakdown (the first, on a tie)."""
    candidates = [
        (count, position, group)
        for position, (group, count) in enumerate(table.breakdowns[name].items())
        if count > 0 and (name, group) not in suppressed
    ]
    if not candidates:
        return False
    suppressed.add((name, min(candidates)[2]))
    return True


def feasible(
    published_total: int | None,
    published: Mapping[str, Mapping[str, int | None]],
    *,
    threshold: int = THRESHOLD,
    base: int = BASE,
) -> dict[tuple[str, str], tuple[float, float]]:
    """For each hidden cell, the least and most it could be, given only what is published and
    the rules (module docstring). Exact for tables whose breakdowns share only the total."""
    slack = base // 2

    everything_hidden = published_total is None  # rule 2: zeros are hidden too

    def box(shown: int | None, *, total: bool = False) -> tuple[float, float]:
        if shown is None:
            return (1, threshold) if total else (0 if everything_hidden else 1, inf)
        if shown == 0:
            return (0, 0)
        return (max(threshold + 1, shown - slack), shown + slack)

    boxes = {
        name: {group: box(shown) for group, shown in cells.items()}
        for name, cells in published.items()
    }
    low, high = box(published_total, total=True)
    for cells in boxes.values():
        low = max(low, sum(lo for lo, _ in cells.values()))
        high = min(high, sum(hi for _, hi in cells.values()))
    ranges = {}
    for name, cells in boxes.items():
        for group, (lo, hi) in cells.items():
            if published[name][group] is not None:
                continue
            others = [b for g, b in cells.items() if g != group]
            least = low - sum(h for _, h in others)
            most = high - sum(lo_ for lo_, _ in others)
            ranges[(name, group)] = (max(lo, least), min(hi, most))
    return ranges


def _exposed_breakdowns(
    table: CountTable, suppressed: set[tuple[str, str]], *, threshold: int, base: int
) -> list[str]:
    published = {
        name: {
            group: None if (name, group) in suppressed else round_to_base(count, base)
            for group, count in cells.items()
        }
        for name, cells in table.breakdowns.items()
    }
    ranges = feasible(round_to_base(table.total, base), published, threshold=threshold, base=base)
    return sorted({name for (name, _), (lo, hi) in ranges.items() if hi - lo < 1})


# --- A measure's result, published ----------------------------------------------------------


@dataclass(frozen=True)
class PublishedCell:
    """What may be shown outside the team. `units` and `numerator` are rounded counts, or None
    when suppressed; `value` and `interval` are computed from the rounded counts (for a mean,
    from the data, shown only when the count of units is)."""

    units: int | None
    numerator: int | None
    value: float | None
    interval: Interval | None

    @property
    def suppressed(self) -> bool:
        return self.units is None or (self.value is None and self.units != 0)


@dataclass(frozen=True)
class PublishedResult:
    result: MeasureResult
    total: PublishedCell
    breakdowns: dict[str, dict[str, PublishedCell]]
    gap: Gap | None


def hidden_cells(protected: ProtectedTable) -> frozenset[tuple[str, str]]:
    """The cells a protected table hides, TOTAL among them when the total is hidden."""
    cells = {
        (name, group)
        for name, groups in protected.breakdowns.items()
        for group, shown in groups.items()
        if shown is None
    }
    return frozenset(cells | ({TOTAL} if protected.total is None else set()))


def protect_outcomes(
    numerators: CountTable,
    others: CountTable,
    *,
    also_hide: frozenset[tuple[str, str]] = frozenset(),
) -> tuple[ProtectedTable, ProtectedTable]:
    """Protect the numerators of a proportion and their complements (denominator minus
    numerator) together (rule 6): a cell is shown in both or hidden in both, and each table's
    secondary suppression covers the cells hidden for the other's sake. `also_hide` names
    cells to hide whatever their counts (rule 7)."""
    hidden = also_hide
    while True:
        shown = protect(numerators, also_hide=hidden), protect(others, also_hide=hidden)
        now = hidden | hidden_cells(shown[0]) | hidden_cells(shown[1])
        if now == hidden:
            return shown
        hidden = now  # grows each time round, so this ends


def publish(measure: Measure, result: MeasureResult) -> PublishedResult:
    """The result with disclosure control applied, ready to show outside the team."""
    units = protect(_table(result, lambda cell: cell.units))
    if measure.kind == Kind.MEAN:
        numerators = None
    else:
        numerators, _ = protect_outcomes(
            _table(result, lambda cell: round(cell.numerator)),
            _table(result, lambda cell: cell.units - round(cell.numerator)),
            also_hide=whole_group_outcomes(result),
        )

    def cell(raw: Cell, shown_units: int | None, shown_numerator: int | None) -> PublishedCell:
        if measure.kind == Kind.MEAN:
            if shown_units is None or raw.units == 0:
                return PublishedCell(shown_units, None, None, None)
            return PublishedCell(
                shown_units, None, value(measure, raw), cell_interval(measure, raw)
            )
        if shown_units is None or shown_numerator is None or shown_units == 0:
            return PublishedCell(shown_units, shown_numerator, None, None)
        rounded = Cell(shown_units, shown_numerator)
        return PublishedCell(
            shown_units,
            shown_numerator,
            value(measure, rounded),
            cell_interval(measure, rounded),
        )

    def numerator(breakdown: str | None, group: str | None) -> int | None:
        if numerators is None:
            return None
        if breakdown is None or group is None:
            return numerators.total
        return numerators.breakdowns[breakdown][group]

    breakdowns = {
        name: {
            group: cell(raw, units.breakdowns[name][group], numerator(name, group))
            for group, raw in cells.items()
        }
        for name, cells in result.breakdowns.items()
    }
    total = cell(result.total, units.total, numerator(None, None))
    return PublishedResult(result, total, breakdowns, _published_gap(measure, result, breakdowns))


def whole_group_outcomes(result: MeasureResult) -> frozenset[tuple[str, str]]:
    """The cells of a small group where nobody or everybody had the outcome (rule 7)."""

    def whole(cell: Cell) -> bool:
        numerator = round(cell.numerator)
        # A group of 1 to 7 is hidden already (rules 1 and 2).
        return THRESHOLD < cell.units < SMALL_GROUP and numerator in (0, cell.units)

    cells = {
        (name, group)
        for name, groups in result.breakdowns.items()
        for group, cell in groups.items()
        if whole(cell)
    }
    return frozenset(cells | ({TOTAL} if whole(result.total) else set()))


def _table(result: MeasureResult, count: Callable[[Cell], int]) -> CountTable:
    return CountTable(
        total=count(result.total),
        breakdowns={
            name: {group: count(cell) for group, cell in cells.items()}
            for name, cells in result.breakdowns.items()
        },
    )


def _published_gap(
    measure: Measure, result: MeasureResult, breakdowns: dict[str, dict[str, PublishedCell]]
) -> Gap | None:
    quintiles = breakdowns.get("imd_quintile", {})
    most, least = quintiles.get("1"), quintiles.get("5")
    if most is None or least is None or most.value is None or least.value is None:
        return None
    if measure.kind == Kind.MEAN:
        return deprivation_gap(measure, result)
    high, low = _shown_counts(most), _shown_counts(least)
    if high is None or low is None:  # a shown proportion has its counts shown
        return None
    return gap(measure, high, low)


def _shown_counts(cell: PublishedCell) -> Cell | None:
    """The rounded counts a published proportion was computed from, when both are shown."""
    if cell.units is None or cell.numerator is None:
        return None
    return Cell(cell.units, cell.numerator)
