"""How many held-out items a comparison needs, said up front and never from the observed gap.

A paired comparison's power depends on two things: the smallest difference that matters
(the run's margin δ, 0.05 of the headline metric by default) and how often the two
approaches disagree on an item (the *spread*: the mean squared per-item difference,
which for 0/1 scores is the share of discordant items). With the normal approximation

    n = (z_{1-alpha/2} + z_power)^2 * spread / δ^2

items find a true difference δ with the given power. Before a run the spread is assumed
(30% of items differ, `ASSUMED_SPREAD`); after it, the observed spread is used, and its
interval gives a range of item counts. The observed difference itself is never used:
"power" computed from it only restates the p-value.
"""

from __future__ import annotations

import math
from statistics import NormalDist

from eval.scoring.intervals import wilson_interval
from eval.scoring.stats import z_value

__all__ = [
    "ASSUMED_SPREAD",
    "POWER",
    "detectable_difference",
    "items_for_difference",
    "items_range",
    "power_at",
    "sample_size_note",
]

POWER = 0.8
ALPHA = 0.05
ASSUMED_SPREAD = 0.3  # before a run: about 30% of items answered differently by two arms


def _z_sum(alpha: float, power: float) -> float:
    return z_value(1 - alpha) + NormalDist().inv_cdf(power)


def _spread(delta: float, spread: float) -> float:
    """The spread floored at |δ|: a mean difference δ of 0/1 scores needs at least a
    share |δ| of discordant items, and no disagreement seen says nothing about the next
    items (so "0 items needed" is never the answer)."""
    return max(spread, abs(delta))


def items_for_difference(
    delta: float, spread: float = ASSUMED_SPREAD, *, alpha: float = ALPHA, power: float = POWER
) -> int | None:
    """Held-out items that find a true paired difference `delta` with `power`.

    None for delta 0 (no number of items finds a zero difference).

    Example: δ = 0.1 with 30% discordant items: 2.8016^2 * 0.3 / 0.01 = 235.5 -> 236.

    >>> items_for_difference(0.1), items_for_difference(0.05), items_for_difference(0)
    (236, 942, None)
    """
    if delta == 0:
        return None
    s = _spread(delta, spread)
    n = _z_sum(alpha, power) ** 2 * s / (delta * delta)
    return math.ceil(round(n, 9))  # round first so float noise cannot add an item


def power_at(
    n: int, delta: float, spread: float = ASSUMED_SPREAD, *, alpha: float = ALPHA
) -> float:
    """Chance that n items find a true difference `delta` (two-sided test at `alpha`).

    >>> power_at(236, 0.1), power_at(20, 0.05)
    (0.8, 0.06)
    """
    if n <= 0:
        return 0.0
    if delta == 0:
        return alpha  # a zero difference is "found" only by a false alarm
    s = _spread(delta, spread)
    return round(NormalDist().cdf(abs(delta) * math.sqrt(n / s) - z_value(1 - alpha)), 2)


def items_range(delta: float, spread: float, n: int) -> tuple[int, int] | None:
    """Items that find `delta`, from both ends of the observed spread's 95% interval.

    Why a range: the spread measured on n items is itself uncertain; a single number
    would hide that. Example: spread 0.3 on 30 items -> Wilson (0.167, 0.479) ->
    items for δ 0.05 between 524 and 1,504.

    >>> items_range(0.05, 0.3, 30)
    (524, 1504)
    """
    low, high = wilson_interval(spread, n)
    few, many = items_for_difference(delta, low), items_for_difference(delta, high)
    return None if few is None or many is None else (few, many)


def detectable_difference(
    n: int, *, spread: float = ASSUMED_SPREAD, alpha: float = ALPHA, power: float = POWER
) -> float:
    """Smallest paired difference that `n` held-out items find with `power`.

    Why: tells the user up front that "with 20 questions only differences above ~0.34
    will be clear": (z_{1-alpha/2} + z_power) * sqrt(spread / n), clamped to 1.0.

    >>> detectable_difference(20)
    0.3431
    """
    if n <= 0:
        return 1.0
    return round(min(1.0, _z_sum(alpha, power) * math.sqrt(spread / n)), 4)


def sample_size_note(n_heldout: int, margin: float = 0.05) -> str:
    """What a held-out set of this size can settle, said before anyone waits for a run.

    >>> sample_size_note(20)[:71]
    'With 20 held-out items, only differences above about 0.34 will be clear'
    """
    mde = detectable_difference(n_heldout)
    need = items_for_difference(margin) or 0
    found = power_at(n_heldout, margin)
    assumed = f"if about {ASSUMED_SPREAD:.0%} of items are answered differently"
    if n_heldout >= need:
        return (
            f"With {n_heldout} held-out items, a true difference of {margin:.2f} (the margin "
            f"that matters) is found with {found:.0%} power ({assumed})."
        )
    return (
        f"With {n_heldout} held-out items, only differences above about {mde:.2f} will be clear "
        f"(on a 0-1 score); a true difference of {margin:.2f} (the margin that matters) is "
        f"found with {found:.0%} power, and about {need:,} items would find it with "
        f"{POWER:.0%} power ({assumed})."
    )
