"""Simulations of the verdict rule: how often it is decisive when nothing differs, and how
often it finds a difference that is there.

Each test draws thousands of paired comparisons at once (numpy), runs the product's own
statistics on all of them (the batched forms in `eval.scoring.stats` and `.intervals`)
and reads each with the product's rule (`eval.scoring.verdict.rule`). With exchangeable arms (each
item's two scores could be swapped without changing their distribution) a decisive
verdict is a false alarm, and its rate must stay at or below ALPHA plus three Monte Carlo
standard errors. Monte Carlo sign-flip tests here draw 2,000 patterns instead of the
product's 10,000: the +1 correction keeps them valid at any count, so only power could
suffer, and it is measured here at that lower count.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from eval.scoring.comparison import Comparison, read_together
from eval.scoring.intervals import bca_intervals, tango_intervals
from eval.scoring.stats import mcnemar_exact_p, sign_flip_pvalues
from eval.scoring.verdict import ALPHA, MARGIN, rule
from tests.fakes.runs import ones

SIZES = (10, 20, 30, 50, 100, 300)
REPS_BINARY = 4000
REPS_CONTINUOUS = 2000
DRAWS = 2000  # sign-flip patterns per Monte Carlo test in these simulations


def _ceiling(reps: int) -> float:
    """ALPHA plus three Monte Carlo standard errors of a rate over `reps` draws."""
    return ALPHA + 3 * math.sqrt(ALPHA * (1 - ALPHA) / reps)


def verdicts_binary(a: np.ndarray, b: np.ndarray, margin: float = MARGIN) -> list[str]:
    """The rule on each row of paired 0/1 scores: exact McNemar + Tango, as `measure` does."""
    wins, losses = (a > b).sum(axis=1), (a < b).sum(axis=1)
    n = np.full(len(a), a.shape[1])
    lows, highs = tango_intervals(wins, losses, n)
    return [
        rule((round(lo, 4), round(hi, 4)), mcnemar_exact_p(int(w), int(m)), margin)
        for lo, hi, w, m in zip(lows, highs, wins, losses, strict=True)
    ]


def verdicts_continuous(a: np.ndarray, b: np.ndarray, seed: int) -> list[str]:
    """The rule on each row of paired continuous scores: sign-flip + BCa."""
    d = a - b
    ps = sign_flip_pvalues(d, seed=seed, n_resamples=DRAWS)
    lows, highs = bca_intervals(d, seed=seed)
    return [rule((round(lo, 4), round(hi, 4)), p, MARGIN)
            for lo, hi, p in zip(lows, highs, ps, strict=True)]  # fmt: skip


def decisive_rate(verdicts: list[str]) -> float:
    return sum(v in ("better", "worse") for v in verdicts) / len(verdicts)


def exchangeable_binary(rng: np.random.Generator, reps: int, n: int):
    """Items of varied difficulty; both arms answer each independently with the same chance."""
    difficulty = rng.uniform(0.1, 0.9, size=(reps, n))
    return (rng.random((reps, n)) < difficulty) * 1.0, (rng.random((reps, n)) < difficulty) * 1.0


def exchangeable_continuous(rng: np.random.Generator, reps: int, n: int):
    """F1-like scores: item level plus arm noise, clipped to 0..1; a fifth of items tie."""
    level = rng.uniform(0.0, 1.0, size=(reps, n))
    a = np.clip(level + rng.normal(0, 0.25, size=(reps, n)), 0, 1)
    b = np.clip(level + rng.normal(0, 0.25, size=(reps, n)), 0, 1)
    tie = rng.random((reps, n)) < 0.2
    return a, np.where(tie, a, b)


@pytest.mark.parametrize("n", SIZES)
def test_no_difference_binary_decisive_rate_stays_at_alpha(n):
    a, b = exchangeable_binary(np.random.default_rng(n), REPS_BINARY, n)
    rate = decisive_rate(verdicts_binary(a, b))
    assert rate <= _ceiling(REPS_BINARY), f"n={n}: decisive in {rate:.2%} of null comparisons"


@pytest.mark.parametrize("n", SIZES)
def test_no_difference_continuous_decisive_rate_stays_at_alpha(n):
    a, b = exchangeable_continuous(np.random.default_rng(100 + n), REPS_CONTINUOUS, n)
    rate = decisive_rate(verdicts_continuous(a, b, seed=n))
    assert rate <= _ceiling(REPS_CONTINUOUS), f"n={n}: decisive in {rate:.2%}"


def test_two_baselines_read_together_keep_a_false_veto_at_alpha():
    # LoRA and both prompting baselines exchangeable: "worse" against either is a false
    # veto. Holm over the two keeps the rate of any false veto at ALPHA.
    rng = np.random.default_rng(7)
    reps, n = REPS_BINARY, 30
    difficulty = rng.uniform(0.1, 0.9, size=(reps, n))
    lora, few, shots = ((rng.random((reps, n)) < difficulty) * 1.0 for _ in range(3))
    pairs = [_comparisons(lora, few, "few-shot"), _comparisons(lora, shots, "retrieved-shots")]
    vetoes = [
        any(c.verdict == "worse" for c in read_together(both)) for both in zip(*pairs, strict=True)
    ]
    assert sum(vetoes) / reps <= _ceiling(reps)


def _comparisons(a: np.ndarray, b: np.ndarray, name: str) -> list[Comparison]:
    """Uncorrected stored-style comparisons of lora against `name`, one per row."""
    n = a.shape[1]
    wins, losses = (a > b).sum(axis=1), (a < b).sum(axis=1)
    lows, highs = tango_intervals(wins, losses, np.full(len(a), n))
    out = []
    for lo, hi, w, m in zip(lows, highs, wins, losses, strict=True):
        ci, p = (round(lo, 4), round(hi, 4)), mcnemar_exact_p(int(w), int(m))
        out.append(Comparison("lora", name, "accuracy", n, (w - m) / n, ci, p, "", None,
                              margin=MARGIN))  # fmt: skip
    return out


def test_a_planted_difference_of_point_two_is_found_at_n_100():
    rng = np.random.default_rng(11)
    reps, n = REPS_BINARY, 100
    # 0/1: a alone right on 25% of items, b alone on 5%, the rest tie (30% discordant).
    u = rng.random((reps, n))
    both = rng.random((reps, n)) < 0.5
    a = np.where(u < 0.25, 1.0, np.where(u < 0.30, 0.0, both * 1.0))
    b = np.where(u < 0.25, 0.0, np.where(u < 0.30, 1.0, both * 1.0))
    verdicts = verdicts_binary(a, b)
    assert verdicts.count("better") / reps >= 0.8 and "worse" not in verdicts
    # continuous: per-item differences 0.2 + uniform noise of +-0.8, scores within 0..1.
    reps = REPS_CONTINUOUS
    d = 0.2 + rng.uniform(-0.8, 0.8, size=(reps, n))
    a, b = 0.5 + d / 2, 0.5 - d / 2
    verdicts = verdicts_continuous(a, b, seed=3)
    assert verdicts.count("better") / reps >= 0.8


def test_identical_arms_on_300_items_are_equivalent():
    rng = np.random.default_rng(13)
    a, _ = exchangeable_binary(rng, 500, 300)
    assert set(verdicts_binary(a, a)) == {"equivalent"}
    c, _ = exchangeable_continuous(rng, 200, 300)
    assert set(verdicts_continuous(c, c, seed=1)) == {"equivalent"}
    # Arms that differ at random on 4% of items are equivalent nearly always at 300 ...
    flip = rng.random((2000, 300)) < 0.04
    near = np.where(flip, 1 - a[:1].repeat(2000, axis=0), a[:1].repeat(2000, axis=0))
    same = a[:1].repeat(2000, axis=0)
    assert verdicts_binary(near, same).count("equivalent") / 2000 >= 0.9
    # ... and never on 10 items, where the interval is far wider than the margin.
    assert "equivalent" not in verdicts_binary(a[:200, :10], a[:200, :10])


def test_four_wins_and_no_loss_of_thirty_is_not_decisive():
    a = np.array([ones(4, 30, start=0)]) + np.array([ones(13, 30, start=4)])
    b = np.array([ones(13, 30, start=4)])
    assert verdicts_binary(a, b) == ["inconclusive"]
    assert verdicts_binary(b, a) == ["inconclusive"]
