"""Disclosure control, proved on random tables (hypothesis).

For any table of counts (a total and breakdowns that each add up to it):
- no published count is 1 to 7, every published count is a multiple of 5, a published 0 is a
  true 0 and every other published count is within 2 of the truth;
- no suppressed cell can be pinned down exactly by an attacker who knows the rules and sees the
  published cells and the published total, subtracting within a breakdown and across the
  breakdowns that share the total. The attacker here is written apart from the module's own:
  it enumerates every total the published figures allow and, for each, every value of the
  hidden cell the rest of its breakdown allows (and, for small tables, every whole table).
"""

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from oneroof.analytics.measures.definitions import BREAKDOWNS, MEASURES, Kind
from oneroof.analytics.measures.disclosure import CountTable, protect, publish
from oneroof.analytics.measures.periods import Period
from oneroof.analytics.measures.results import roll_up

MAX_CELL = 10**6  # an attacker's "no upper bound", far above any total here


@st.composite
def partitions(draw, total: int, groups: int) -> list[int]:
    """`total` split into `groups` cells, small cells and zeros likely."""
    cells = [0] * groups
    left = total
    for i in range(groups - 1):
        take = draw(st.one_of(st.integers(0, min(left, 9)), st.integers(0, left)))
        cells[i] = take
        left -= take
    cells[-1] = left
    return draw(st.permutations(cells))


@st.composite
def count_tables(draw, max_total: int = 150, max_groups: int = 7) -> CountTable:
    total = draw(st.one_of(st.integers(0, 20), st.integers(0, max_total)))
    breakdowns = {}
    for b in range(draw(st.integers(1, 4))):
        groups = draw(st.integers(1, max_groups))
        cells = draw(partitions(total, groups))
        breakdowns[f"breakdown{b}"] = {f"group{i}": c for i, c in enumerate(cells)}
    return CountTable(total, breakdowns)


def bounds(shown, *, everything_hidden: bool, base: int) -> tuple[int, int]:
    """What the attacker knows of one cell from its published figure."""
    if shown is None:
        return (0 if everything_hidden else 1, MAX_CELL)
    if shown == 0:
        return (0, 0)
    return (max(8, shown - base // 2), shown + base // 2)


def possible_totals(protected, base: int) -> range:
    if protected.total is None:
        return range(1, 8)
    lo, hi = bounds(protected.total, everything_hidden=False, base=base)
    return range(lo, hi + 1)


def attack(protected, base: int) -> dict[tuple[str, str], set[int]]:
    """Every value each hidden cell could have, given the published table."""
    hidden_all = protected.total is None
    boxes = {
        name: {g: bounds(v, everything_hidden=hidden_all, base=base) for g, v in cells.items()}
        for name, cells in protected.breakdowns.items()
    }

    def can_make(cells, total) -> bool:
        return sum(lo for lo, _ in cells) <= total <= sum(min(hi, total) for _, hi in cells)

    totals = [
        t for t in possible_totals(protected, base) if all(
            can_make(cells.values(), t) for cells in boxes.values()
        )
    ]  # fmt: skip
    found = {}
    for name, cells in protected.breakdowns.items():
        for group, shown in cells.items():
            if shown is not None:
                continue
            others = [box for g, box in boxes[name].items() if g != group]
            lo, hi = boxes[name][group]
            found[(name, group)] = {
                x for t in totals for x in range(lo, min(hi, t) + 1) if can_make(others, t - x)
            }
    return found


def brute_force(protected, base: int) -> dict[tuple[str, str], set[int]]:
    """The same, by listing every whole table the published figures allow (small tables)."""
    hidden_all = protected.total is None
    found = {
        (name, g): set()
        for name, cells in protected.breakdowns.items()
        for g, v in cells.items()
        if v is None
    }
    for t in possible_totals(protected, base):
        per_breakdown = {}
        for name, cells in protected.breakdowns.items():
            ranges = [
                range(lo, min(hi, t) + 1)
                for lo, hi in (
                    bounds(v, everything_hidden=hidden_all, base=base) for v in cells.values()
                )
            ]
            per_breakdown[name] = [c for c in itertools.product(*ranges) if sum(c) == t]
        if not all(per_breakdown.values()):
            continue  # no whole table has this total
        for name, tables in per_breakdown.items():
            groups = list(protected.breakdowns[name])
            for cells in tables:
                for group, x in zip(groups, cells, strict=True):
                    if (name, group) in found:
                        found[(name, group)].add(x)
    return found


def check_published_counts(table: CountTable, protected, base: int) -> None:
    shown = [(table.total, protected.total)] + [
        (table.breakdowns[name][group], value)
        for name, cells in protected.breakdowns.items()
        for group, value in cells.items()
    ]
    for truth, published in shown:
        if published is None:
            continue
        assert not 1 <= published <= 7
        assert published % base == 0
        assert (published == 0) == (truth == 0)
        assert abs(published - truth) <= base // 2


def check_nothing_exposed(table: CountTable, protected, possible) -> None:
    for (name, group), values in possible.items():
        truth = table.breakdowns[name][group]
        assert truth in values, "the attacker's reasoning is unsound"
        assert len(values) >= 2, f"{name}/{group} = {truth} can be worked out"


@settings(max_examples=400, deadline=None)
@given(count_tables())
def test_disclosure_published_counts_are_never_small_and_always_rounded(table):
    protected = protect(table)
    check_published_counts(table, protected, base=5)


@settings(max_examples=400, deadline=None)
@given(count_tables())
def test_disclosure_no_suppressed_cell_can_be_worked_out(table):
    protected = protect(table)
    check_nothing_exposed(table, protected, attack(protected, base=5))


@settings(max_examples=300, deadline=None)
@given(count_tables())
def test_disclosure_holds_without_rounding_too(table):
    # Suppression alone (counts shown exactly) is where subtraction bites hardest: the
    # secondary suppression has to do all the work.
    protected = protect(table, base=1)
    check_published_counts(table, protected, base=1)
    check_nothing_exposed(table, protected, attack(protected, base=1))


@settings(max_examples=200, deadline=None)
@given(count_tables(max_total=14, max_groups=3), st.sampled_from([1, 5]))
def test_disclosure_the_attack_agrees_with_listing_every_table(table, base):
    protected = protect(table, base=base)
    assert attack(protected, base) == brute_force(protected, base)


@settings(max_examples=300, deadline=None)
@given(count_tables())
def test_disclosure_a_breakdown_never_has_exactly_one_hidden_cell_under_a_shown_total(table):
    protected = protect(table)
    if protected.total is not None:
        for cells in protected.breakdowns.values():
            assert sum(v is None for v in cells.values()) != 1


# --- A measure's result ------------------------------------------------------------------


@st.composite
def measure_results(draw):
    """A measure and its result for one neighbourhood, rolled up from random units (so every
    breakdown describes the same units, as the engines' results do)."""
    measure = draw(st.sampled_from(MEASURES))
    groups = {
        key: [g.key for g in BREAKDOWNS[key].groups] or ["physio", "talking", "falls"]
        for key in measure.breakdowns
    }
    count = draw(st.one_of(st.integers(0, 25), st.integers(0, 150)))
    values = st.floats(0, 30) if measure.kind == Kind.MEAN else st.sampled_from([0.0, 1.0])
    grain = []
    for _ in range(count):
        value = draw(values)
        row = {key: draw(st.sampled_from(options)) for key, options in groups.items()}
        grain.append(
            {"neighbourhood_id": 1, **row, "units": 1, "numerator": value, "sum_squares": value**2}
        )
    [result] = roll_up(measure, grain, neighbourhoods=[1], period=Period.month(2026, 5))
    return measure, result


@settings(max_examples=300, deadline=None)
@given(measure_results())
def test_disclosure_published_measure_shows_no_small_count_and_rates_from_rounded(case):
    measure, result = case
    published = publish(measure, result)
    cells = [published.total] + [c for g in published.breakdowns.values() for c in g.values()]
    for cell in cells:
        for count in (cell.units, cell.numerator):
            assert count is None or (count % 5 == 0 and not 1 <= count <= 7)
        if measure.kind == Kind.MEAN:
            assert cell.numerator is None
            if cell.units is None:
                assert cell.value is None
        elif cell.value is not None:
            scale = 1000 if measure.kind == Kind.RATE else 1
            assert cell.value == cell.numerator / cell.units * scale
            low, high = cell.interval
            assert low <= cell.value <= high
