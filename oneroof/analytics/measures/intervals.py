"""95% confidence intervals for the measures.

- A proportion (and a rate per 1,000, which is a proportion of residents scaled up): the Wilson
  score interval without continuity correction, method 3 of Newcombe (1998a). It stays inside
  [0, 1] and keeps close to 95% coverage for small counts and for proportions near 0 or 1,
  where the textbook Wald interval fails.
- The gap between two proportions (most minus least deprived quintile): Newcombe's hybrid
  score interval, method 10 of Newcombe (1998b), built from the two Wilson intervals.
- A mean (days to appointment, a continuity index): the Student t interval, mean +/- t(n-1) *
  s / sqrt(n), clipped to the values the measure can take; and for the gap between two means,
  Welch's interval, with the Welch-Satterthwaite degrees of freedom.

Newcombe RG. Two-sided confidence intervals for the single proportion: comparison of seven
methods. Statistics in Medicine 1998;17:857-872.
Newcombe RG. Interval estimation for the difference between independent proportions:
comparison of eleven methods. Statistics in Medicine 1998;17:873-890.
"""

from math import sqrt
from statistics import NormalDist

Z_95 = NormalDist().inv_cdf(0.975)  # 1.959963984540054

# Student t, 97.5th percentile, for 1 to 30 degrees of freedom (any statistics table).
_T_975 = (
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
    2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
    2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
)  # fmt: skip

Interval = tuple[float, float]


def t_975(df: float) -> float:
    """The 97.5th percentile of Student's t with `df` degrees of freedom.

    From the table up to 30 (a fractional df, from Welch, is rounded down, which widens the
    interval a little); beyond, the Cornish-Fisher expansion about the normal, which is good
    to 3 decimal places there."""
    if df < 1:
        raise ValueError("t needs at least 1 degree of freedom")
    if df <= 30:
        return _T_975[int(df) - 1]
    z = Z_95
    return z + (z**3 + z) / (4 * df) + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * df**2)


def wilson(successes: int, trials: int, z: float = Z_95) -> Interval | None:
    """The Wilson score interval for successes/trials; None when there are no trials."""
    if trials <= 0:
        return None
    if not 0 <= successes <= trials:
        raise ValueError(f"{successes} successes in {trials} trials")
    p = successes / trials
    z2 = z * z
    centre = p + z2 / (2 * trials)
    half = z * sqrt(p * (1 - p) / trials + z2 / (4 * trials * trials))
    scale = 1 + z2 / trials
    # Exactly 0 or 1 at the ends, not a rounding error's width inside them.
    low = 0.0 if successes == 0 else (centre - half) / scale
    high = 1.0 if successes == trials else (centre + half) / scale
    return low, high


def newcombe_difference(
    successes_1: int, trials_1: int, successes_2: int, trials_2: int, z: float = Z_95
) -> Interval | None:
    """Newcombe's hybrid score interval for p1 - p2; None if either group has no trials."""
    first, second = wilson(successes_1, trials_1, z), wilson(successes_2, trials_2, z)
    if first is None or second is None:
        return None
    p1, p2 = successes_1 / trials_1, successes_2 / trials_2
    (l1, u1), (l2, u2) = first, second
    d = p1 - p2
    return (
        d - sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2),
        d + sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2),
    )


def sample_variance(n: int, total: float, sum_squares: float) -> float | None:
    """The sample variance (n - 1 in the denominator) from n, the sum and the sum of squares."""
    if n < 2:
        return None
    mean = total / n
    # Rounding can leave a tiny negative number when every value is the same.
    return max(0.0, (sum_squares - n * mean * mean) / (n - 1))


def mean_interval(
    n: int,
    total: float,
    sum_squares: float,
    *,
    lowest: float | None = None,
    highest: float | None = None,
) -> Interval | None:
    """The t interval for a mean, clipped to [lowest, highest]; None for fewer than 2 values."""
    variance = sample_variance(n, total, sum_squares)
    if variance is None:
        return None
    mean = total / n
    half = t_975(n - 1) * sqrt(variance / n)
    low, high = mean - half, mean + half
    if lowest is not None:
        low = max(low, lowest)
    if highest is not None:
        high = min(high, highest)
    return low, high


def welch_difference(
    n_1: int, total_1: float, sum_squares_1: float, n_2: int, total_2: float, sum_squares_2: float
) -> Interval | None:
    """Welch's interval for mean 1 - mean 2; None unless both groups have 2 or more values."""
    v1, v2 = (
        sample_variance(n_1, total_1, sum_squares_1),
        sample_variance(n_2, total_2, sum_squares_2),
    )
    if v1 is None or v2 is None:
        return None
    a, b = v1 / n_1, v2 / n_2
    d = total_1 / n_1 - total_2 / n_2
    se2 = a + b
    if se2 == 0:
        return d, d
    df = se2 * se2 / (a * a / (n_1 - 1) + b * b / (n_2 - 1))
    half = t_975(df) * sqrt(se2)
    return d - half, d + half
