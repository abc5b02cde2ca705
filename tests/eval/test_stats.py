"""Golden tests for eval.scoring.stats: hand-computed values and the behaviours we need."""

from __future__ import annotations

import dataclasses

import pytest

from eval.scoring.stats import (
    MIN_SCORE_FOR_FORGETTING,
    Comparison,
    compare,
    detectable_difference,
    forgetting_measurable,
    items_needed,
    mean_ci,
    paired_ci,
    paired_diffs,
    sign_flip_pvalue,
    verdict,
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


# --- verdict --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ci", "expected"),
    [
        ((0.05, 0.3), "better"),
        ((-0.3, -0.01), "worse"),
        ((-0.1, 0.2), "inconclusive"),
        ((0.0, 0.2), "inconclusive"),  # touching 0 is not enough
        ((-0.2, 0.0), "inconclusive"),
        ((0.0, 0.0), "inconclusive"),
    ],
)
def test_verdict(ci: tuple[float, float], expected: str) -> None:
    assert verdict(ci) == expected


# --- mean_ci / paired_ci --------------------------------------------------------------


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


def test_paired_ci_all_equal_differences() -> None:
    assert paired_ci([1, 1, 1], [0, 0, 0]) == (1.0, (1.0, 1.0))
    assert paired_ci([0.5, 0.5], [0.5, 0.5]) == (0.0, (0.0, 0.0))
    assert paired_ci([], []) == (0.0, (0.0, 0.0))


def test_paired_ci_one_flip_golden() -> None:
    # Diffs: one 1 and nineteen 0s, mean 0.05. The resampled count of the flipped item is
    # Binomial(20, 0.05): P(0) = 0.358 > 2.5%, P(<=2) = 0.925 and P(<=3) = 0.984, so the
    # 95% interval is (0/20, 3/20).
    assert paired_ci(ONE_FLIP_A, ONE_FLIP_B) == (0.05, (0.0, 0.15))


def test_paired_ci_gap_golden_and_reverse() -> None:
    # Diffs: fourteen 1s, six 0s, mean 0.7. Resampled count ~ Binomial(20, 0.7):
    # P(<=9) = 0.017, P(<=10) = 0.048 -> low 10/20; P(<=17) = 0.965, P(<=18) = 0.992 -> 18/20.
    assert paired_ci(GAP_A, GAP_B) == (0.7, (0.5, 0.9))
    assert paired_ci(GAP_B, GAP_A) == (-0.7, (-0.9, -0.5))


def test_paired_ci_length_mismatch() -> None:
    with pytest.raises(ValueError, match="2 and 1"):
        paired_ci([1, 0], [1])


def test_same_seed_is_deterministic_and_seed_matters() -> None:
    values = [(i * 7 % 11) / 10 for i in range(30)]
    assert mean_ci(values, seed=3) == mean_ci(values, seed=3)
    assert len({mean_ci(values, seed=s) for s in range(5)}) > 1
    a = [1.0] * 20 + [0.0] * 20
    b = [0.0] * 12 + [1.0] * 8 + [0.0] * 20  # 20 non-zero diffs -> Monte Carlo
    assert sign_flip_pvalue(a, b, seed=7) == sign_flip_pvalue(a, b, seed=7)
    assert paired_ci(a, b, seed=7) == paired_ci(a, b, seed=7)


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


# --- items_needed / detectable_difference ---------------------------------------------
# z_0.975 + z_0.8 = 1.95996 + 0.84162 = 2.8016; its square is 7.8489.


def test_items_needed_golden() -> None:
    # Diffs [1, -1, 1, 1]: mean 0.5, sample sd sqrt((3 * 0.25 + 2.25) / 3) = 1,
    # n = (2.8016 * 1 / 0.5)^2 = 31.4 -> 32.
    assert items_needed([1, -1, 1, 1]) == 32


def test_items_needed_one_flip() -> None:
    # Diffs: one 1, nineteen 0s. mean 0.05, sample variance (1 - 20 * 0.05^2) / 19 = 0.05,
    # n = 2.8016^2 * 0.05 / 0.0025 = 7.8489 * 20 = 156.98 -> 157.
    assert items_needed(paired_diffs(ONE_FLIP_A, ONE_FLIP_B)) == 157


def test_items_needed_edge_cases() -> None:
    assert items_needed([]) is None
    assert items_needed([0.0, 0.0, 0.0]) is None
    assert items_needed([1.0, -1.0]) is None  # mean 0: nothing to detect
    assert items_needed([0.5, 0.5, 0.5]) == 3  # sd 0: already clear
    assert items_needed([1.0]) == 1
    # Stricter alpha or higher power needs more items.
    assert items_needed([1, -1, 1, 1], alpha=0.01) > 32
    assert items_needed([1, -1, 1, 1], power=0.9) > 32


def test_detectable_difference_golden() -> None:
    # 2.8016 * sqrt(0.3 / 20) = 2.8016 * 0.12247 = 0.3431
    assert detectable_difference(20) == 0.3431
    assert 0.3 < detectable_difference(20) < 0.4
    # 2.8016 * sqrt(0.3 / 100) = 0.1534
    assert detectable_difference(100) == 0.1534


def test_detectable_difference_decreases_with_n_and_clamps() -> None:
    values = [detectable_difference(n) for n in (5, 10, 20, 50, 100, 400)]
    assert values == sorted(values, reverse=True)
    assert len(set(values)) == len(values)
    assert detectable_difference(0) == 1.0
    assert detectable_difference(-3) == 1.0
    assert detectable_difference(1) == 1.0  # 1.53 clamped
    assert detectable_difference(20, discordant=0.6) > detectable_difference(20)


# --- compare: the behaviours the product depends on -----------------------------------


def test_one_flipped_item_is_inconclusive_and_asks_for_more_items() -> None:
    [result] = compare({"rag": ONE_FLIP_A, "base": ONE_FLIP_B}, "exact_match")
    assert (result.a, result.b, result.metric, result.n) == ("rag", "base", "exact_match", 20)
    assert result.delta == 0.05
    assert result.ci95 == (0.0, 0.15)
    assert result.p_value == 1.0
    assert result.verdict == "inconclusive"
    assert isinstance(result.items_needed, int)
    assert result.items_needed > 20
    assert result.items_needed == 157


def test_large_consistent_gap_is_better_and_reverse_is_worse() -> None:
    [forward] = compare({"lora": GAP_A, "base": GAP_B}, "exact_match")
    assert forward.verdict == "better"
    assert forward.delta == 0.7
    assert forward.ci95 == (0.5, 0.9)
    # 14 non-zero diffs, all +1: p = 2 / 2**14 exactly.
    assert forward.p_value == 2 / 2**14
    assert forward.p_value < 0.01
    assert forward.items_needed is None

    [reverse] = compare({"base": GAP_B, "lora": GAP_A}, "exact_match")
    assert reverse.verdict == "worse"
    assert reverse.delta == -0.7
    assert reverse.ci95 == (-0.9, -0.5)
    assert reverse.p_value < 0.01
    assert reverse.items_needed is None


def test_compare_pairs_in_dict_order_and_skips_unpaired() -> None:
    scores = {"x": GAP_A, "y": GAP_B, "short": [1.0, 0.0], "z": ONE_FLIP_B}
    pairs = [(c.a, c.b) for c in compare(scores, "f1")]
    assert pairs == [("x", "y"), ("x", "z"), ("y", "z")]
    assert compare({"only": GAP_A}, "f1") == []
    assert compare({}, "f1") == []


def test_compare_is_deterministic_for_a_seed() -> None:
    a = [1.0] * 20 + [0.0] * 20
    b = [0.0] * 12 + [1.0] * 8 + [0.0] * 20
    assert compare({"a": a, "b": b}, "m", seed=5) == compare({"a": a, "b": b}, "m", seed=5)


def test_comparison_to_dict_and_frozen() -> None:
    [result] = compare({"lora": GAP_A, "base": GAP_B}, "exact_match")
    assert result.to_dict() == {
        "a": "lora",
        "b": "base",
        "metric": "exact_match",
        "n": 20,
        "delta": 0.7,
        "ci95": [0.5, 0.9],
        "p_value": 2 / 2**14,
        "verdict": "better",
        "items_needed": None,
    }
    assert isinstance(result, Comparison)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.delta = 0.0  # type: ignore[misc]


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
