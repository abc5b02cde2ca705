"""The run plan: per-arm seconds, whether the LoRA budget fits its steps, and settings
that do fit, each checked by planning again with it."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

from eval.config import BehaviourConfig, KnowledgeConfig, LoraConfig
from eval.plan import SAFETY, lora_fit, plan_run, span
from eval.timing import Timing
from eval.workload import Workload

# The run from the issue: 100 examples, 70 train / 30 held-out, 4 approaches.
WORK = Workload(70, 30, {"prompt": 80, "few-shot": 600, "retrieved-shots": 600, "lora": 80},
                answer_tokens=16, lora_examples=70)  # fmt: skip
SLOW = Timing(prompt_token_s=0.001, answer_token_s=0.02, call_s=0.0, lora_step_s=17.0,
              lora_setup_s=25.0, source="earlier runs")  # fmt: skip
FAST = replace(SLOW, lora_step_s=2.0)


def behaviour(budget: float, **lora) -> BehaviourConfig:
    return BehaviourConfig(lora=LoraConfig(time_budget_s=budget, **lora))


def test_planned_steps_are_epochs_times_examples_over_batch():
    fit = lora_fit(behaviour(135).lora, WORK, SLOW)
    assert fit.planned_steps == math.ceil(2.0 * 70 / 4) == 35
    assert lora_fit(behaviour(135, max_steps=20).lora, WORK, SLOW).planned_steps == 20


def test_each_answering_arm_is_items_times_seconds_per_answer():
    plan = plan_run(behaviour(300), WORK, FAST)
    seconds = {arm.trial: arm.seconds for arm in plan.arms}
    assert seconds["prompt"] == pytest.approx(30 * (80 * 0.001 + 16 * 0.02))
    assert seconds["few-shot"] == pytest.approx(30 * (600 * 0.001 + 16 * 0.02))
    assert seconds["few-shot"] > seconds["prompt"]  # the longer prompt costs time
    assert plan.total_s == pytest.approx(sum(seconds.values()))


def test_a_budget_that_fits_says_so_and_trains_the_extra_seeds_it_allows():
    plan = plan_run(behaviour(300), WORK, FAST)
    assert plan.lora.fits and not plan.choices
    assert "35 steps fit the 300 s budget" in plan.line("cli")
    lora = next(a for a in plan.arms if a.trial == "lora")
    trainings = [s for s in lora.stages if s.kind == "train"]
    left = 300 - 35 * 2.0
    assert len(trainings) == 1 + min(2, int(left // (35 * 2.0 * 1.1)))  # as replicas_that_fit


def test_a_budget_that_does_not_fit_offers_choices_that_fit():
    config = behaviour(135)
    plan = plan_run(config, WORK, SLOW)
    assert not plan.lora.fits
    assert plan.lora.steps_in_budget == int(135 // 17.0) == 7
    assert {c.option for c in plan.choices} == {"time_budget_s", "epochs", "max_steps"}
    for choice in plan.choices:  # each one, planned again, fits
        kind = int if choice.option == "max_steps" else float
        changed = replace(config.lora, **{choice.option: kind(choice.value)})
        again = plan_run(replace(config, lora=changed), WORK, SLOW)
        assert again.lora.fits and not again.choices, choice
    budget = next(c for c in plan.choices if c.option == "time_budget_s").value
    assert budget >= 35 * 17.0 * SAFETY and budget % 10 == 0
    # the least that fits: 10 s less would not
    assert not lora_fit(replace(config.lora, time_budget_s=budget - 10), WORK, SLOW).fits


def test_the_cli_names_flags_and_the_web_names_its_controls():
    plan = plan_run(behaviour(135), WORK, replace(SLOW, lora_step_s=6.0))
    cli, web = plan.line("cli"), plan.line("web")
    assert "`--lora-budget " in cli and "`--lora-epochs " in cli and "`--lora-steps " in cli
    assert '"LoRA time budget (s)" at ' in web and "--" not in web
    assert "stop early" in cli and "stop early" in web


def test_a_budget_beyond_the_slider_is_not_offered_on_the_web():
    plan = plan_run(behaviour(135), WORK, SLOW)  # needs ~690 s; the slider stops at 600
    web = plan.line("web")
    assert "LoRA time budget (s)" not in web and "Nothing in this tab fits" in web
    assert "--" not in web


def test_a_served_adapter_trains_nothing_and_shares_no_budget():
    plan = plan_run(behaviour(20), WORK, SLOW, served=True)
    assert plan.lora is None and not plan.choices
    lora = next(a for a in plan.arms if a.trial == "lora")
    assert all(s.kind != "train" for s in lora.stages)


def test_knowledge_rag_and_lora_share_one_training_and_generation_comes_first():
    config = KnowledgeConfig(trials=("prompt", "rag", "lora", "rag+lora"))
    work = Workload(20, 20, {"prompt": 20, "rag": 170, "lora": 20, "rag+lora": 170}, 12,
                    84, generate_pairs=40)  # fmt: skip
    plan = plan_run(config, work, FAST)
    trains = [s for s in plan.stages() if s.kind == "train"]
    assert len(trains) == 1 and plan.stages()[0].name == "writing questions"
    assert plan.line("cli").startswith("Expected about") and "writing questions" in plan.line()


def test_span_rounds_as_people_say_it():
    assert (span(3), span(44), span(95), span(545)) == ("5 s", "45 s", "2 min", "9 min")


def test_a_knowledge_job_without_pairs_plans_their_generation_first(tmp_path):
    """From a job as the web builds it: documents only, so pairs are generated first."""
    from types import SimpleNamespace

    from eval.workload import workload_of

    config = KnowledgeConfig(trials=("prompt", "rag"))
    job = SimpleNamespace(kind="knowledge", config=config, pairs=None, qa_file=None)
    work = workload_of(job)
    assert work.generate_pairs == config.generate_pairs and work.answer_by_trial == {}
    plan = plan_run(config, work, FAST)
    assert plan.stages()[0].name == "writing questions" and plan.total_s > 0
