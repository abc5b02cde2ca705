"""Where the plan's seconds come from: earlier runs first, then a kept figure, then a
probe of the loaded model; never a model loaded just for this."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from assistant.core.models.base import ChatResult
from assistant.core.settings import load_settings
from eval.timing import Timing, from_runs, probe, read_cached, timing_for, write_cached

BASE = Timing(0.001, 0.02, 0.0, 2.0, 20.0)


class TimedChat:
    """A chat whose seconds are exactly 0.002 s per prompt token + 0.05 s per answer token
    + 0.01 s per call; a prompt just answered is cached (its tokens cost nothing again)."""

    name = "timed"

    def __init__(self) -> None:
        self.calls = 0
        self.last: object = None

    def chat(self, messages, max_tokens=16, temperature=0.0, **_):
        self.calls += 1
        prompt = sum(len(m["content"].split()) for m in messages)
        paid = 0 if messages == self.last else prompt
        self.last = messages
        seconds = 0.01 + 0.002 * paid + 0.05 * max_tokens
        return ChatResult("x " * max_tokens, prompt, max_tokens, seconds, self.name)


def run(*trials: dict) -> dict:
    return {"trials": {f"t{i}": {"summary": json.dumps(s)} for i, s in enumerate(trials)}}


def test_earlier_runs_give_seconds_per_prompt_and_answer_token_and_per_step():
    runs = [run({"latency_mean_s": 0.002 * 100 + 0.05 * 10, "prompt_tokens_mean": 100,
                 "completion_tokens_mean": 10},
                {"latency_mean_s": 0.002 * 900 + 0.05 * 12, "prompt_tokens_mean": 900,
                 "completion_tokens_mean": 12},
                {"train_seconds": 135.0, "steps": 8})]  # fmt: skip
    fitted = from_runs(runs, BASE)
    assert fitted.source == "earlier runs"
    assert fitted.prompt_token_s == pytest.approx(0.002)
    assert fitted.answer_token_s == pytest.approx(0.05)
    assert fitted.lora_step_s == pytest.approx(135.0 / 8)
    assert from_runs([run({"steps": 0})], BASE) is None  # nothing answered: no figure


def test_the_probe_isolates_answer_prompt_and_call_costs_from_tiny_calls():
    chat = TimedChat()
    measured = probe(chat, BASE)
    assert chat.calls == 4 and measured.source == "measured"  # a warm-up, then three
    assert measured.answer_token_s == pytest.approx(0.05)
    assert measured.prompt_token_s == pytest.approx(0.002, rel=0.05)
    assert measured.call_s == pytest.approx(0.01, abs=0.002)
    assert measured.lora_step_s == BASE.lora_step_s  # not probed: kept from the fallback


def test_a_probed_figure_is_kept_and_earlier_runs_beat_it(tmp_path):
    settings = load_settings(env={}, data_dir=str(tmp_path / "data"))
    settings.data_path.mkdir(parents=True, exist_ok=True)
    assert read_cached(settings) is None
    chat = TimedChat()
    first = timing_for(settings, None, chat)
    assert first.source == "measured" and read_cached(settings) == first
    assert timing_for(settings, None, TimedChat()).source == "measured"  # kept, not probed
    stored = {"run_id": "r1", "status": "finished",
              "settings": settings.to_dict()}  # fmt: skip
    other = {
        "run_id": "r2",
        "status": "finished",
        "settings_json": json.dumps({"chat_backend": "openai", "chat_model": "big"}),
    }
    answered = run({"latency_mean_s": 0.5, "prompt_tokens_mean": 50,
                    "completion_tokens_mean": 10})  # fmt: skip
    store = SimpleNamespace(list_runs=lambda limit: [stored, other],
                            get_run=lambda run_id: answered)  # fmt: skip
    assert timing_for(settings, store, chat).source == "earlier runs"
    assert chat.calls == 4  # the earlier runs needed no probe


def test_an_unwritable_cache_only_loses_the_figure(tmp_path):
    settings = load_settings(env={}, data_dir=str(tmp_path / "absent" / "data"))
    write_cached(settings, BASE)  # the folder does not exist: no error
    assert read_cached(settings) is None
