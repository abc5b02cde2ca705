"""The plan built from a recommendation: phases, durations, LoRA start, monitoring."""

from __future__ import annotations

import json
import re

from assistant.advice.decide import recommend
from assistant.advice.plan import build_plan, phase_cost
from assistant.advice.profile import Profile
from tests.fakes.profiles import READY


def _plan(data: dict):
    profile = Profile.from_dict(data)
    return build_plan(recommend(profile), profile)


def test_plan_for_prompt_has_no_lora_and_starts_with_evaluation():
    plan = _plan({})
    names = [p.name for p in plan.phases]
    assert names[0] == "Build the evaluation set"
    assert plan.phases[1].duration == (1, 2) and plan.phases[1].unit == "days"
    assert plan.lora_config is None
    assert "held-out" in plan.evaluation_first[0]


def test_plan_durations_follow_the_guidance():
    plan = _plan({**READY, "gaps": ["knowledge", "format"], "corpus_tokens": 3_000_000})
    by_name = {p.name: p for p in plan.phases}
    assert "Build the evaluation set" not in by_name  # an eval set already exists
    assert (
        by_name["Retrieval pipeline (RAG)"].duration,
        by_name["Retrieval pipeline (RAG)"].unit,
    ) == (
        (2, 4),
        "weeks",
    )
    assert by_name["Data curation and LoRA"].duration == (8, 12)  # 2-3 months
    lo, hi = plan.total_cost_usd
    assert 0 < lo < hi
    assert phase_cost("lora")[0] > phase_cost("rag")[1]  # many multiples of RAG


def test_plan_lora_configuration_and_monitoring():
    plan = _plan({**READY, "gaps": ["format"]})
    cfg = plan.lora_config
    assert cfg is not None
    assert (cfg["rank"], cfg["alpha"], cfg["learning_rate"], cfg["epochs"]) == (
        16,
        32,
        1e-4,
        [3, 5],
    )
    assert cfg["target_modules"] == "all-linear"
    mon = plan.monitoring
    assert (mon.cadence, mon.investigate_drop, mon.act_drop) == ("weekly", 0.03, 0.05)
    assert "roll back" in mon.action
    assert any("general-capability" in step for step in plan.evaluation_first)


def test_plan_serialises_and_warns_about_short_timelines():
    plan = _plan({**READY, "gaps": ["format"], "timeline_weeks": 4})
    phases = plan.to_list()
    assert phases == json.loads(json.dumps(phases))
    assert {"name", "duration", "cost_usd", "tasks"} <= set(phases[0])
    assert any(re.search(r"4-week timeline", note) for note in plan.notes)
    assert plan.to_dict()["phases"] == phases


def test_reviewed_examples_become_the_eval_set_in_days_not_weeks():
    plan = _plan({"labeled_examples": 800, "examples_reviewed": True, "has_eval_set": False})
    first = plan.phases[0]
    assert first.name == "Set aside the evaluation set from your reviewed examples"
    assert (first.duration, first.unit) == ((2, 4), "days")
    assert first.cost_usd[1] < _plan({}).phases[0].cost_usd[0]  # cheaper than building one
    assert plan.evaluation_first[0].startswith("Set aside 100-200 of your reviewed examples")
    unreviewed = _plan({"labeled_examples": 800, "examples_reviewed": False})
    assert unreviewed.phases[0].name == "Build the evaluation set"


def test_a_low_budget_with_a_large_plan_gets_a_comment():
    big = {**READY, "gaps": ["knowledge", "format"], "corpus_tokens": 3_000_000, "budget": "low"}
    plan = _plan(big)
    low, high = plan.total_cost_usd
    note = next(n for n in plan.notes if n.startswith("You said the budget is low"))
    assert f"${low:,}-${high:,}" in note and "fund the first phases" in note
    assert not any(n.startswith("You said") for n in _plan({**big, "budget": "high"}).notes)
