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
