"""Disclosure control on worked examples: what a reader outside the team sees."""

import pytest

from oneroof.analytics.measures import Period, measure, publish
from oneroof.analytics.measures.disclosure import (
    CountTable,
    InconsistentTable,
    feasible,
    protect,
    round_to_base,
)
from oneroof.analytics.measures.results import Cell, MeasureResult


def test_round_to_base_rounds_to_the_nearest_five():
    assert [round_to_base(n) for n in (0, 8, 9, 10, 12, 13, 17, 18, 102)] == [
        0, 10, 10, 10, 10, 15, 15, 20, 100,
    ]  # fmt: skip


def test_protect_hides_small_counts_and_the_next_smallest_in_the_breakdown():
    table = CountTable(100, {"sex": {"female": 60, "male": 37, "other": 3}})
    protected = protect(table)
    assert protected.total == 100
    # "other" (3) is hidden; "male" is hidden too, or 100 - 60 would give it away.
    assert protected.breakdowns["sex"] == {"female": 60, "male": None, "other": None}
    assert protected.secondary == {("sex", "male")}


def test_protect_leaves_zeros_shown_and_does_not_hide_them_for_secondary():
    table = CountTable(50, {"imd": {"1": 0, "2": 5, "3": 20, "4": 25, "5": 0}})
    assert protect(table).breakdowns["imd"] == {"1": 0, "2": None, "3": None, "4": 25, "5": 0}


def test_protect_hides_everything_when_the_total_is_small():
    table = CountTable(6, {"sex": {"female": 6, "male": 0}})
    protected = protect(table)
    assert protected.total is None
    assert protected.breakdowns == {"sex": {"female": None, "male": None}}


def test_protect_hides_a_third_cell_when_two_small_ones_would_still_add_up():
    # Shown exactly, 1 + 1 = 10 - 8 would reveal both ones; a third cell must go.
    table = CountTable(10, {"sex": {"female": 1, "male": 1, "other": 8}})
    assert protect(table, base=1).breakdowns["sex"] == {"female": None, "male": None, "other": None}


def test_protect_refuses_a_breakdown_that_does_not_add_up():
    with pytest.raises(InconsistentTable):
        protect(CountTable(10, {"sex": {"female": 4, "male": 5}}))


def test_feasible_shows_what_subtraction_gives_away():
    # With one cell hidden and the rest shown exactly, subtraction gives it.
    ranges = feasible(10, {"sex": {"female": 8, "male": None}}, base=1)
    assert ranges == {("sex", "male"): (2, 2)}


def test_publish_computes_rates_from_the_rounded_figures():
    carers = measure("carers-identified")
    result = MeasureResult(
        carers.key,
        1,
        Period.month(2026, 5),
        total=Cell(1003, 22),
        breakdowns={"sex": {"female": Cell(502, 14), "male": Cell(498, 5), "other": Cell(3, 3)}},
    )
    published = publish(carers, result)
    assert (published.total.units, published.total.numerator) == (1005, 20)
    assert published.total.value == pytest.approx(20 / 1005 * 1000)
    female, male, other = published.breakdowns["sex"].values()
    # 3 people of other sex are hidden, and so are the 498 men, or 1003 - 502 would give it.
    # The women's numerator (14) can be shown: the two hidden below it (5 and 3) hide each other.
    assert (female.units, female.numerator, female.value) == (500, 15, 30.0)
    assert (male.units, male.numerator) == (None, None) and male.suppressed
    assert (other.units, other.numerator) == (None, None) and other.suppressed


def test_publish_a_mean_only_where_its_count_is_shown():
    days = measure("time-to-appointment-same-day")
    result = MeasureResult(
        days.key,
        1,
        Period.month(2026, 5),
        total=Cell(24, 48.0, 120.0),
        breakdowns={"right": {"same_day": Cell(20, 40.0, 100.0), "within_48h": Cell(4, 8.0, 20.0),
                              "book_ahead": Cell(0, 0.0, 0.0)}},
    )  # fmt: skip
    published = publish(days, result)
    same_day, within_48h, book_ahead = published.breakdowns["right"].values()
    assert published.total.value == pytest.approx(2.0) and published.total.units == 25
    assert same_day.units is None and same_day.value is None  # hidden with the 4
    assert within_48h.units is None and within_48h.value is None
    assert book_ahead.units == 0 and not book_ahead.suppressed
