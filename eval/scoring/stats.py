"""Paired tests and intervals for two approaches scored on the same held-out items.

Both approaches answer the same items, so item difficulty cancels out when each item's
two scores are compared. Two kinds of score get two exact-or-honest treatments:

- 0/1 scores (accuracy, contains): only the discordant items carry information, so the
  test is the exact McNemar test (a binomial on those items) and the interval Tango's
  score interval for a difference of paired proportions.
- continuous scores (F1, ROUGE-L): the sign-flip (permutation) test, exact over every
  sign pattern up to 16 non-zero differences and Monte Carlo with the +1 correction above,
  and a BCa bootstrap interval.

The rule that turns these into a verdict lives in `eval.scoring.verdict`, sample sizes in
`eval.scoring.power`. Functions that simulations call on thousands of comparisons at
once take 2-D arrays (one row per comparison); the scalar forms call them with one row,
so there is one implementation of each statistic. All are deterministic for a `seed`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache
from statistics import NormalDist

import numpy as np

__all__ = [
    "bca_interval",
    "bca_intervals",
    "discordant",
    "is_binary",
    "mcnemar_exact_p",
    "mean_ci",
    "paired_diffs",
    "sign_flip_pvalue",
    "sign_flip_pvalues",
    "tango_interval",
    "tango_intervals",
    "wilson_interval",
    "z_value",
]

EXACT_SIGN_FLIP_MAX = 16  # 2**16 sign patterns is still instant
SIGN_FLIP_RESAMPLES = 10_000
BOOTSTRAP_RESAMPLES = 2_000
_CHUNK_CELLS = 1_000_000  # resample in chunks so large item sets stay light on memory
_TIE_TOLERANCE = 1e-9
_NORMAL = NormalDist()


def z_value(level: float = 0.95) -> float:
    """The two-sided normal quantile of a confidence level: 1.96 for 95%."""
    return _NORMAL.inv_cdf(1 - (1 - level) / 2)


def _bootstrap_means(values: np.ndarray, rng: np.random.Generator, n_resamples: int) -> np.ndarray:
    """Means of `n_resamples` resamples (with replacement) of `values`."""
    n = len(values)
    rows = max(1, _CHUNK_CELLS // n)
    means = []
    for start in range(0, n_resamples, rows):
        size = min(rows, n_resamples - start)
        means.append(values[rng.integers(0, n, size=(size, n))].mean(axis=1))
    return np.concatenate(means)


def mean_ci(
    values: Sequence[float], *, seed: int = 0, n_resamples: int = 2000, level: float = 0.95
) -> tuple[float, float]:
    """Percentile bootstrap interval of one approach's mean score over items.

    Why: a score of 0.6 on 20 items could easily be 0.4 or 0.8 on another 20; the
    interval shows how far the number can be trusted. (Differences between two
    approaches get the paired intervals below, never two of these side by side.)

    >>> mean_ci([1.0, 1.0, 1.0])
    (1.0, 1.0)
    >>> mean_ci([])
    (0.0, 0.0)
    """
    if not 0.0 < level < 1.0:
        raise ValueError(f"level must be between 0 and 1, got {level}")
    arr = np.asarray(values, dtype=float)
    if arr.size == 0:
        return (0.0, 0.0)
    if np.all(arr == arr[0]):
        v = round(float(arr[0]), 4)
        return (v, v)
    means = _bootstrap_means(arr, np.random.default_rng(seed), n_resamples)
    tail = (1.0 - level) / 2 * 100
    low, high = np.percentile(means, [tail, 100 - tail])
    return (round(float(low), 4), round(float(high), 4))


def paired_diffs(a: Sequence[float], b: Sequence[float]) -> list[float]:
    """Per-item differences a_i - b_i; both lists must score the same items in order.

    >>> paired_diffs([1, 0, 1], [0, 0, 1])
    [1.0, 0.0, 0.0]
    """
    if len(a) != len(b):
        raise ValueError(f"paired scores need equal lengths, got {len(a)} and {len(b)}")
    return [float(x) - float(y) for x, y in zip(a, b, strict=True)]


def is_binary(*score_lists: Sequence[float]) -> bool:
    """Whether every score is exactly 0 or 1 (then McNemar and Tango apply).

    >>> is_binary([1, 0, 1], [0.0, 1.0]), is_binary([1, 0.5])
    (True, False)
    """
    return all(float(s) in (0.0, 1.0) for scores in score_lists for s in scores)


def discordant(a: Sequence[float], b: Sequence[float]) -> tuple[int, int]:
    """(wins, losses) of a over b: items only a got right, items only b got right.

    >>> discordant([1, 1, 0, 0], [0, 1, 1, 0])
    (1, 1)
    """
    diffs = paired_diffs(a, b)
    return sum(d > 0 for d in diffs), sum(d < 0 for d in diffs)


# --- tests -----------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def mcnemar_exact_p(wins: int, losses: int) -> float:
    """Two-sided exact McNemar p-value for paired 0/1 scores.

    Why: items both approaches got right (or wrong) say nothing about which is better;
    under "no difference" each of the k = wins + losses discordant items is equally
    likely to fall either way, so the count of wins is Binomial(k, 1/2) and
    p = min(1, 2 * P(X <= min(wins, losses))). Computed with exact integers.

    Example: 4 wins, 0 losses -> 2 * (1/2)**4 = 0.125 (never "better" on 4 items);
    20 wins, 2 losses -> 2 * (1 + 22 + 231) / 2**22 = 0.000121.

    >>> mcnemar_exact_p(4, 0), mcnemar_exact_p(0, 0), mcnemar_exact_p(3, 3)
    (0.125, 1.0, 1.0)
    """
    k = wins + losses
    if k == 0:
        return 1.0
    tail = sum(math.comb(k, i) for i in range(min(wins, losses) + 1))
    return min(1.0, 2 * tail / 2**k)


def _sign_patterns(k: int) -> np.ndarray:
    """All 2**k rows of +1/-1 signs for k values."""
    bits = (np.arange(2**k)[:, None] >> np.arange(k)) & 1
    return (1 - 2 * bits).astype(float)


def sign_flip_pvalues(
    diffs: np.ndarray, *, seed: int = 0, n_resamples: int = SIGN_FLIP_RESAMPLES
) -> np.ndarray:
    """Two-sided paired sign-flip p-values, one per row of per-item differences.

    Why: under "no difference" each item's two scores could be swapped, i.e. each
    difference's sign flipped. p is the share of sign patterns whose |sum| reaches the
    observed |sum|. Zero differences do not move under a flip, so a row with at most
    16 non-zero ones is tested exactly over all their patterns; larger rows draw
    `n_resamples` random patterns and report (hits + 1) / (n_resamples + 1), which keeps
    the test valid (p is never 0). Rows share the random patterns (each p stays valid).

    Example: differences [1, 1, 1, 0] -> 3 non-zero, 8 patterns, only +++ and --- reach
    |sum| 3, so p = 2/8 = 0.25.
    """
    d = np.atleast_2d(np.asarray(diffs, dtype=float))
    observed = np.abs(d.sum(axis=1)) - _TIE_TOLERANCE
    nonzero = (d != 0).sum(axis=1)
    p = np.ones(len(d))
    exact = (nonzero > 0) & (nonzero <= EXACT_SIGN_FLIP_MAX)
    if exact.any():
        width = int(nonzero[exact].max())
        order = np.argsort(d[exact] == 0, axis=1, kind="stable")  # non-zero values first
        packed = np.take_along_axis(d[exact], order, axis=1)[:, :width]
        patterns, limits = _sign_patterns(width).T, observed[exact, None]
        step = max(1, _CHUNK_CELLS // 2**width)
        p[exact] = np.concatenate([
            (np.abs(packed[i : i + step] @ patterns) >= limits[i : i + step]).mean(axis=1)
            for i in range(0, len(packed), step)
        ])  # fmt: skip
    drawn = nonzero > EXACT_SIGN_FLIP_MAX
    if drawn.any():
        rows = d[drawn]
        rng = np.random.default_rng(seed)
        step = max(1, _CHUNK_CELLS // max(rows.shape[1], len(rows)))
        hits = np.zeros(len(rows))
        for start in range(0, n_resamples, step):
            size = min(step, n_resamples - start)
            signs = rng.integers(0, 2, size=(size, rows.shape[1])) * 2.0 - 1.0
            hits += (np.abs(rows @ signs.T) >= observed[drawn, None]).sum(axis=1)
        p[drawn] = (hits + 1) / (n_resamples + 1)
    return p


def sign_flip_pvalue(
    a: Sequence[float], b: Sequence[float], *, seed: int = 0, n_resamples: int = SIGN_FLIP_RESAMPLES
) -> float:
    """`sign_flip_pvalues` for one pair of score lists (see there)."""
    d = np.asarray(paired_diffs(a, b), dtype=float)
    if d.size == 0:
        return 1.0
    return float(sign_flip_pvalues(d[None, :], seed=seed, n_resamples=n_resamples)[0])


# --- intervals -------------------------------------------------------------------------


def _tango_statistic(theta: np.ndarray, wins: np.ndarray, losses: np.ndarray,
                     n: np.ndarray) -> np.ndarray:  # fmt: skip
    """Tango's score statistic for a paired difference `theta` (decreasing in theta).

    q = P(a wrong, b right) is fitted by maximum likelihood under the constraint that
    the difference is theta (closed form, the root of 2n q^2 + B q + C = 0), and
    T = (wins - losses - n theta) / sqrt(n (2q + theta (1 - theta))).
    """
    big_b = -wins - losses + (2 * n - wins + losses) * theta
    big_c = -losses * theta * (1 - theta)
    q = (np.sqrt(np.maximum(big_b**2 - 8 * n * big_c, 0.0)) - big_b) / (4 * n)
    spread = n * (2 * q + theta * (1 - theta))
    top = wins - losses - n * theta
    with np.errstate(divide="ignore", invalid="ignore"):
        t = top / np.sqrt(np.maximum(spread, 0.0))
        edge = np.where(top == 0, 0.0, np.sign(top) * np.inf)
    return np.where(spread > 0, t, edge)


def tango_intervals(wins: np.ndarray, losses: np.ndarray, n: np.ndarray, *,
                    level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
    """Tango's score interval for a difference of paired proportions, per comparison.

    Why Tango: it inverts the score test of the paired difference, so it depends only on
    the discordant counts and n, never collapses to zero width (Newcombe's hybrid
    interval does when the two approaches agree on every item, which would call ten
    identical items "equivalent"), and at theta = 0 its statistic is McNemar's. The
    bounds solve T(theta) = +z and -z by bisection (T decreases in theta).

    Example: no discordant items among n gives +-z^2 / (n + z^2): +-0.0126 for n = 300,
    +-0.2775 for n = 10; n wins of n gives a lower bound (n - z^2) / (n + z^2).
    """
    w, l_, m = (np.asarray(x, dtype=float) for x in np.broadcast_arrays(wins, losses, n))
    z = z_value(level)
    estimate = (w - l_) / m
    bounds = []
    for target, lo, hi in ((z, -np.ones_like(m), estimate), (-z, estimate, np.ones_like(m))):
        lo, hi = lo.copy(), hi.copy()
        for _ in range(60):  # 2**-60 of the range: far below the rounding we show
            mid = (lo + hi) / 2
            above = _tango_statistic(mid, w, l_, m) > target
            lo, hi = np.where(above, mid, lo), np.where(above, hi, mid)
        bounds.append((lo + hi) / 2)
    low = np.where(estimate <= -1, -1.0, bounds[0])
    high = np.where(estimate >= 1, 1.0, bounds[1])
    return low, high


def tango_interval(wins: int, losses: int, n: int, *, level: float = 0.95) -> tuple[float, float]:
    """`tango_intervals` for one comparison, rounded to 4 decimals.

    >>> tango_interval(0, 0, 300)
    (-0.0126, 0.0126)
    """
    if n <= 0:
        return (-1.0, 1.0)
    low, high = tango_intervals(np.array([wins]), np.array([losses]), np.array([n]), level=level)
    return (round(float(low[0]), 4), round(float(high[0]), 4))


def _unvaried_bounds(value: np.ndarray, n: np.ndarray, level: float) -> tuple[np.ndarray, ...]:
    """Interval for a mean difference when all n observed differences equal `value`.

    A bootstrap of identical values has zero width and would call three identical
    items "equivalent". Instead: the share of items whose difference is not `value`
    is at most 1 - (tail)**(1/n) (the exact one-sided binomial bound with zero seen),
    and such an item moves the mean at most to -1 or +1 (scores are 0..1).
    Example: n = 300, value 0 -> +-0.0122; n = 10 -> +-0.3085.
    """
    share = 1 - ((1 - level) / 2) ** (1 / n)
    return value - (value + 1) * share, value + (1 - value) * share


def bca_intervals(diffs: np.ndarray, *, seed: int = 0, n_resamples: int = BOOTSTRAP_RESAMPLES,
                  level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
    """BCa bootstrap interval of the mean difference, one per row of differences.

    Why BCa: the percentile interval is off when the resampled means are skewed or
    biased (typical for scores piled up at 0 or 1); BCa corrects the percentiles with the
    bias z0 (the share of resampled means below the observed one) and the acceleration
    (the skewness of the jackknife means). Resamples are multinomial item counts shared
    by all rows. Rows with no variation get `_unvaried_bounds` instead.
    """
    d = np.atleast_2d(np.asarray(diffs, dtype=float))
    rows, n = d.shape
    theta = d.mean(axis=1)
    rng = np.random.default_rng(seed)
    step = max(1, _CHUNK_CELLS // max(n, rows))
    boot = np.empty((rows, n_resamples))
    for start in range(0, n_resamples, step):
        size = min(step, n_resamples - start)
        counts = rng.multinomial(n, np.full(n, 1.0 / n), size=size)
        boot[:, start : start + size] = d @ counts.T / n
    close = np.abs(boot - theta[:, None]) <= _TIE_TOLERANCE
    below = ((boot < theta[:, None]) & ~close).mean(axis=1) + 0.5 * close.mean(axis=1)
    below = np.clip(below, 1 / (n_resamples + 1), n_resamples / (n_resamples + 1))
    z0 = np.array([_NORMAL.inv_cdf(float(x)) for x in below])
    jack = (theta[:, None] * n - d) / max(n - 1, 1)
    dev = jack.mean(axis=1)[:, None] - jack
    top, spread = (dev**3).sum(axis=1), (dev**2).sum(axis=1)
    accel = np.divide(top, 6 * spread**1.5, out=np.zeros(rows), where=spread > 0)
    boot.sort(axis=1)
    ends = []
    for zq in (-z_value(level), z_value(level)):
        shifted = z0 + (z0 + zq) / (1 - accel * (z0 + zq))
        share = np.array([_NORMAL.cdf(float(x)) for x in shifted])
        index = np.clip(np.round(share * (n_resamples - 1)).astype(int), 0, n_resamples - 1)
        ends.append(boot[np.arange(rows), index])
    flat = np.all(d == d[:, :1], axis=1)
    if flat.any():
        low, high = _unvaried_bounds(d[:, 0], np.full(rows, n), level)
        ends = [np.where(flat, low, ends[0]), np.where(flat, high, ends[1])]
    return ends[0], ends[1]


def bca_interval(diffs: Sequence[float], *, seed: int = 0,
                 level: float = 0.95) -> tuple[float, float]:  # fmt: skip
    """`bca_intervals` for one list of differences, rounded to 4 decimals.

    >>> bca_interval([0.0] * 300)
    (-0.0122, 0.0122)
    """
    if not len(diffs):
        return (-1.0, 1.0)
    low, high = bca_intervals(np.asarray(diffs, dtype=float)[None, :], seed=seed, level=level)
    return (round(float(low[0]), 4), round(float(high[0]), 4))


def wilson_interval(share: float, n: int, *, level: float = 0.95) -> tuple[float, float]:
    """Wilson score interval of a share (or of the mean of a 0..1 quantity) over n items.

    For a 0..1 quantity that is not 0/1 the variance is at most share * (1 - share), so
    the interval is conservative. Example: 0 of 300 -> (0.0, 0.0126).

    >>> wilson_interval(0.0, 300)
    (0.0, 0.0126)
    """
    if n <= 0:
        return (0.0, 1.0)
    z = z_value(level)
    centre = (share + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(share * (1 - share) / n + z * z / (4 * n * n))
    return (round(max(0.0, centre - half), 4), round(min(1.0, centre + half), 4))
