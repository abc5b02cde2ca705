"""Time left by the plan, re-estimated from what the run has done (a fake clock)."""

from __future__ import annotations

import pytest

from eval.eta import Eta
from eval.plan import ArmPlan, RunPlan, Stage


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def two_arm_plan() -> RunPlan:
    """10 quick answers (10 s), then a 90 s training stopped by a 100 s budget."""
    quick = ArmPlan("prompt", (Stage("zero-shot answers", 10.0, "answer", 10),))
    slow = ArmPlan("lora", (Stage("LoRA training", 90.0, "train", 30, cap_s=100.0),))
    return RunPlan("behaviour", 70, 10, (quick, slow))


def test_the_fraction_is_expected_time_not_stage_count():
    clock = Clock()
    eta = Eta(two_arm_plan(), clock)
    eta.update("zero-shot answers", 0, 10)
    clock.now = 10.0
    done = eta.update("zero-shot answers", 10, 10)
    # one of two stages done, but only 10 of 100 expected seconds: the bar says ~10%
    assert done.fraction == pytest.approx(0.1)
    assert done.seconds_left == pytest.approx(90.0)
    assert done.label == "zero-shot answers (10/10) — about 2 min left"


def test_observed_seconds_per_item_replace_the_plan():
    clock = Clock()
    eta = Eta(two_arm_plan(), clock)
    eta.update("zero-shot answers", 0, 10)
    clock.now = 4.0
    slow = eta.update("zero-shot answers", 2, 10)  # 2 s per answer, not 1 s
    # 8 answers left at 2 s, and the training (answers were twice as slow; training has
    # not been seen yet, so its own plan stands)
    assert slow.seconds_left == pytest.approx(8 * 2.0 + 90.0)
    clock.now = 20.0
    eta.update("LoRA training", 0, 30)
    clock.now = 30.0
    step = eta.update("LoRA training", 2, 30)  # 5 s per step: 140 s left, but the budget
    assert step.seconds_left == pytest.approx(100.0 - 10.0)  # stops it at 100 s


def test_the_bar_never_goes_back_and_never_reads_done_early():
    clock = Clock()
    eta = Eta(two_arm_plan(), clock)
    values = []
    for t, (stage, done) in enumerate([("zero-shot answers", 0), ("zero-shot answers", 5),
                                       ("LoRA training", 0), ("LoRA training", 1),
                                       ("LoRA training", 30)]):  # fmt: skip
        clock.now = 10.0 * t
        values.append(eta.update(stage, done, 30 if "LoRA" in stage else 10).fraction)
    assert values == sorted(values) and values[-1] < 1.0


def test_an_unplanned_stage_keeps_the_current_one():
    clock = Clock()
    eta = Eta(two_arm_plan(), clock)
    eta.update("zero-shot answers", 0, 10)
    clock.now = 10.0
    eta.update("zero-shot answers", 10, 10)
    reading = eta.update("converting the adapter for llama.cpp", 0, 1)
    assert reading.label.startswith("converting the adapter") and reading.seconds_left > 80
