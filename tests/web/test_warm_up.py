"""The app loads what side questions need as it starts, so the first reply waits on none."""

from __future__ import annotations

from assistant.core.settings import Settings
from assistant.web.services import Services


class Recording(Services):
    def __init__(self, fail: bool = False) -> None:
        super().__init__(Settings())
        self.loaded: list[str] = []
        self.fail = fail

    def guidance(self):
        if self.fail:
            raise OSError("index folder not readable")
        self.loaded.append("guidance")

    def chat(self):
        self.loaded.append("chat")


def test_warm_up_loads_the_guidance_index_then_the_chat_model_in_the_background():
    services = Recording()
    thread = services.warm_up()
    thread.join(5)
    assert thread.daemon and not thread.is_alive()
    assert services.loaded == ["guidance", "chat"]


def test_a_failed_warm_up_is_quiet_and_left_to_the_first_real_use():
    services = Recording(fail=True)
    thread = services.warm_up()
    thread.join(5)
    assert not thread.is_alive() and services.loaded == []


def test_serve_starts_the_warm_up(monkeypatch):
    from assistant.web import layout

    started = []
    monkeypatch.setattr(Services, "warm_up", lambda self: started.append(self))
    monkeypatch.setattr(layout.gr.Blocks, "launch", lambda self, **kw: None)
    assert layout.serve(Settings()) == 0
    assert len(started) == 1


def test_a_side_question_during_the_warm_up_quotes_at_once_without_the_index(tmp_path):
    """While the warm-up loads (a cold start), the quotes come from shared words: the
    vector index is not waited for and the chat model loads only for the summary."""
    from assistant.core.settings import load_settings
    from tests.fakes.models import ScriptedChat

    events: list[str] = []

    class Loading(Services):
        def guidance(self):
            raise AssertionError("the index is still loading: it must not be waited for")

        def chat(self):
            events.append("chat model loaded")
            return ScriptedChat(respond=lambda m: "Fine-tuning can erase earlier skills.")

    services = Loading(load_settings(env={}, data_dir=str(tmp_path / "data")))
    services.warming.set()
    answer = services.ask("What is catastrophic forgetting?", events.append)
    assert events[0].startswith("From the guidance: ")  # quoted before any model loaded
    assert events.count("chat model loaded") == 1
    assert "forget" in answer.text.lower() and answer.citations
