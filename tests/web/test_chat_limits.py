"""Chat under pressure: oversized messages are refused with a note, and model answers wait
in a bounded line whose overflow is told its place at once (quoted guidance still shown).
"""

from __future__ import annotations

import threading
import time

import pytest

from assistant.core.settings import load_settings
from assistant.web import chat
from assistant.web.session import SessionState
from assistant.web.waiting import ModelLine, Place, QueuedChat, busy_note, waiting_note
from tests.fakes import ScriptedChat
from tests.fakes.web import FakeServices, run_chat

SIDE = "What is retrieval-augmented generation?"


class GatedChat(ScriptedChat):
    """Streams its reply only once `gate` is set; counts how many are inside at once."""

    def __init__(self) -> None:
        super().__init__(respond=lambda m: "Retrieval fetches passages at query time.")
        self.gate = threading.Event()
        self.inside = 0

    def stream(self, messages, **options):
        self.inside += 1
        self.gate.wait(30)
        yield from super().stream(messages, **options)


@pytest.fixture
def services(tmp_path):
    return FakeServices(load_settings(env={}, data_dir=str(tmp_path / "data")))


def started(services) -> SessionState:
    session = SessionState()
    run_chat(services, session, "hello")
    return session


def test_an_oversized_message_is_refused_with_a_note_not_echoed(services):
    session = started(services)
    before = session.interview.profile.to_dict()
    history, _, _ = run_chat(services, session, "Document Q&A " * 100_000)  # ~1.3 MB
    user, reply = history[-2]["content"], history[-1]["content"]
    assert len(user) < 300 and "characters)" in user
    assert "couldn't read it" in reply and "8.0 KB" in reply and "1,269.5 KB" in reply
    assert "\n\nBack to my question: What will the model do for you?" in reply
    assert session.interview.profile.to_dict() == before  # nothing was taken from it


def test_a_message_at_the_limit_is_read(services):
    session = started(services)
    history, _, _ = run_chat(services, session, "Document Q&A" + " " * (8 * 1024 - 12))
    assert "couldn't read" not in history[-1]["content"]
    assert session.profile.use_case == "document_qa"


def test_the_limit_is_a_setting(tmp_path):
    services = FakeServices(load_settings(env={"ADVISOR_MAX_MESSAGE_KB": "0.5"},
                                          data_dir=str(tmp_path)))  # fmt: skip
    history, _, _ = run_chat(services, SessionState(), "a" * 600)
    assert "longer than the 0.5 KB I read" in history[-1]["content"]


def test_the_line_serves_in_order_and_tells_the_overflow_at_once():
    line = ModelLine(bound=2, first_guess_s=10)
    model = GatedChat()
    waits: list[Place] = []
    full: list[Place] = []
    out: list[str] = []

    def ask(on_wait=waits.append) -> None:
        out.append("".join(QueuedChat(model, line, on_wait, full.append).stream([])))

    first = threading.Thread(target=ask)
    first.start()
    while model.inside < 1:
        time.sleep(0.01)
    second = threading.Thread(target=ask)
    second.start()
    while not waits:
        time.sleep(0.01)
    assert waits[0].position == 2 and 0 < waits[0].wait_s <= 10
    start = time.monotonic()
    ask(on_wait=lambda place: None)  # a third: the line (2) is full
    assert time.monotonic() - start < 0.5 and out == [""]
    assert full == [Place(3, full[0].wait_s)] and 10 < full[0].wait_s <= 20
    model.gate.set()
    first.join(5)
    second.join(5)
    assert out[1:] == ["Retrieval fetches passages at query time."] * 2 and len(line) == 0
    assert "number 3 in line" in busy_note(full[0]) and "1 question ahead" in waiting_note(waits[0])


def test_a_side_question_beyond_the_line_gets_the_guidance_and_its_place_at_once(tmp_path):
    services = FakeServices(load_settings(env={"ADVISOR_MAX_WAITING_ANSWERS": "1"},
                                          data_dir=str(tmp_path)))  # fmt: skip
    services._chat = model = GatedChat()
    first, second = started(services), started(services)
    holder = threading.Thread(target=run_chat, args=(services, first, SIDE))
    holder.start()
    while model.inside < 1:  # the first visitor's summary holds the model
        time.sleep(0.01)
    start = time.monotonic()
    steps = list(chat.chat_turn(services, second, {"text": SIDE}, [], "b"))
    seconds = time.monotonic() - start
    model.gate.set()
    holder.join(10)
    final = steps[-1][0][-1]["content"]
    assert seconds < 5, f"the overflow waited {seconds:.1f} s"
    assert final.startswith("From the guidance:") and "Sources:" in final
    assert "number 2 in line" in final and "without a summary" in final
    shown = [s[0][-1]["content"] for s in steps]
    assert any("number 2 in line" in text for text in shown[1:-1])  # told while it ran
    assert "In short:" not in final  # no summary: the model was never asked
    assert len(model.calls) == 1
