"""Trials get their own llama.cpp copy so chat never queues behind a trial."""

from __future__ import annotations

from assistant.core.models import registry
from assistant.core.settings import load_settings


def test_a_trial_copy_is_separate_for_llamacpp_and_shared_otherwise(monkeypatch):
    built = []
    monkeypatch.setitem(registry.CHAT_FACTORIES, "llamacpp", lambda s: built.append(s) or object())
    monkeypatch.setitem(registry.CHAT_FACTORIES, "openai", lambda s: built.append(s) or object())
    monkeypatch.setattr(registry, "_cache", {})
    local = load_settings(env={})
    chat, trial = registry.load_chat_model(local), registry.load_chat_model(local, "trial")
    assert chat is not trial and registry.load_chat_model(local, "trial") is trial
    remote = load_settings(
        env={
            "ADVISOR_CHAT_BACKEND": "openai",
            "ADVISOR_CHAT_MODEL": "m",
            "ADVISOR_OPENAI_BASE_URL": "http://127.0.0.1:9/v1",
        }
    )
    assert registry.load_chat_model(remote) is registry.load_chat_model(remote, "trial")
    assert len(built) == 3
