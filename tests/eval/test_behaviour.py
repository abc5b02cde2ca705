"""Behaviour trials with fakes: formats in, four approaches out, honest comparisons stored."""

from __future__ import annotations

import json

import pytest

from assistant.core.errors import DatasetError
from assistant.core.settings import load_settings
from eval.config import BehaviourConfig
from tests.fakes import HashEmbedder, ScriptedChat
from tests.fakes.jobs import behaviour_run as run
from tests.fakes.jobs import routing_file
from tests.fakes.readers import nearest_shot_reader


def test_three_approaches_on_the_same_heldout_examples_with_verdicts(env, tmp_path):
    result = run(env, routing_file(tmp_path))
    assert (result.kind, result.task, result.status) == ("behaviour", "classification", "finished")
    assert result.n_heldout == 30 and result.n_train == 30  # 60 rows: held-out >= 30
    prompt = result.trials["prompt"]["summary"]
    shots = result.trials["retrieved-shots"]["summary"]
    assert prompt["accuracy"] == 0.0 and prompt["out_of_label_rate"] == 1.0
    assert shots["accuracy"] == 1.0 and shots["macro_f1"] == 1.0
    assert shots["ci95"]["accuracy"] == [1.0, 1.0]
    assert shots["prompt_tokens_p50"] > prompt["prompt_tokens_p50"]  # shots cost prompt tokens
    inputs = {name: [i.question for i in items] for name, items in result.items.items()}
    assert inputs["prompt"] == inputs["few-shot"] == inputs["retrieved-shots"]
    verdicts = {(c["a"], c["b"]): c["verdict"] for c in result.compare}
    assert verdicts[("prompt", "retrieved-shots")] == "worse"
    stored = env[1].get_run(result.run_id)
    assert stored["run"]["kind"] == "behaviour" and stored["run"]["task"] == "classification"
    assert stored["run"]["compare"] == result.compare
    json.dumps(result.to_json())  # the CLI prints it


def test_split_is_seeded_and_held_out_inputs_never_reach_the_prompts(env, tmp_path):
    path = routing_file(tmp_path)
    first, second = run(env, path), run(env, path)
    assert [i.question for i in first.items["few-shot"]] == [
        i.question for i in second.items["few-shot"]
    ]
    assert (
        first.trials["few-shot"]["summary"]["accuracy"]
        == (second.trials["few-shot"]["summary"]["accuracy"])
    )
    pairs = env[1].get_eval_pairs(first.run_id)
    train = {p["question"] for p in pairs if p["split"] == "train"}
    assert not train & {p["question"] for p in pairs if p["split"] == "heldout"}


def test_too_few_examples_is_a_clear_error_and_records_no_run(env, tmp_path):
    path = tmp_path / "tiny.jsonl"
    path.write_text('{"input": "a", "output": "b"}\n' * 3)
    with pytest.raises(DatasetError, match="30"):
        run(env, path)
    assert env[1].list_runs() == []


def test_a_model_that_fails_or_says_nothing_is_scored_never_a_crash(env, tmp_path):
    calls = {"n": 0}

    def flaky(messages) -> str:
        calls["n"] += 1
        if calls["n"] % 3 == 0:
            raise RuntimeError("backend hiccup")
        return ""

    result = run(
        env,
        routing_file(tmp_path),
        chat=ScriptedChat(respond=flaky),
        config=BehaviourConfig(trials=("prompt",)),
    )
    assert result.trials["prompt"]["status"] == "partial"
    assert result.trials["prompt"]["summary"]["accuracy"] == 0.0
    assert any("calls failed and scored as wrong" in w for w in result.warnings)


def test_json_outputs_are_detected_and_scored_by_fields(env, tmp_path):
    rows = [
        {"input": f"order NH-{10000 + i} arrived broken", "output": {"intent": "damaged", "id": i}}
        for i in range(40)
    ]
    path = tmp_path / "records.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows))

    def echo_json(messages) -> str:
        return '{"intent": "damaged", "id": -1}'

    result = run(
        env, path, chat=ScriptedChat(respond=echo_json), config=BehaviourConfig(trials=("prompt",))
    )
    summary = result.trials["prompt"]["summary"]
    assert result.task == "json"
    assert summary["valid_json"] == 1.0 and summary["schema_match"] == 1.0
    assert summary["field_f1"] == pytest.approx(0.5)  # intent right, id wrong
    assert summary["json_exact"] == 0.0


def test_label_answers_get_a_short_budget_and_json_the_full_one():
    from dataclasses import replace as _replace

    from eval.runners.context import LABEL_ANSWER_TOKENS, BehaviourContext

    ctx = BehaviourContext(
        settings=load_settings(env={}), config=BehaviourConfig(), chat=ScriptedChat(),
        embedder=HashEmbedder(), task="classification", instruction="", labels=["a", "b"],
        train=[], system="", run_dir=None,
    )  # fmt: skip
    assert ctx.answer_tokens == LABEL_ANSWER_TOKENS < BehaviourConfig().max_answer_tokens
    assert _replace(ctx, task="json").answer_tokens == BehaviourConfig().max_answer_tokens


def test_judge_asks_the_teams_criteria_of_each_answer(env, tmp_path):
    judge = ScriptedChat(respond=lambda m: "yes" if "number 1" in m[-1]["content"] else "no")
    config = BehaviourConfig(
        trials=("few-shot",), shots=4, judge=True, criteria="Is the label right for the ticket?"
    )
    result = run(
        env,
        routing_file(tmp_path),
        chat=ScriptedChat(respond=nearest_shot_reader),
        config=config,
        judge=judge,
    )
    summary = result.trials["few-shot"]["summary"]
    asked = judge.calls[0][-1]["content"]
    assert asked.startswith("Is the label right for the ticket?\nInput: ")
    assert "Reference reply: " in asked and "Answer to check: " in asked
    assert len(judge.calls) == result.n_heldout and summary["judge_malformed"] == 0
    assert 0 < summary["judge_yes_rate"] < 1


def test_a_partial_trial_is_compared_for_show_but_never_evidence(env, tmp_path):
    from assistant.advice import evidence_from_run

    def silent_without_shots(messages):  # zero-shot returns nothing: a partial trial
        return nearest_shot_reader(messages) if len(messages) > 2 else ""

    result = run(
        env,
        routing_file(tmp_path),
        chat=ScriptedChat(respond=silent_without_shots),
        config=BehaviourConfig(trials=("prompt", "few-shot"), shots=4),
    )
    assert result.trials["prompt"]["status"] == "partial"
    assert [(c["a"], c["b"]) for c in result.compare] == [("prompt", "few-shot")]
    evidence = evidence_from_run(env[1].get_run(result.run_id))
    assert evidence is not None and evidence.comparisons == ()


def test_stored_comparisons_carry_the_run_margin_p_values_and_families(env, tmp_path):
    config = BehaviourConfig(trials=("prompt", "few-shot", "retrieved-shots"), margin=0.1)
    result = run(env, routing_file(tmp_path), config=config)
    stored = env[1].get_run(result.run_id)
    assert stored["run"]["config"]["margin"] == 0.1  # stored with the run's config
    for row in result.compare:
        assert row["margin"] == 0.1 and row["test"] == "exact McNemar"
        assert row["p_adjusted"] >= row["p_value"]
    # No LoRA ran, so no pair belongs to the decision's family: the three shown pairs are
    # corrected together.
    assert {row["family"] for row in result.compare} == {3}
