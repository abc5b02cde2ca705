"""Golden tests for eval.scoring.stats and .intervals: each statistic against hand-computed
values."""

from __future__ import annotations

import numpy as np
import pytest

from eval.scoring.forgetting import MIN_SCORE_FOR_FORGETTING, forgetting_measurable
from eval.scoring.intervals import (
    bca_interval,
    bca_intervals,
    mean_ci,
    tango_interval,
    wilson_interval,
)
from eval.scoring.stats import (
    discordant,
    is_binary,
    mcnemar_exact_p,
    paired_diffs,
    sign_flip_pvalue,
    sign_flip_pvalues,
)

# Two approaches with identical answers except item 3 (a right, b wrong): 1 of 20 differs.
ONE_FLIP_A = [1.0] * 10 + [0.0] * 10
ONE_FLIP_B = [1.0, 1.0, 1.0, 0.0] + [1.0] * 6 + [0.0] * 10
# A large consistent gap: a gets 16/20, b gets 2/20 and b's correct items are a's first two.
GAP_A = [1.0] * 16 + [0.0] * 4
GAP_B = [1.0] * 2 + [0.0] * 18


# --- paired_diffs ---------------------------------------------------------------------


def test_paired_diffs_golden() -> None:
    assert paired_diffs([1, 0, 1, 0.5], [0, 0, 1, 0.25]) == [1.0, 0.0, 0.0, 0.25]
    assert paired_diffs([], []) == []


def test_paired_diffs_length_mismatch_names_both_lengths() -> None:
    with pytest.raises(ValueError, match="3 and 2"):
        paired_diffs([1, 0, 1], [1, 0])


# --- mean_ci -------------------------------------------------------------------------


def test_mean_ci_degenerate_inputs() -> None:
    assert mean_ci([]) == (0.0, 0.0)
    assert mean_ci([0.7]) == (0.7, 0.7)
    assert mean_ci([1.0, 1.0, 1.0]) == (1.0, 1.0)
    assert mean_ci([0.123456] * 5) == (0.1235, 0.1235)  # rounded to 4 decimals


def test_mean_ci_two_items_spans_both() -> None:
    # Resampling [0, 1] gives means 0, 0.5, 1 with probabilities 1/4, 1/2, 1/4, so the
    # 2.5% and 97.5% percentiles of 2000 resampled means are 0 and 1.
    assert mean_ci([0.0, 1.0]) == (0.0, 1.0)


def test_mean_ci_contains_mean_within_range_and_narrows_with_level() -> None:
    values = [(i * 7 % 11) / 10 for i in range(30)]
    low, high = mean_ci(values)
    mean = sum(values) / len(values)
    assert min(values) <= low < mean < high <= max(values)
    low50, high50 = mean_ci(values, level=0.5)
    assert low < low50 < high50 < high


def test_mean_ci_rejects_bad_level() -> None:
    with pytest.raises(ValueError, match="level"):
        mean_ci([0.0, 1.0], level=1.5)


def test_same_seed_is_deterministic_and_seed_matters() -> None:
    values = [(i * 7 % 11) / 10 for i in range(30)]
    assert mean_ci(values, seed=3) == mean_ci(values, seed=3)
    assert len({mean_ci(values, seed=s) for s in range(5)}) > 1
    a = [1.0] * 20 + [0.0] * 20
    b = [0.0] * 12 + [1.0] * 8 + [0.0] * 20  # 20 non-zero diffs -> Monte Carlo
    assert sign_flip_pvalue(a, b, seed=7) == sign_flip_pvalue(a, b, seed=7)
    diffs = paired_diffs([x / 3 for x in a], b)
    assert bca_interval(diffs, seed=7) == bca_interval(diffs, seed=7)


# --- sign_flip_pvalue -----------------------------------------------------------------


def test_sign_flip_exact_tiny_case() -> None:
    # Diffs [1, 1, 1, 0]: three non-zero, 2**3 = 8 sign patterns; sums are
    # +3 (+++), -3 (---), and +-1 for the other six. |sum| >= 3 for 2 of 8 -> p = 0.25.
    assert sign_flip_pvalue([1, 1, 1, 0], [0, 0, 0, 0]) == 0.25
    assert sign_flip_pvalue([0, 0, 0, 0], [1, 1, 1, 0]) == 0.25


def test_sign_flip_exact_non_binary_scores() -> None:
    # Diffs [0.5, -0.25, 1.0, 0.0], observed sum 1.25. Sums of +-0.5 +-0.25 +-1.0 over the
    # 8 patterns: 1.75, 1.25, 0.75, 0.25, -0.25, -0.75, -1.25, -1.75 -> |sum| >= 1.25 for 4.
    a = [1.0, 0.5, 1.0, 0.3]
    b = [0.5, 0.75, 0.0, 0.3]
    assert sign_flip_pvalue(a, b) == 0.5


def test_sign_flip_exact_at_sixteen_nonzero() -> None:
    # 12 diffs of +1 and 4 of -1: sum 8. Under sign flips the number of +1s X ~ Bin(16, 1/2)
    # and |2X - 16| >= 8 iff X >= 12 or X <= 4:
    # 2 * (C(16,12)+C(16,13)+C(16,14)+C(16,15)+C(16,16)) / 2**16
    # = 2 * (1820 + 560 + 120 + 16 + 1) / 65536 = 5034 / 65536.
    a = [1.0] * 12 + [0.0] * 4
    b = [0.0] * 12 + [1.0] * 4
    assert sign_flip_pvalue(a, b) == 5034 / 65536


def test_sign_flip_monte_carlo_close_to_exact() -> None:
    # 17 non-zero diffs (12 of +1, 5 of -1, sum 7) -> Monte Carlo. Exact value:
    # 2 * (6188 + 2380 + 680 + 136 + 17 + 1) / 2**17 = 18804 / 131072 = 0.1435.
    a = [1.0] * 12 + [0.0] * 5
    b = [0.0] * 12 + [1.0] * 5
    assert sign_flip_pvalue(a, b) == pytest.approx(18804 / 131072, abs=0.01)


def test_sign_flip_monte_carlo_plus_one_correction() -> None:
    # 30 diffs all +1: a random sign pattern reaches |sum| 30 with probability 2 / 2**30,
    # so no draw hits and p = (0 + 1) / (999 + 1) -- never 0.
    assert sign_flip_pvalue([1.0] * 30, [0.0] * 30, n_resamples=999) == 0.001


def test_sign_flip_no_difference_and_single_flip() -> None:
    assert sign_flip_pvalue([1, 0, 1], [1, 0, 1]) == 1.0
    assert sign_flip_pvalue([], []) == 1.0
    # One non-zero diff: both patterns reach |sum| 1 -> p = 1.
    assert sign_flip_pvalue(ONE_FLIP_A, ONE_FLIP_B) == 1.0


# --- forgetting_measurable ------------------------------------------------------------


def test_forgetting_not_measurable_when_base_scores_near_zero() -> None:
    assert MIN_SCORE_FOR_FORGETTING == 0.2
    assert forgetting_measurable([0.0] * 40) is False
    assert forgetting_measurable([1.0] * 4 + [0.0] * 36) is False  # mean 0.1
    assert forgetting_measurable([]) is False


def test_forgetting_not_measurable_when_interval_spans_everything() -> None:
    # Two items [1, 0]: interval (0, 1), width 1 >= 0.8.
    assert forgetting_measurable([1.0, 0.0]) is False


def test_forgetting_measurable_for_a_capable_base() -> None:
    assert forgetting_measurable([1.0] * 28 + [0.0] * 12) is True  # mean 0.7 over 40
    assert forgetting_measurable([1.0] * 8 + [0.0] * 32) is True  # mean exactly 0.2


# --- 0/1 scores: exact McNemar and Tango's interval -----------------------------------


def test_binary_and_discordant_counts() -> None:
    assert is_binary([1, 0, 1.0], [0.0]) and not is_binary([1, 0.5])
    assert discordant(GAP_A, GAP_B) == (14, 0)
    assert discordant([1, 1, 0, 0], [0, 1, 1, 0]) == (1, 1)


@pytest.mark.parametrize(
    ("wins", "losses", "expected"),
    [
        (0, 0, 1.0),  # nothing discordant: nothing to test
        (4, 0, 2 / 2**4),  # 0.125: four wins of four is not enough
        (0, 4, 2 / 2**4),
        (5, 0, 2 / 2**5),  # 0.0625
        (6, 0, 2 / 2**6),  # 0.03125: the fewest one-sided wins below 0.05
        (5, 1, 2 * (1 + 6) / 2**6),  # 0.21875
        (8, 2, 2 * (1 + 10 + 45) / 2**10),  # 0.109375
        (20, 2, 2 * (1 + 22 + 231) / 2**22),  # 0.000121
        (3, 3, 1.0),  # 2 * P(X <= 3 | 6) = 1.3125, capped
    ],
)
def test_mcnemar_exact_small_tables(wins: int, losses: int, expected: float) -> None:
    assert mcnemar_exact_p(wins, losses) == pytest.approx(expected, rel=1e-12)


def test_mcnemar_equals_the_exact_sign_flip_on_zero_one_scores() -> None:
    # On 0/1 scores the sign-flip test over the discordant items is the binomial test.
    a = [1.0] * 9 + [0.0] * 3 + [1.0] * 8
    b = [0.0] * 9 + [1.0] * 3 + [1.0] * 8
    assert sign_flip_pvalue(a, b) == pytest.approx(mcnemar_exact_p(9, 3), rel=1e-12)


def test_tango_closed_forms() -> None:
    z2 = 1.959964**2  # 3.841459
    # No discordant item among n: the bounds are +-z^2 / (n + z^2).
    assert tango_interval(0, 0, 300) == (-0.0126, 0.0126)  # 3.841 / 303.841 = 0.01264
    assert tango_interval(0, 0, 10) == (-0.2775, 0.2775)  # 3.841 / 13.841 = 0.27753
    # n wins of n: T = sqrt(n (1 - t) / (1 + t)) = z at t = (n - z^2) / (n + z^2).
    assert tango_interval(20, 0, 20) == (round((20 - z2) / (20 + z2), 4), 1.0)  # 0.6777
    assert tango_interval(0, 20, 20) == (-1.0, round(-(20 - z2) / (20 + z2), 4))


def _constrained_loglik(q: np.ndarray, theta: float, wins: int, losses: int, n: int):
    """Log-likelihood of the paired table when P(a right, b wrong) - P(a wrong, b right) = theta."""
    qb, rest = q + theta, 1 - 2 * q - theta
    with np.errstate(divide="ignore", invalid="ignore"):
        ll = wins * np.log(qb) + losses * np.log(q) + (n - wins - losses) * np.log(rest)
    return np.where((qb > 0) & (q > 0) & (rest > 0), ll, -np.inf)


def test_tango_bounds_solve_the_score_equation_with_a_brute_force_fit() -> None:
    # 8 wins, 2 losses among 50: at each bound the score statistic, with the nuisance
    # probability fitted by brute force instead of the closed form, is +-1.96.
    from eval.scoring.intervals import tango_intervals

    wins, losses, n = 8, 2, 50
    low, high = (float(x[0]) for x in tango_intervals([wins], [losses], [n]))
    assert -0.02 < low < 0.12 < high < 0.3
    for theta, target in ((low, 1.959964), (high, -1.959964)):
        grid = np.linspace(1e-6, 0.5, 400_001)
        q = grid[np.argmax(_constrained_loglik(grid, theta, wins, losses, n))]
        t = (wins - losses - n * theta) / np.sqrt(n * (2 * q + theta * (1 - theta)))
        assert t == pytest.approx(target, abs=2e-3)


def test_tango_interval_does_not_collapse_when_arms_agree_on_every_item() -> None:
    # Ten items, both right on five and both wrong on five: no evidence of equivalence.
    low, high = tango_interval(0, 0, 10)
    assert high - low > 0.5


# --- continuous scores: BCa -----------------------------------------------------------


def test_bca_unvaried_differences_use_the_exact_zero_seen_bound() -> None:
    # share = 1 - 0.025**(1/n); a difference d moves to -1 or +1 at most.
    assert bca_interval([0.0] * 300) == (-0.0122, 0.0122)  # 1 - exp(ln 0.025 / 300)
    assert bca_interval([0.0] * 10) == (-0.3085, 0.3085)  # 1 - 0.025**0.1
    assert bca_interval([0.5] * 20) == (0.2473, 0.5842)  # 0.5 - 1.5 s, 0.5 + 0.5 s, s=0.1684


def test_bca_follows_skew_where_the_percentile_interval_does_not() -> None:
    # Forty small losses and five large wins: the mean's sampling distribution is skewed
    # right, so BCa moves both ends up compared with the percentile interval.
    diffs = [-0.1] * 40 + [0.9, 0.8, 1.0, 0.7, 0.95]
    low, high = bca_interval(diffs)
    p_low, p_high = mean_ci(diffs)
    assert low > p_low and high > p_high
    assert low < sum(diffs) / len(diffs) < high
    assert bca_interval([-x for x in diffs]) == (-high, -low)  # mirrored data, mirrored ends


def test_batched_statistics_equal_the_scalar_ones() -> None:
    rng = np.random.default_rng(5)
    rows = np.round(rng.uniform(-1, 1, size=(4, 25)), 2)
    rows[1, 20:] = 0.0
    lows, highs = bca_intervals(rows)
    ps = sign_flip_pvalues(rows)
    for i, row in enumerate(rows):
        assert bca_interval(list(row)) == (round(lows[i], 4), round(highs[i], 4))
        assert sign_flip_pvalue(list(row), [0.0] * 25) == ps[i]


def test_wilson_interval_hand_computed() -> None:
    # 0.3 of 30: centre (0.3 + z^2/60) / (1 + z^2/30) = 0.32270, half-width 0.15606.
    assert wilson_interval(0.3, 30) == (0.1666, 0.4788)
    assert wilson_interval(0.0, 300) == (0.0, 0.0126)
    assert wilson_interval(1.0, 10) == (0.7225, 1.0)
