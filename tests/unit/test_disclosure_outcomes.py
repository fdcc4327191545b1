"""Disclosure control of proportions and rates: a share near 0% or 100% in a small group tells
every person's outcome, so the complement (denominator minus numerator) is protected as a count
is (rule 6 of oneroof.analytics.measures.disclosure), proved on random results (hypothesis).

The attacker here is written apart from the module: it sees the published units and numerators
of every cell, knows the rules (a shown count c > 0 was within 2 of c and at least 8, a shown
0 was 0, a shown numerator's complement is 0 or at least 8, a cell adds up to its numerator
and its complement, each breakdown adds up to the totals) and lists, for each group, every
(units, numerator) pair those allow; then, by adding up the other groups' pairs, every value
a hidden numerator or complement could take. None may be pinned to one value.
"""

from functools import reduce

from hypothesis import given, settings
from hypothesis import strategies as st

from oneroof.analytics.measures import measure
from oneroof.analytics.measures.disclosure import publish
from oneroof.analytics.measures.periods import Period
from oneroof.analytics.measures.results import Cell, MeasureResult

MAY = Period.month(2026, 5)
SHARE = measure("fft-positive")  # any proportion
RATE = measure("carers-identified")


def result_of(cells: dict[str, dict[str, tuple[int, int]]], of=SHARE) -> MeasureResult:
    """A result from (units, numerator) per group; the total is the first breakdown's sum."""
    first = next(iter(cells.values()))
    return MeasureResult(
        of.key,
        1,
        MAY,
        total=Cell(sum(u for u, _ in first.values()), sum(n for _, n in first.values())),
        breakdowns={
            name: {g: Cell(u, n) for g, (u, n) in groups.items()} for name, groups in cells.items()
        },
    )


def test_publish_hides_a_share_whose_complement_is_small():
    # 10 of 12 met it: shown as 10 of 10, it would say everyone in the group did.
    published = publish(
        SHARE, result_of({"sex": {"female": (12, 10), "male": (40, 20), "other": (0, 0)}})
    )
    female, male, _ = published.breakdowns["sex"].values()
    assert female.units == 10 and female.numerator is None and female.suppressed
    # The men's share is hidden too, or the total would give the women's away.
    assert male.units == 40 and male.numerator is None and male.suppressed
    assert published.total.numerator == 30  # the total's complement is 22: shown


def test_publish_hides_a_small_group_where_all_but_a_few_met_it():
    # 95 of 100 and 2 of 30: the 95 hides, since 5 did not; 2 hides as a small count.
    published = publish(
        SHARE, result_of({"sex": {"female": (100, 95), "male": (30, 2), "other": (0, 0)}})
    )
    female, male, _ = published.breakdowns["sex"].values()
    assert female.value is None and male.value is None
    assert published.total.value == 95 / 130  # complement 33: shown, rounded 95 of 130


def test_publish_hides_a_true_zero_or_hundred_per_cent_in_a_small_group():
    # 20 of 20 and 0 of 30 tell the outcome of every person in each group.
    published = publish(
        SHARE, result_of({"sex": {"female": (20, 20), "male": (30, 0), "other": (0, 0)}})
    )
    female, male, _ = published.breakdowns["sex"].values()
    assert female.units == 20 and female.numerator is None and female.value is None
    assert male.units == 30 and male.numerator is None and male.value is None
    assert published.total.value == 20 / 50  # 20 of 50 is neither: shown


def test_publish_shows_a_true_zero_and_a_true_hundred_per_cent_in_a_large_group():
    published = publish(
        SHARE, result_of({"sex": {"female": (60, 60), "male": (80, 0), "other": (0, 0)}})
    )
    female, male, _ = published.breakdowns["sex"].values()
    assert (female.units, female.numerator, female.value) == (60, 60, 1.0)
    assert (male.units, male.numerator, male.value) == (80, 0, 0.0)


def test_publish_hides_every_share_when_the_total_complement_is_small():
    published = publish(
        SHARE, result_of({"sex": {"female": (40, 38), "male": (40, 39), "other": (0, 0)}})
    )
    cells = [published.total, *published.breakdowns["sex"].values()]
    assert all(c.numerator is None and c.value is None for c in cells)
    assert published.total.units == 80  # how many were counted is still shown


# --- the attacker ---------------------------------------------------------------------------


def box(shown: int | None, *, hidden_low: int, top: int) -> range:
    if shown is None:
        return range(hidden_low, top + 1)
    if shown == 0:
        return range(0, 1)
    return range(max(8, shown - 2), shown + 3)


def pairs(units: int | None, numerator: int | None, *, everything_hidden: bool, top: int):
    """Every (units, numerator) a cell could hold, given what is published of it."""
    found = set()
    for u in box(units, hidden_low=0 if everything_hidden else 1, top=top):
        for n in box(numerator, hidden_low=0, top=u):
            if n > u:
                continue
            c = u - n
            if numerator is not None and 1 <= c <= 7:
                continue  # a shown numerator's complement is not small
            found.add((u, n))
    return found


def add(left: set, right: set, top: int) -> set:
    return {(a + c, b + d) for a, b in left for c, d in right if a + c <= top}


def attack(published, top: int) -> dict[tuple[str, str], tuple[set, set]]:
    """For each cell with a hidden numerator: the numerators and complements it could have."""
    everything_hidden = published.total.units is None
    totals = pairs(
        published.total.units,
        published.total.numerator,
        everything_hidden=False,
        top=top,
    )
    options = {
        name: {
            g: pairs(c.units, c.numerator, everything_hidden=everything_hidden, top=top)
            for g, c in cells.items()
        }
        for name, cells in published.breakdowns.items()
    }
    for groups in options.values():  # totals every breakdown can make
        totals &= reduce(lambda a, b: add(a, b, top), groups.values(), {(0, 0)})
    found = {}
    for name, groups in options.items():
        for g, cell in published.breakdowns[name].items():
            if cell.numerator is not None or cell.units == 0:
                continue  # shown, or nobody to tell of
            others = [p for h, p in groups.items() if h != g]
            rest = reduce(lambda a, b: add(a, b, top), others, {(0, 0)})
            values = {(u, n) for u, n in groups[g] for t, m in totals if (t - u, m - n) in rest}
            found[(name, g)] = ({n for _, n in values}, {u - n for u, n in values})
    return found


@st.composite
def results(draw):
    """A proportion's result: units in groups of up to two breakdowns, each unit 1 or 0, with
    many groups where almost all or almost none are 1."""
    count = draw(st.integers(0, 40))
    lean = draw(st.sampled_from([0.03, 0.5, 0.97]))
    units = [
        (
            draw(st.sampled_from(["female", "male", "other"])),
            draw(st.sampled_from(["1", "2", "5"])),
            draw(st.floats(0, 1)) < lean,
        )
        for _ in range(count)
    ]

    def cells(index: int, groups) -> dict[str, Cell]:
        return {
            g: Cell(sum(u[index] == g for u in units), sum(u[index] == g and u[2] for u in units))
            for g in groups
        }

    return MeasureResult(
        SHARE.key,
        1,
        MAY,
        total=Cell(count, sum(u[2] for u in units)),
        breakdowns={
            "sex": cells(0, ["female", "male", "other"]),
            "imd_quintile": cells(1, ["1", "2", "5"]),
        },
    )


def cells_of(result: MeasureResult):
    yield ("", ""), result.total
    for name, groups in result.breakdowns.items():
        for g, cell in groups.items():
            yield (name, g), cell


@settings(max_examples=150, deadline=None)
@given(results())
def test_disclosure_no_shown_share_tells_the_outcome_of_one_to_seven_people(result):
    published = publish(SHARE, result)
    for (name, g), cell in cells_of(result):
        out = published.total if name == "" else published.breakdowns[name][g]
        if out.value is not None:
            n = round(cell.numerator)
            assert not 1 <= n <= 7 and not 1 <= cell.units - n <= 7, (name, g)
            assert cell.units >= 50 or n not in (0, cell.units), (name, g)
            assert out.numerator is not None and out.units is not None


@settings(max_examples=150, deadline=None)
@given(results())
def test_disclosure_no_hidden_numerator_or_complement_can_be_worked_out(result):
    published = publish(SHARE, result)
    top = (published.total.units or 7) + 2  # the most the total could be
    for (name, g), (numerators, complements) in attack(published, top).items():
        truth = result.breakdowns[name][g]
        n = round(truth.numerator)
        assert n in numerators and truth.units - n in complements, "the attack is unsound"
        assert len(numerators) >= 2, f"{name}/{g}: numerator {n} can be worked out"
        assert len(complements) >= 2, f"{name}/{g}: complement {truth.units - n} worked out"


@settings(max_examples=100, deadline=None)
@given(results())
def test_disclosure_a_rate_is_protected_as_a_proportion_is(result):
    as_rate = MeasureResult(RATE.key, 1, MAY, total=result.total, breakdowns=result.breakdowns)
    share, rate = publish(SHARE, result), publish(RATE, as_rate)
    assert [c.numerator for _, c in cells_of_published(share)] == [
        c.numerator for _, c in cells_of_published(rate)
    ]


def cells_of_published(published):
    yield ("", ""), published.total
    for name, groups in published.breakdowns.items():
        for g, cell in groups.items():
            yield (name, g), cell
