"""Confidence intervals: Wilson for a proportion, Newcombe's hybrid score for a difference, t
for a mean, checked against the published worked examples and by their properties.

Worked examples: Newcombe RG, Two-sided confidence intervals for the single proportion:
comparison of seven methods, Statistics in Medicine 1998;17:857-872, table II, method 3 (score
interval without continuity correction); and Newcombe RG, Interval estimation for the
difference between independent proportions: comparison of eleven methods, Statistics in
Medicine 1998;17:873-890, table II, method 10 (hybrid score interval). Both to 4 places.
"""

from math import comb

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oneroof.analytics.measures.intervals import (
    mean_interval,
    newcombe_difference,
    t_975,
    welch_difference,
    wilson,
)


@pytest.mark.parametrize(
    ("successes", "trials", "low", "high"),
    [(81, 263, 0.2553, 0.3662), (15, 148, 0.0624, 0.1605), (0, 20, 0.0, 0.1611),
     (1, 29, 0.0061, 0.1718)],
)  # fmt: skip
def test_wilson_matches_newcombe_1998a_table_ii(successes, trials, low, high):
    assert wilson(successes, trials) == (
        pytest.approx(low, abs=5e-5),
        pytest.approx(high, abs=5e-5),
    )


@pytest.mark.parametrize(
    ("a", "m", "b", "n", "low", "high"),
    [
        (56, 70, 48, 80, 0.0524, 0.3339),
        (9, 10, 3, 10, 0.1705, 0.8090),
        (6, 7, 2, 7, 0.0582, 0.8062),
        (5, 56, 0, 29, -0.0381, 0.1926),
        (0, 10, 0, 20, -0.1611, 0.2775),
        (0, 10, 0, 10, -0.2775, 0.2775),
        (10, 10, 0, 20, 0.6791, 1.0000),
        (10, 10, 0, 10, 0.6075, 1.0000),
    ],
)
def test_newcombe_difference_matches_newcombe_1998b_table_ii(a, m, b, n, low, high):
    assert newcombe_difference(a, m, b, n) == (
        pytest.approx(low, abs=5e-5),
        pytest.approx(high, abs=5e-5),
    )


@st.composite
def proportions(draw):
    trials = draw(st.integers(1, 5000))
    return draw(st.integers(0, trials)), trials


@given(proportions())
def test_wilson_is_inside_0_and_1_and_holds_the_estimate(case):
    successes, trials = case
    low, high = wilson(successes, trials)
    assert 0.0 <= low <= successes / trials <= high <= 1.0
    assert low < high


@given(proportions())
def test_wilson_of_failures_mirrors_wilson_of_successes(case):
    successes, trials = case
    low, high = wilson(successes, trials)
    mirrored = wilson(trials - successes, trials)
    assert mirrored == (pytest.approx(1 - high, abs=1e-12), pytest.approx(1 - low, abs=1e-12))


def coverage(p: float, n: int) -> float:
    """The exact probability that the interval holds p when x ~ Binomial(n, p)."""
    return sum(
        comb(n, x) * p**x * (1 - p) ** (n - x)
        for x in range(n + 1)
        if (bounds := wilson(x, n))[0] <= p <= bounds[1]
    )


@pytest.mark.parametrize("n", [10, 30, 100, 400])
def test_wilson_covers_known_proportions_about_95_percent_of_the_time(n):
    grid = [i / 100 for i in range(1, 100)]
    covered = [coverage(p, n) for p in grid]
    # Newcombe (1998a): mean coverage close to nominal, the odd dip below it.
    assert 0.94 <= sum(covered) / len(covered) <= 0.96
    assert min(covered) >= 0.83
    # For proportions away from the edges it is never far off.
    assert min(c for p, c in zip(grid, covered, strict=True) if 0.1 <= p <= 0.9) >= 0.92


@given(proportions(), proportions())
def test_newcombe_difference_holds_the_difference_and_stays_in_minus_1_to_1(first, second):
    (a, m), (b, n) = first, second
    low, high = newcombe_difference(a, m, b, n)
    assert -1.0 - 1e-12 <= low <= a / m - b / n <= high <= 1.0 + 1e-12
    flipped = newcombe_difference(b, n, a, m)
    assert flipped == (pytest.approx(-high, abs=1e-12), pytest.approx(-low, abs=1e-12))


def test_intervals_of_nothing_are_none():
    assert wilson(0, 0) is None
    assert newcombe_difference(1, 2, 0, 0) is None
    assert mean_interval(1, 3.0, 9.0) is None


def test_t_975_against_the_table_and_beyond_it():
    assert t_975(1) == 12.706 and t_975(30) == 2.042
    assert t_975(40) == pytest.approx(2.021, abs=1e-3)
    assert t_975(60) == pytest.approx(2.000, abs=1e-3)
    assert t_975(120) == pytest.approx(1.980, abs=1e-3)


def test_mean_interval_is_the_t_interval():
    values = [1, 2, 3, 4, 5]  # mean 3, s = 1.5811, t(4) = 2.776
    low, high = mean_interval(5, sum(values), sum(v * v for v in values))
    half = 2.776 * 1.5811388 / 5**0.5
    assert (low, high) == (pytest.approx(3 - half), pytest.approx(3 + half))
    assert mean_interval(5, 15, 55, lowest=2.0, highest=3.5) == (2.0, 3.5)


def test_welch_difference_of_two_means():
    # Group 1: 1..5 (mean 3, variance 2.5); group 2: 2, 4, 6, 8 (mean 5, variance 20/3).
    low, high = welch_difference(5, 15, 55, 4, 20, 120)
    se = (2.5 / 5 + (20 / 3) / 4) ** 0.5
    df = se**4 / ((2.5 / 5) ** 2 / 4 + ((20 / 3) / 4) ** 2 / 3)  # 4.67: the table's 4
    assert int(df) == 4
    assert (low, high) == (pytest.approx(-2 - 2.776 * se), pytest.approx(-2 + 2.776 * se))
