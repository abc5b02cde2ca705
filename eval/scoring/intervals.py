"""Intervals: one approach's mean score, and the paired difference of two approaches.

The paired intervals match the tests in `eval.scoring.stats` (a verdict needs both):

- 0/1 scores: Tango's score interval for a difference of paired proportions, which
  inverts the score test whose value at zero is McNemar's;
- continuous scores: a BCa bootstrap interval, with an exact zero-seen bound when every
  item's difference is the same (a bootstrap of identical values has no width).

Batched forms take one row per comparison (simulations call them on thousands at once);
the scalar forms call them with one row. All are deterministic for a `seed`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from statistics import NormalDist

import numpy as np

from eval.scoring.stats import CHUNK_CELLS, TIE_TOLERANCE, z_value

__all__ = [
    "bca_interval",
    "bca_intervals",
    "mean_ci",
    "tango_interval",
    "tango_intervals",
    "wilson_interval",
]

BOOTSTRAP_RESAMPLES = 2_000
_NORMAL = NormalDist()


def _bootstrap_means(values: np.ndarray, rng: np.random.Generator, n_resamples: int) -> np.ndarray:
    """Means of `n_resamples` resamples (with replacement) of `values`."""
    n = len(values)
    rows = max(1, CHUNK_CELLS // n)
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
    step = max(1, CHUNK_CELLS // max(n, rows))
    boot = np.empty((rows, n_resamples))
    for start in range(0, n_resamples, step):
        size = min(step, n_resamples - start)
        counts = rng.multinomial(n, np.full(n, 1.0 / n), size=size)
        boot[:, start : start + size] = d @ counts.T / n
    close = np.abs(boot - theta[:, None]) <= TIE_TOLERANCE
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
