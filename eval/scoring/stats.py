"""Exact paired tests for two approaches scored on the same held-out items.

Both approaches answer the same items, so item difficulty cancels out when each item's
two scores are compared. Two kinds of score get two exact (or exactly valid) tests:

- 0/1 scores (accuracy, contains): only the discordant items carry information, so the
  test is the exact McNemar test (a binomial on those items);
- continuous scores (F1, ROUGE-L): the sign-flip (permutation) test, exact over every
  sign pattern up to 16 non-zero differences and Monte Carlo with the +1 correction above.

The matching intervals live in `eval.scoring.intervals`, the rule that turns a test and
an interval into a verdict in `eval.scoring.verdict`, sample sizes in `eval.scoring.power`.
The batched test takes one row per comparison (simulations call it on thousands at once);
the scalar form calls it with one row. All are deterministic for a `seed`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache
from statistics import NormalDist

import numpy as np

__all__ = [
    "discordant",
    "is_binary",
    "mcnemar_exact_p",
    "paired_diffs",
    "sign_flip_pvalue",
    "sign_flip_pvalues",
    "z_value",
]

EXACT_SIGN_FLIP_MAX = 16  # 2**16 sign patterns is still instant
SIGN_FLIP_RESAMPLES = 10_000
CHUNK_CELLS = 1_000_000  # resample in chunks so large item sets stay light on memory
TIE_TOLERANCE = 1e-9
_NORMAL = NormalDist()


def z_value(level: float = 0.95) -> float:
    """The two-sided normal quantile of a confidence level: 1.96 for 95%."""
    return _NORMAL.inv_cdf(1 - (1 - level) / 2)


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
    observed = np.abs(d.sum(axis=1)) - TIE_TOLERANCE
    nonzero = (d != 0).sum(axis=1)
    p = np.ones(len(d))
    exact = (nonzero > 0) & (nonzero <= EXACT_SIGN_FLIP_MAX)
    if exact.any():
        width = int(nonzero[exact].max())
        order = np.argsort(d[exact] == 0, axis=1, kind="stable")  # non-zero values first
        packed = np.take_along_axis(d[exact], order, axis=1)[:, :width]
        patterns, limits = _sign_patterns(width).T, observed[exact, None]
        step = max(1, CHUNK_CELLS // 2**width)
        p[exact] = np.concatenate([
            (np.abs(packed[i : i + step] @ patterns) >= limits[i : i + step]).mean(axis=1)
            for i in range(0, len(packed), step)
        ])  # fmt: skip
    drawn = nonzero > EXACT_SIGN_FLIP_MAX
    if drawn.any():
        rows = d[drawn]
        rng = np.random.default_rng(seed)
        step = max(1, CHUNK_CELLS // max(rows.shape[1], len(rows)))
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
