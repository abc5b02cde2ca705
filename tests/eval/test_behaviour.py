"""Behaviour trials with fakes: formats in, four approaches out, honest comparisons stored."""

from __future__ import annotations

import json
import re

import pytest

from assistant.core.errors import DatasetError
from assistant.core.settings import load_settings
from eval.behaviour import run_behaviour_trials
from eval.config import BehaviourConfig
from tests.fakes import HashEmbedder, ScriptedChat

LABELS = {
    "billing": "my invoice shows a double charge on card",
    "shipping": "where is my parcel the courier tracking page",
    "returns": "i want to send back the lamp and get a return label",
}


def routing_file(tmp_path, n_per_label: int = 20):
    rows = []
    for label, text in LABELS.items():
        for i in range(n_per_label):
            rows.append({"input": f"{text} number {i} please help", "output": label})
    path = tmp_path / "routing.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    return path


def nearest_shot_reader(messages) -> str:
    """A fake model that copies the label of the most word-similar worked example.

    With no examples it gives up, so zero-shot scores 0 and shots help: the shape of
    a real small model that cannot guess a team's label names.
    """
    query = set(re.findall(r"\w+", messages[-1]["content"].lower()))
    best, best_overlap = "I am not sure.", 0
    for user, reply in zip(messages[1:-1:2], messages[2:-1:2], strict=True):
        overlap = len(query & set(re.findall(r"\w+", user["content"].lower())))
        if overlap > best_overlap:
            best, best_overlap = reply["content"], overlap
    return best


def run(env, path, **kwargs):
    settings, store = env
    kwargs.setdefault("config", BehaviourConfig(trials=("prompt", "few-shot", "retrieved-shots")))
    return run_behaviour_trials(
        path, settings=settings, store=store, chat=ScriptedChat(respond=nearest_shot_reader),
        embedder=HashEmbedder(), **kwargs,
    )  # fmt: skip


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

    settings, store = env
    result = run_behaviour_trials(
        routing_file(tmp_path), settings=settings, store=store,
        chat=ScriptedChat(respond=flaky), embedder=HashEmbedder(),
        config=BehaviourConfig(trials=("prompt",)),
    )  # fmt: skip
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

    settings, store = env
    result = run_behaviour_trials(
        path, settings=settings, store=store, chat=ScriptedChat(respond=echo_json),
        embedder=HashEmbedder(), config=BehaviourConfig(trials=("prompt",)),
    )  # fmt: skip
    summary = result.trials["prompt"]["summary"]
    assert result.task == "json"
    assert summary["valid_json"] == 1.0 and summary["schema_match"] == 1.0
    assert summary["field_f1"] == pytest.approx(0.5)  # intent right, id wrong
    assert summary["json_exact"] == 0.0


def test_label_answers_get_a_short_budget_and_json_the_full_one():
    from dataclasses import replace as _replace

    from eval.runners.base import LABEL_ANSWER_TOKENS, BehaviourContext

    ctx = BehaviourContext(
        settings=load_settings(env={}), config=BehaviourConfig(), chat=ScriptedChat(),
        embedder=HashEmbedder(), task="classification", instruction="", labels=["a", "b"],
        train=[], system="", run_dir=None,
    )  # fmt: skip
    assert ctx.answer_tokens == LABEL_ANSWER_TOKENS < BehaviourConfig().max_answer_tokens
    assert _replace(ctx, task="json").answer_tokens == BehaviourConfig().max_answer_tokens


def test_judge_asks_the_teams_criteria_of_each_answer(env, tmp_path):
    settings, store = env
    judge = ScriptedChat(respond=lambda m: "yes" if "number 1" in m[-1]["content"] else "no")
    config = BehaviourConfig(
        trials=("few-shot",), shots=4, judge=True, criteria="Is the label right for the ticket?"
    )
    result = run_behaviour_trials(
        routing_file(tmp_path), settings=settings, store=store,
        chat=ScriptedChat(respond=nearest_shot_reader), embedder=HashEmbedder(),
        config=config, judge=judge,
    )  # fmt: skip
    summary = result.trials["few-shot"]["summary"]
    asked = judge.calls[0][-1]["content"]
    assert asked.startswith("Is the label right for the ticket?\nInput: ")
    assert "Reference reply: " in asked and "Answer to check: " in asked
    assert len(judge.calls) == result.n_heldout and summary["judge_malformed"] == 0
    assert 0 < summary["judge_yes_rate"] < 1


def test_a_partial_trial_is_compared_for_show_but_never_evidence(env, tmp_path):
    from assistant.advice import evidence_from_run

    settings, store = env

    def silent_without_shots(messages):  # zero-shot returns nothing: a partial trial
        return nearest_shot_reader(messages) if len(messages) > 2 else ""

    result = run_behaviour_trials(
        routing_file(tmp_path), settings=settings, store=store,
        chat=ScriptedChat(respond=silent_without_shots), embedder=HashEmbedder(),
        config=BehaviourConfig(trials=("prompt", "few-shot"), shots=4),
    )  # fmt: skip
    assert result.trials["prompt"]["status"] == "partial"
    assert [(c["a"], c["b"]) for c in result.compare] == [("prompt", "few-shot")]
    evidence = evidence_from_run(store.get_run(result.run_id))
    assert evidence is not None and evidence.comparisons == ()
