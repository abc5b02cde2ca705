"""The verdict rule and the stored comparison: hand-computed cases and the behaviours the
advice depends on (test and interval must agree, Holm within a family, equivalence)."""

from __future__ import annotations

import dataclasses

import pytest

from eval.scoring.comparison import Comparison, compare, measure, read_together
from eval.scoring.verdict import FLIP, holm, no_better_than_margin, rule
from tests.fakes.runs import ones, wins_losses

# --- Holm and the rule ----------------------------------------------------------------


def test_holm_hand_computed() -> None:
    # Sorted 0.01, 0.03, 0.04 times 3, 2, 1 = 0.03, 0.06, 0.04, then non-decreasing.
    assert [round(p, 10) for p in holm([0.01, 0.04, 0.03])] == [0.03, 0.06, 0.06]
    assert holm([0.2]) == [0.2]  # one pair: nothing to correct
    assert holm([0.6, 0.9]) == [1.0, 1.0]  # capped at 1
    assert holm([]) == []


@pytest.mark.parametrize(
    ("ci", "p", "margin", "expected"),
    [
        ((0.05, 0.3), 0.01, 0.05, "better"),
        ((0.05, 0.3), 0.125, 0.05, "inconclusive"),  # interval alone is not enough
        ((-0.3, -0.01), 0.001, 0.05, "worse"),
        ((-0.1, 0.2), 0.001, 0.05, "inconclusive"),  # p alone is not enough
        ((0.0, 0.2), 0.001, 0.05, "inconclusive"),  # touching 0 is not enough
        ((-0.02, 0.02), 1.0, 0.05, "equivalent"),
        ((0.01, 0.04), 0.001, 0.05, "equivalent"),  # a real but negligible gap
        ((-0.05, 0.02), 1.0, 0.05, "inconclusive"),  # touching the margin is not inside
        ((-0.02, 0.02), 1.0, 0.0, "inconclusive"),  # no margin (old runs): never equivalent
    ],
)
def test_rule(ci, p, margin, expected) -> None:
    assert rule(ci, p, margin) == expected


def test_non_inferiority_reads_the_upper_end_only() -> None:
    assert no_better_than_margin((-0.3, 0.04), 0.05)
    assert not no_better_than_margin((-0.3, 0.05), 0.05)
    assert not no_better_than_margin((-0.3, -0.1), 0.0)
    assert set(FLIP) == {"better", "worse", "equivalent", "inconclusive"}


# --- measure: the acceptance cases ------------------------------------------------------


def test_four_wins_of_thirty_is_inconclusive_although_the_interval_misses_zero() -> None:
    c = measure("lora", "few-shot", *wins_losses(4, 0, 30), "accuracy")
    assert (c.test, c.interval) == ("exact McNemar", "Tango score")
    assert c.p_value == 0.125 and c.ci95[0] > 0  # the two disagree ...
    assert c.verdict == "inconclusive"  # ... so no verdict
    assert c.delta == round(4 / 30, 4) and (c.mean_a, c.mean_b) == (0.5667, 0.4333)


def test_twenty_wins_two_losses_of_sixty_is_better() -> None:
    c = measure("a", "b", *wins_losses(20, 2, 60), "accuracy")
    assert c.p_value == pytest.approx(2 * 254 / 2**22)
    assert c.ci95[0] > 0.1 and c.verdict == "better"


def test_identical_scores_on_300_items_are_equivalent_and_on_10_are_not() -> None:
    scores = ones(150, 300)
    c = measure("few-shot", "lora", scores, scores, "accuracy")
    assert c.ci95 == (-0.0126, 0.0126) and c.verdict == "equivalent"
    small = measure("few-shot", "lora", ones(5, 10), ones(5, 10), "accuracy")
    assert small.ci95 == (-0.2775, 0.2775) and small.verdict == "inconclusive"
    f1 = [0.25, 0.5, 0.75] * 100  # continuous and identical: the zero-seen bound
    assert measure("a", "b", f1, f1, "f1").verdict == "equivalent"


def test_one_item_one_win_is_not_better() -> None:
    c = measure("a", "b", [1.0], [0.0], "accuracy")
    assert c.p_value == 1.0 and c.verdict == "inconclusive"
    assert measure("a", "b", [0.9], [0.1], "f1").verdict == "inconclusive"


def test_continuous_scores_use_sign_flip_and_bca() -> None:
    a = [0.2 + 0.6 * ((i * 7) % 11) / 10 for i in range(40)]
    b = [x - 0.15 + 0.05 * ((i * 3) % 5 - 2) for i, x in enumerate(a)]
    c = measure("a", "b", a, b, "field_f1")
    assert (c.test, c.interval) == ("sign-flip", "BCa bootstrap")
    assert c.p_value < 0.001 and 0.1 < c.ci95[0] < 0.15 < c.ci95[1] < 0.2
    assert c.verdict == "better"


def test_items_needed_come_from_the_margin_never_the_observed_gap() -> None:
    # One flipped item of 20: spread 0.05, floored at the margin 0.05, so
    # 2.8016**2 * 0.05 / 0.05**2 = 157 items; the range runs to the spread's upper bound.
    a, b = ones(3), ones(2)
    c = measure("rag", "prompt", a, b, "contains")
    assert c.items_needed == 157 and c.items_range[0] == 157 < c.items_range[1]
    assert c.extend_by == (137, c.items_range[1] - 20)
    wider = measure("rag", "prompt", a, b, "contains", margin=0.1)
    assert wider.items_needed < c.items_needed  # a bigger margin needs fewer items
    big_gap = measure("rag", "prompt", ones(16), ones(2), "contains")
    assert big_gap.items_needed > c.items_needed  # more disagreement needs more, not fewer


# --- compare: families, order, storage ---------------------------------------------------


def test_compare_corrects_the_decision_family_apart_from_the_rest() -> None:
    scores = {"prompt": ones(2, 60), "few-shot": ones(30, 60), "retrieved-shots": ones(31, 60),
              "lora": ones(40, 60)}  # fmt: skip
    family = [(("lora", "few-shot"), ("lora", "retrieved-shots"))]
    rows = {(c.a, c.b): c for c in compare(scores, "accuracy", families=family)}
    decision = [rows[("few-shot", "lora")], rows[("retrieved-shots", "lora")]]
    assert [c.family for c in decision] == [2, 2]
    assert [c.p_holm for c in decision] == holm([c.p_value for c in decision])
    rest = [c for k, c in rows.items() if "lora" not in k or "prompt" in k]
    assert {c.family for c in rest} == {4}


def test_compare_pairs_in_dict_order_and_skips_unpaired() -> None:
    scores = {"x": ones(16), "y": ones(2), "short": [1.0, 0.0], "z": ones(3)}
    assert [(c.a, c.b) for c in compare(scores, "f1")] == [("x", "y"), ("x", "z"), ("y", "z")]
    assert compare({"only": ones(3)}, "f1") == [] and compare({}, "f1") == []


def test_compare_is_deterministic_for_a_seed() -> None:
    a = [0.1 * (i % 10) for i in range(40)]
    b = [0.1 * ((i + 3) % 10) for i in range(40)]
    assert compare({"a": a, "b": b}, "m", seed=5) == compare({"a": a, "b": b}, "m", seed=5)


def test_comparison_round_trips_and_is_frozen() -> None:
    [c] = compare({"lora": ones(16), "base": ones(2)}, "exact_match")
    row = c.to_dict()
    assert row["p_value"] == 2 / 2**14 and row["p_adjusted"] == row["p_value"]
    assert row["verdict"] == "better" and row["margin"] == 0.05 and "stored" not in row
    assert Comparison.from_dict(row) == c
    with pytest.raises(dataclasses.FrozenInstanceError):
        c.delta = 0.0  # type: ignore[misc]


def test_old_rows_are_read_by_todays_rule() -> None:
    # Stored before margins: "better" from the interval alone at p = 0.125, and items
    # from the observed gap. Read now: inconclusive, no post-hoc item count.
    old = {
        "a": "lora",
        "b": "few-shot",
        "metric": "accuracy",
        "n": 30,
        "delta": 0.1333,
        "ci95": [0.0333, 0.2667],
        "p_value": 0.125,
        "verdict": "better",
        "items_needed": 468,
    }
    c = Comparison.from_dict(old)
    assert c.verdict == "inconclusive" and c.items_needed is None and c.extend_by is None
    assert (c.margin, c.p_holm, c.family, c.interval) == (0.0, 0.125, 1, "percentile bootstrap")
    decided = Comparison.from_dict(old | {"p_value": 0.001})
    assert decided.verdict == "better"


def test_read_together_recorrects_a_family_and_flipping_keeps_the_reading() -> None:
    # 10 wins, 2 losses of 60 against each baseline: p = 2 * 79 / 4096 = 0.0386 alone,
    # 0.0771 after Holm over both: a veto or a win needs more than one lucky pair.
    pairs = [measure("lora", "few-shot", *wins_losses(10, 2, 60), "accuracy"),
             measure("lora", "retrieved-shots", *wins_losses(10, 2, 60), "accuracy")]  # fmt: skip
    together = read_together(pairs)
    assert pairs[0].p_value == 2 * 79 / 4096 and pairs[0].verdict == "better"
    assert together[0].p_holm == 2 * pairs[0].p_value and together[0].verdict == "inconclusive"
    assert together[0].family == 2
    back = pairs[1].flipped()
    assert (back.a, back.verdict, back.mean_a) == ("retrieved-shots", "worse", pairs[1].mean_b)
    assert back.ci95 == (-pairs[1].ci95[1], -pairs[1].ci95[0]) and back.p_holm == pairs[1].p_holm
