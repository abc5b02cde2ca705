"""Cost at the team's volume: golden numbers worked out by hand from measured trial times.

Rates are the cost assumptions: CPU $0.10/h, GPU $1.50/h, expert $150/h, 2 base-model
updates a year, review rounds of 8-16 hours, curation at 5-10 minutes per example.
"""

from __future__ import annotations

import json

import pytest

from assistant.advice import advise, evidence_from_run
from assistant.advice.costs import NO_EVIDENCE, NO_VOLUME, cost_table
from assistant.advice.evidence import Evidence
from assistant.advice.profile import Profile
from assistant.core.rates import CostRates
from tests.fakes.runs import NOISE, TEAM_MODEL, ones, stored_run

MILLION = 1_000_000
LORA_TRAIN = {"train_seconds": 360, "train_examples": 100, "steps": 50}


def behaviour_run(extras: dict[str, dict], backend: str = "", model: str = TEAM_MODEL) -> Evidence:
    """A behaviour run where few-shot scores best without an adapter, LoRA best overall.

    On the team's model by default: its seconds are the team's and price the serving.
    """
    items = {"prompt": ones(2), "few-shot": ones(10), "lora": ones(12)}
    run = stored_run("b1", items, kind="behaviour", task="classification", metric="accuracy",
                     extras=extras, model=model)  # fmt: skip
    if backend:
        run["run"]["settings"]["chat_backend"] = backend
    evidence = evidence_from_run(run)
    assert evidence is not None
    return evidence


def lines(profile: Profile, evidence: Evidence) -> dict:
    return {line.approach: line for line in cost_table(profile, [evidence]).lines}


def test_rates_live_in_one_place():
    rates = CostRates()
    assert (rates.cpu_serving_hour_usd, rates.gpu_serving_hour_usd) == (0.10, 1.50)
    assert rates.base_model_updates_per_year == 2


def test_monthly_serving_is_seconds_times_volume_times_rate():
    evidence = behaviour_run({"prompt": {"latency_p50_s": 0.5}})
    line = lines(Profile(monthly_queries=MILLION), evidence)["prompt"]
    # 0.5 s x 1,000,000 queries = 138.9 h; x $0.10/h = $13.89
    assert line.monthly_serving.low == pytest.approx(13.89, abs=0.005)
    assert line.monthly_serving.basis.startswith("measured p50 answer time 0.50 s")
    assert "on cpu at $0.10/h" in line.monthly_serving.basis
    assert "1,000,000 queries a month" in line.monthly_serving.basis
    assert (line.one_off.low, line.yearly_upkeep.low) == (0.0, 0.0)


def test_the_stored_mean_answer_time_prices_the_queries():
    stored = {"latency_p50_s": 0.3, "latency_mean_s": 0.5004}
    line = lines(Profile(monthly_queries=MILLION), behaviour_run({"prompt": stored}))["prompt"]
    assert line.monthly_serving.low == pytest.approx(13.90, abs=0.005)
    assert "measured mean answer time 0.50 s" in line.monthly_serving.basis


def test_a_gpu_trial_is_priced_at_the_gpu_rate():
    gpu = {"latency_p50_s": 0.5, "device": "cuda"}
    line = lines(Profile(monthly_queries=MILLION), behaviour_run({"prompt": gpu}))["prompt"]
    assert line.monthly_serving.low == pytest.approx(208.33, abs=0.005)  # 138.9 h x $1.50
    assert "on gpu at $1.50/h" in line.monthly_serving.basis


def test_lora_one_off_scales_training_to_the_team_and_adds_curation():
    cut = {"latency_p50_s": 0.5, "train_seconds": 100, "train_examples": 50, "steps": 20,
           "planned_steps": 40}  # fmt: skip
    line = lines(Profile(monthly_queries=MILLION), behaviour_run({"lora": cut}))["lora"]
    # 100 s for 20 of 40 steps -> 200 s for 50 examples = 4 s each; no examples yet, so
    # the guidance's 500-2,000: 2,000-8,000 s = $0.0556-$0.2222 at $0.10/h. Curation:
    # 500 x 5 min = 41.7 h -> $6,250; 2,000 x 10 min = 333.3 h -> $50,000.
    assert line.one_off.low == pytest.approx(6250 + 2000 / 36000, rel=1e-9)
    assert line.one_off.high == pytest.approx(50000 + 8000 / 36000, rel=1e-9)
    assert "(20 of 40 planned steps)" in line.one_off.basis
    assert "500-2,000 examples (guidance" in line.one_off.basis
    # Upkeep: 2 updates x (re-training + an 8-16 h review round at $150/h)
    assert line.yearly_upkeep.low == pytest.approx(2 * (2000 / 36000 + 1200))
    assert line.yearly_upkeep.high == pytest.approx(2 * (8000 / 36000 + 2400))


def test_lora_breaks_even_at_the_volume_where_cheaper_serving_pays_back():
    extras = {
        "prompt": {"latency_p50_s": 1.0},
        "few-shot": {"latency_p50_s": 2.0, "prompt_tokens_p50": 900},
        "lora": {"latency_p50_s": 0.5, "prompt_tokens_p50": 60, **LORA_TRAIN},
    }
    profile = Profile(labeled_examples=1000, examples_reviewed=True, monthly_queries=5 * MILLION)
    table = cost_table(profile, [behaviour_run(extras, backend="llamacpp")])
    lora = {line.approach: line for line in table.lines}["lora"]
    # 360 s for 100 examples -> 3,600 s for 1,000 = 1 h = $0.10; reviewed: no curation
    assert (lora.one_off.low, lora.one_off.high) == pytest.approx((0.10, 0.10))
    assert (lora.yearly_upkeep.low, lora.yearly_upkeep.high) == pytest.approx((2400.2, 4800.2))
    [even] = table.break_even
    assert (even.adapter, even.baseline) == ("lora", "few-shot")  # the best-scoring prompt
    # saving (2.0 - 0.5) s x $0.10/h = $0.0000417 a query; x 12 months = $0.0005 a year
    # per monthly query: $2,400.30 / 0.0005 = 4,800,600; $4,800.30 / 0.0005 = 9,600,600
    assert (even.queries.low, even.queries.high) == (4_800_600, 9_600_600)
    assert "from about 4.8M–9.6M queries a month" in even.sentence
    assert "$41.67 cheaper per million queries" in even.sentence
    assert "only if costs land at the low end" in even.sentence  # 5M is inside the range
    assert "part of the speed gap is the engine (prompt tokens p50: 60 vs 900)" in even.sentence
    assert "On quality, LoRA fine-tuning vs few-shot prompting: inconclusive" in even.sentence
    assert "on accuracy (p = " in even.sentence  # the verdict stands next to its p-value
    bigger = cost_table(profile.with_(monthly_queries=10 * MILLION), [behaviour_run(extras)])
    assert "pays back within the first year" in bigger.break_even[0].sentence
    assert "engine" not in bigger.break_even[0].sentence  # backend unknown: no claim


def test_a_lora_that_is_not_cheaper_per_query_never_breaks_even():
    extras = {
        "few-shot": {"latency_p50_s": 2.0},
        "lora": {"latency_p50_s": 2.5, **LORA_TRAIN},
    }
    table = cost_table(Profile(monthly_queries=MILLION), [behaviour_run(extras)])
    [even] = table.break_even
    assert not even.queries.known and even.queries.low is None
    assert even.sentence.startswith("LoRA fine-tuning never pays back against few-shot")
    assert "$69.44 per million queries against $55.56" in even.sentence


def test_no_evidence_or_no_volume_gives_an_empty_table_with_its_reason():
    assert cost_table(Profile(monthly_queries=MILLION), []).reason == NO_EVIDENCE
    unmeasured = evidence_from_run(stored_run("k1", NOISE))  # summaries without times
    assert cost_table(Profile(monthly_queries=MILLION), [unmeasured]).reason == NO_EVIDENCE
    measured = behaviour_run({"prompt": {"latency_p50_s": 0.5}})
    empty = cost_table(Profile(), [measured])
    assert empty.reason == NO_VOLUME and empty.lines == () and empty.break_even == ()


def test_unmeasured_figures_stay_unknown_and_the_control_is_no_option():
    extras = {
        "prompt": {"latency_p50_s": 1.0},
        "rag": {"latency_p50_s": 1.5},
        "lora": {"latency_p50_s": 0.8},  # no training numbers stored
        "lora-base": {"latency_p50_s": 0.7},
    }
    run = stored_run("k2", {n: ones(3) for n in extras}, extras=extras, model=TEAM_MODEL)
    table = cost_table(Profile(monthly_queries=MILLION), [evidence_from_run(run)])
    by_name = {line.approach: line for line in table.lines}
    assert set(by_name) == {"prompt", "rag", "lora"}
    assert not by_name["rag"].one_off.known and "index" in by_name["rag"].one_off.basis
    assert not by_name["lora"].one_off.known and not by_name["lora"].yearly_upkeep.known
    assert "is unknown" in table.break_even[0].sentence


def test_a_lora_cut_short_by_its_time_budget_still_counts_for_costs():
    extras = {"lora": {"latency_p50_s": 0.5, "completion_tokens_p50": 12,
                       "stopped_by": "time_budget", **LORA_TRAIN}}  # fmt: skip
    run = stored_run("b2", {"prompt": ones(2), "lora": ones(5)}, extras=extras,
                     statuses={"lora": "partial"})  # fmt: skip
    evidence = evidence_from_run(run)
    assert "lora" not in evidence.scores  # no verdict from a partial trial
    assert evidence.measures["lora"]["status"] == "partial"


def test_costs_reach_the_advice_and_round_trip_with_the_evidence():
    evidence = behaviour_run({"prompt": {"latency_p50_s": 0.5}, "lora": {"latency_p50_s": 0.4}})
    assert Evidence.from_dict(json.loads(json.dumps(evidence.to_dict()))) == evidence
    advice = advise(Profile(monthly_queries=MILLION), evidence=[evidence])
    data = json.loads(json.dumps(advice.to_dict()))
    assert data["costs"]["monthly_queries"] == MILLION
    assert data["costs"]["lines"][0]["monthly_serving"]["low"] == pytest.approx(13.89, abs=0.005)
    assert advise(Profile()).to_dict()["costs"]["reason"] == NO_EVIDENCE


def test_the_teams_own_rates_from_settings_price_the_table():
    from assistant.core.settings import load_settings

    settings = load_settings(env={"ADVISOR_CPU_USD_PER_HOUR": "0.4",
                                  "ADVISOR_EXPERT_USD_PER_HOUR": "90"})  # fmt: skip
    rates = CostRates.from_settings(settings)
    assert rates.cpu_serving_hour_usd == 0.4 and rates.expert_hour_usd == 90.0
    assert rates.gpu_serving_hour_usd == 1.5 and rates.engineer_day_usd == 800
    measured = {"latency_p50_s": 0.5, "device": "cpu"}
    from assistant.advice.costs import per_query

    default, _ = per_query(measured)
    own, basis = per_query(measured, rates)
    assert own == pytest.approx(default * 4) and "$0.40/h" in basis


# --- stand-in runs: priced from token counts, trained at the plan's GPU hours ------------


def test_a_stand_in_run_is_priced_from_its_tokens_not_its_seconds():
    extras = {"prompt": {"latency_mean_s": 9.0, "prompt_tokens_mean": 70.0,
                         "completion_tokens_mean": 4.0},
              "few-shot": {"latency_mean_s": 0.1, "prompt_tokens_mean": 900.0,
                           "completion_tokens_mean": 4.0}}  # fmt: skip
    small = behaviour_run(extras, model="")
    got = lines(Profile(monthly_queries=MILLION), small)
    # (70 x $0.20 + 4 x $0.60) / 1M per query x 1M queries = $16.40; seconds play no part
    assert got["prompt"].monthly_serving.low == pytest.approx(16.40)
    assert got["few-shot"].monthly_serving.low == pytest.approx(182.40)  # 900 x 0.2 + 2.4
    assert "measured 70 prompt + 4 generated tokens a query" in got["prompt"].monthly_serving.basis


def test_a_stand_in_adapter_is_trained_at_the_plans_gpu_hours_and_breaks_even_as_a_range():
    speed = {"prompt_tokens_mean": 900.0, "completion_tokens_mean": 4.0}
    extras = {"few-shot": speed, "lora": {"prompt_tokens_mean": 70.0,
              "completion_tokens_mean": 4.0, "train_seconds": 100, "train_examples": 50}}  # fmt: skip
    small = behaviour_run(extras, model="")
    profile = Profile(monthly_queries=MILLION, examples_reviewed=True, labeled_examples=800)
    lora = lines(profile, small)["lora"]
    assert (lora.one_off.low, lora.one_off.high) == (6.0, 24.0)  # 2-8 GPU hours at $3
    assert "GPU hours" in lora.one_off.basis
    [even] = cost_table(profile, [small]).break_even
    assert "a range on stated assumptions, not a verdict" in even.sentence
    assert "pays back within the first year" not in even.sentence
