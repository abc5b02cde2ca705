"""The verdict rule: when a paired comparison may say better, worse or equivalent.

One rule for every comparison the product shows or reads:

- **better / worse** only when the exact paired test, after Holm's correction over the
  pairs read together (`holm`), gives p < ALPHA *and* the 95% interval of the
  difference lies on the same side of zero. The two are computed differently (an exact
  test, an asymptotic or bootstrap interval); a verdict needs both to agree.
- **equivalent** when the whole 95% interval lies inside ±margin: whatever the true
  difference is, it is smaller than the difference the team said matters. This is read
  first, so a tiny but "significant" gap on a huge set is still called equivalent.
- **inconclusive** otherwise, with the items that would find a difference of the margin
  (`eval.scoring.power`).

A decision between a cheaper and a costlier approach also reads *non-inferiority*
(`no_better_than_margin`): the costlier arm's advantage is below the margin at the
interval's upper end, so the cheaper arm is no worse than the margin. With two cheaper
baselines, each one-sided reading errs at most 2.5%, so at most 5% over both.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "ALPHA",
    "FLIP",
    "MARGIN",
    "VERDICTS",
    "holm",
    "no_better_than_margin",
    "rule",
]

ALPHA = 0.05
MARGIN = 0.05  # default margin: differences below 0.05 of the headline metric do not matter
VERDICTS = ("better", "worse", "equivalent", "inconclusive")
FLIP = {"better": "worse", "worse": "better", "equivalent": "equivalent",
        "inconclusive": "inconclusive"}  # fmt: skip


def holm(p_values: Sequence[float]) -> list[float]:
    """Holm step-down adjusted p-values, in the order given.

    Why: a decision that reads several pairs (LoRA against two prompting baselines) gets
    several chances at a false "worse"; Holm keeps the chance of any false verdict among
    them at ALPHA, and is never weaker than Bonferroni. Sorted ascending, the i-th of m
    p-values is multiplied by (m - i + 1); adjusted values never decrease along the sort.

    Example: [0.01, 0.04, 0.03] -> sorted 0.01, 0.03, 0.04 -> 0.03, 0.06, 0.04 -> made
    non-decreasing 0.03, 0.06, 0.06 -> in the given order [0.03, 0.06, 0.06].

    >>> [round(p, 4) for p in holm([0.01, 0.04, 0.03])]
    [0.03, 0.06, 0.06]
    >>> holm([0.2])
    [0.2]
    """
    m = len(p_values)
    order = sorted(range(m), key=lambda i: p_values[i])
    adjusted = [0.0] * m
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p_values[i]))
        adjusted[i] = running
    return adjusted


def rule(ci: tuple[float, float], p_adjusted: float, margin: float, alpha: float = ALPHA) -> str:
    """The verdict on a - b from its 95% interval, its adjusted p and the run's margin.

    A margin of 0 (runs stored before margins existed) never reads "equivalent".

    >>> rule((0.05, 0.3), 0.01, 0.05), rule((0.05, 0.3), 0.125, 0.05)
    ('better', 'inconclusive')
    >>> rule((-0.3, -0.01), 0.001, 0.05), rule((-0.02, 0.02), 1.0, 0.05)
    ('worse', 'equivalent')
    """
    low, high = ci
    if margin > 0 and -margin < low and high < margin:
        return "equivalent"
    if p_adjusted < alpha and low > 0:
        return "better"
    if p_adjusted < alpha and high < 0:
        return "worse"
    return "inconclusive"


def no_better_than_margin(ci: tuple[float, float], margin: float) -> bool:
    """Whether a (the costlier arm) is at most `margin` better than b at the upper end.

    Then the cheaper b is "no worse than the margin" (non-inferior): paying for a buys
    less than the difference that matters. False without a margin.

    >>> no_better_than_margin((-0.3, -0.01), 0.05), no_better_than_margin((-0.1, 0.2), 0.05)
    (True, False)
    """
    return margin > 0 and ci[1] < margin
