"""The run's progress bar only ever fills up, across stages of unknown number."""

from __future__ import annotations

from assistant.web.progress import MonotonicProgress


def test_bar_never_goes_back_when_a_stage_starts_over():
    shown: list[tuple[float, str]] = []
    bar = MonotonicProgress(lambda value, label: shown.append((value, label)))
    for stage, total in (("LoRA training", 12), ("LoRA answers", 20), ("forgetting probe", 2)):
        for done in range(total + 1):
            bar(stage, done, total)
    values = [v for v, _ in shown]
    assert values == sorted(values) and values[0] >= 0.0 and values[-1] < 1.0
    assert values[-1] > 0.85  # three stages done: most of the bar is filled
    assert shown[13] == (0.5, "LoRA answers (0/20)")  # a new stage starts where the last ended


def test_zero_total_and_overshoot_are_safe():
    shown: list[tuple[float, str]] = []
    bar = MonotonicProgress(lambda value, label: shown.append((value, label)))
    bar("indexing", 0, 0)
    bar("indexing", 7, 5)
    assert shown == [(0.0, "indexing"), (0.5, "indexing (7/5)")]
