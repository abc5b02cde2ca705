"""Uncertainty for comparing trial approaches scored on the same held-out items.

Each approach has one score per held-out item (0..1, often 0/1). With 20 or 50 items a
gap of a few points is usually noise, so every comparison carries a paired bootstrap
interval, a sign-flip p-value and a plain verdict ("better", "worse", "inconclusive").
Pairing matters: both approaches answer the same items, so item difficulty cancels out
and the interval is much narrower than comparing two independent means.

All functions are pure and deterministic for a given `seed`, so they are golden-tested.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from statistics import NormalDist
from typing import Any

import numpy as np

__all__ = [
    "MIN_SCORE_FOR_FORGETTING",
    "Comparison",
    "compare",
    "detectable_difference",
    "forgetting_measurable",
    "items_needed",
    "mean_ci",
    "paired_ci",
    "paired_diffs",
    "sign_flip_pvalue",
    "verdict",
]

MIN_SCORE_FOR_FORGETTING = 0.2
MAX_CI_WIDTH_FOR_FORGETTING = 0.8
EXACT_SIGN_FLIP_MAX = 16  # 2**16 sign patterns is still instant
_CHUNK_CELLS = 1_000_000  # resample in chunks so large item sets stay light on memory
_TIE_TOLERANCE = 1e-9


def _z(p: float) -> float:
    return NormalDist().inv_cdf(p)


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
    """Percentile bootstrap interval of the mean over items.

    Why: a score of 0.6 on 20 items could easily be 0.4 or 0.8 on another 20; the
    interval shows how far the number can be trusted. Items are resampled with
    replacement and the central `level` share of the resampled means is kept.

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


def paired_ci(
    a: Sequence[float],
    b: Sequence[float],
    *,
    seed: int = 0,
    n_resamples: int = 2000,
    level: float = 0.95,
) -> tuple[float, tuple[float, float]]:
    """Observed mean difference (a - b) and its paired bootstrap interval.

    Why paired: resampling the same item indices for both approaches is the same as
    resampling the per-item differences, so shared item difficulty cancels out.

    >>> paired_ci([1, 1, 1], [0, 0, 0])
    (1.0, (1.0, 1.0))
    """
    diffs = paired_diffs(a, b)
    delta = round(float(np.mean(diffs)), 4) if diffs else 0.0
    return delta, mean_ci(diffs, seed=seed, n_resamples=n_resamples, level=level)


def _sign_patterns(k: int) -> np.ndarray:
    """All 2**k rows of +1/-1 signs for k values."""
    bits = (np.arange(2**k)[:, None] >> np.arange(k)) & 1
    return 1 - 2 * bits


def sign_flip_pvalue(
    a: Sequence[float], b: Sequence[float], *, seed: int = 0, n_resamples: int = 10000
) -> float:
    """Two-sided paired permutation (sign-flip) test of the mean difference.

    Why: under "no difference" each item's a/b labels could be swapped, i.e. each
    difference's sign flipped. The p-value is the share of sign patterns whose |sum| is
    at least the observed |sum|. Zero differences do not change under a flip, so only
    non-zero ones are flipped: exactly over all 2**k patterns when k <= 16, otherwise by
    Monte Carlo with the +1 correction (p is never 0).

    Example: differences [1, 1, 1, 0] -> 3 non-zero, 8 patterns, only +++ and --- reach
    |sum| 3, so p = 2/8 = 0.25.
    """
    d = np.asarray(paired_diffs(a, b), dtype=float)
    d = d[d != 0]
    if d.size == 0:
        return 1.0
    observed = abs(d.sum()) - _TIE_TOLERANCE
    if d.size <= EXACT_SIGN_FLIP_MAX:
        sums = _sign_patterns(d.size) @ d
        return float(np.mean(np.abs(sums) >= observed))
    rng = np.random.default_rng(seed)
    rows = max(1, _CHUNK_CELLS // d.size)
    hits = 0
    for start in range(0, n_resamples, rows):
        size = min(rows, n_resamples - start)
        signs = rng.choice(np.array([-1.0, 1.0]), size=(size, d.size))
        hits += int(np.sum(np.abs(signs @ d) >= observed))
    return (hits + 1) / (n_resamples + 1)


def verdict(ci: tuple[float, float]) -> str:
    """Plain reading of a difference interval: only a gap whose interval excludes 0 counts.

    >>> verdict((0.05, 0.3)), verdict((-0.3, -0.01)), verdict((-0.1, 0.2))
    ('better', 'worse', 'inconclusive')
    """
    low, high = ci
    if low > 0:
        return "better"
    if high < 0:
        return "worse"
    return "inconclusive"


def items_needed(diffs: Sequence[float], *, alpha: float = 0.05, power: float = 0.8) -> int | None:
    """Held-out items needed to make the observed paired difference clear.

    Why: an "inconclusive" verdict should say how many items would settle it, using the
    normal approximation n = ceil(((z_{1-alpha/2} + z_power) * sd / |mean|)^2) with the
    sample sd of the differences. None when the mean difference is 0 (nothing to detect).

    Example: diffs [1, -1, 1, 1] -> mean 0.5, sd 1 -> (2.8016 * 2)^2 = 31.4 -> 32.
    """
    if not diffs:
        return None
    mean = float(np.mean(diffs))
    if mean == 0:
        return None
    sd = float(np.std(diffs, ddof=1)) if len(diffs) > 1 else 0.0
    if sd == 0:
        return len(diffs)
    n = ((_z(1 - alpha / 2) + _z(power)) * sd / abs(mean)) ** 2
    return math.ceil(round(n, 9))  # round first so float noise cannot add an item


def detectable_difference(
    n: int, *, discordant: float = 0.3, alpha: float = 0.05, power: float = 0.8
) -> float:
    """Smallest paired difference that `n` held-out items can reliably detect.

    Why: tells the user up front that "with 20 questions only differences above ~0.3
    will be clear". When a share `discordant` of items differ between two approaches,
    the sd of the paired 0/1 differences is about sqrt(discordant), so the detectable
    difference is (z_{1-alpha/2} + z_power) * sqrt(discordant / n), clamped to 1.0.

    >>> detectable_difference(20)
    0.3431
    """
    if n <= 0:
        return 1.0
    mde = (_z(1 - alpha / 2) + _z(power)) * math.sqrt(discordant / n)
    return round(min(1.0, mde), 4)


def items_for_difference(delta: float, *, discordant: float = 0.3) -> int:
    """Held-out items needed to detect a paired difference `delta` (inverse of the above).

    >>> items_for_difference(0.1)
    236
    """
    z = _z(1 - 0.05 / 2) + _z(0.8)
    return math.ceil(round(z * z * discordant / (delta * delta), 9))


def sample_size_note(n_heldout: int, *, target: float = 0.1) -> str:
    """What a held-out set of this size can settle, said before anyone waits for a run.

    >>> sample_size_note(20)[:71]
    'With 20 held-out items, only differences above about 0.34 will be clear'
    """
    mde = detectable_difference(n_heldout)
    need = items_for_difference(target)
    if n_heldout >= need:
        return (
            f"With {n_heldout} held-out items, differences of {target:.2f} or more will be clear."
        )
    return (
        f"With {n_heldout} held-out items, only differences above about {mde:.2f} will be clear "
        f"(on a 0-1 score); about {need} would show a {target:.2f} difference, so add more "
        "items if the approaches may be close."
    )


FLIP = {"better": "worse", "worse": "better", "inconclusive": "inconclusive"}


@dataclass(frozen=True)
class Comparison:
    """One pair of approaches on one metric; `delta` and `ci95` are a minus b.

    `stored` is False for a run recorded before comparisons existed: then nothing but
    "inconclusive, unknown size" may be read from it.
    """

    a: str
    b: str
    metric: str
    n: int
    delta: float
    ci95: tuple[float, float]
    p_value: float
    verdict: str
    items_needed: int | None
    stored: bool = True

    def to_dict(self) -> dict[str, Any]:
        row = asdict(self)
        row["ci95"] = list(self.ci95)
        del row["stored"]
        return row

    @classmethod
    def from_dict(cls, row: dict[str, Any]) -> Comparison:
        """A stored comparison row (`compare` in the CLI JSON and DuckDB)."""
        low, high = row.get("ci95") or (0.0, 0.0)
        needed = row.get("items_needed")
        return cls(
            a=str(row["a"]), b=str(row["b"]), metric=str(row.get("metric", "")),
            n=int(row.get("n") or 0), delta=float(row.get("delta") or 0.0),
            ci95=(float(low), float(high)), p_value=float(row.get("p_value", 1.0)),
            verdict=str(row["verdict"]), items_needed=int(needed) if needed else None,
        )  # fmt: skip

    def flipped(self) -> Comparison:
        """The same comparison read as b minus a."""
        low, high = self.ci95
        return replace(  # 0.0 - x, not -x: no "-0.00" in sentences
            self, a=self.b, b=self.a, delta=0.0 - self.delta, ci95=(0.0 - high, 0.0 - low),
            verdict=FLIP[self.verdict],
        )  # fmt: skip

    def winner_first(self) -> Comparison:
        """Read so a clear winner is named first ("worse" turned into "better")."""
        return self.flipped() if self.verdict == "worse" else self

    @property
    def extend_by(self) -> int | None:
        """Held-out items to add to settle an inconclusive pair; None when unknown.

        >>> Comparison("a", "b", "m", 20, 0.05, (-0.1, 0.2), 0.5, "inconclusive", 157).extend_by
        137
        """
        if not self.items_needed or not self.n:
            return None
        return max(self.items_needed - self.n, 1)


def _compare_pair(
    a: str, b: str, sa: list[float], sb: list[float], metric: str, seed: int
) -> Comparison:
    delta, ci = paired_ci(sa, sb, seed=seed)
    result = verdict(ci)
    needed = items_needed(paired_diffs(sa, sb)) if result == "inconclusive" else None
    p = sign_flip_pvalue(sa, sb, seed=seed)
    return Comparison(a, b, metric, len(sa), delta, ci, p, result, needed)


def compare(scores: dict[str, list[float]], metric: str, *, seed: int = 0) -> list[Comparison]:
    """Every unordered pair of approaches, in dict order (a is the earlier key).

    Pairs whose score lists differ in length did not score the same items, so they
    cannot be paired and are skipped. `items_needed` is only set for "inconclusive".
    """
    names = list(scores)
    out = []
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            if len(scores[a]) == len(scores[b]):
                out.append(_compare_pair(a, b, scores[a], scores[b], metric, seed))
    return out


def forgetting_measurable(base_scores: list[float], *, seed: int = 0) -> bool:
    """Whether the general probe can show a drop for this base model at all.

    Why: if the base model already scores near zero (mean below 0.2) there is nothing
    left to lose, and if its interval spans (almost) the whole 0..1 range (width >= 0.8)
    the probe is too small; either way "no forgetting" would be a false reassurance.
    """
    if not base_scores:
        return False
    if float(np.mean(base_scores)) < MIN_SCORE_FOR_FORGETTING:
        return False
    low, high = mean_ci(base_scores, seed=seed)
    return high - low < MAX_CI_WIDTH_FOR_FORGETTING
