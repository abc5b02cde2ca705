"""Training variance: the behaviour LoRA trains with several seeds when the budget fits
them, and verdicts read each item's seed-averaged score."""

from __future__ import annotations

from types import SimpleNamespace

from assistant.core.rates import CostRates
from eval.config import BehaviourConfig, LoraConfig
from eval.runners.context import ItemResult
from eval.runners.lora.load import replicas_that_fit
from eval.scoring.summary import average_seeds, summarize


def answered(predictions: list[str]) -> list[ItemResult]:
    return [ItemResult(f"q{i}", "billing", p, 0.1) for i, p in enumerate(predictions)]


def test_each_item_gets_the_mean_of_its_seeds_and_the_spread_is_shown():
    first = answered(["billing", "billing", "returns", "billing"])
    summarize(first, "classification", CostRates(), labels=["billing", "returns"])
    others = [answered(["billing", "returns", "returns", "billing"]),
              answered(["returns", "returns", "returns", "billing"])]  # fmt: skip
    out = average_seeds(first, others, "classification", "accuracy", ["billing", "returns"])
    assert [i.scores["accuracy"] for i in first] == [0.6667, 0.3333, 0.0, 1.0]
    assert out["accuracy"] == 0.5 and out["seeds"] == {
        "n": 3, "means": [0.75, 0.5, 0.25], "spread": 0.5,
    }  # fmt: skip
    low, high = out["ci95_accuracy"]
    assert low <= 0.5 <= high


def context(budget: float, seeds: int = 3) -> SimpleNamespace:
    config = BehaviourConfig(lora=LoraConfig(time_budget_s=budget, seeds=seeds))
    return SimpleNamespace(config=config)


def first_training(seconds: float, stopped_early: bool = False) -> SimpleNamespace:
    return SimpleNamespace(extra={"train_seconds": seconds}, stopped_early=stopped_early)


def test_more_seeds_only_when_the_budget_fits_them_and_the_note_says_what_would():
    assert replicas_that_fit(context(600), first_training(100)) == (2, "")
    fits, note = replicas_that_fit(context(150), first_training(100))
    assert fits == 0 and "trained 1 of 3 seeds" in note and "about 330 s" in note
    fits, note = replicas_that_fit(context(600), first_training(100, stopped_early=True))
    assert fits == 0 and note  # a cut-short first training leaves no room
    assert replicas_that_fit(context(600, seeds=1), first_training(100)) == (0, "")
