"""The trial line in the web layer: a second visitor waits with place and estimate, Cancel
and a closed tab leave the line, estimates follow the sliders."""

from __future__ import annotations

import re
import threading
import time
from pathlib import Path

import pytest

from assistant.core.settings import load_settings
from assistant.core.trialqueue import Spot
from assistant.web import behaviour, trials, turns
from assistant.web.session import SessionState
from assistant.web.turns import line_note, pairs_estimate, trial_estimate
from assistant.web.uploads import upload_files
from eval.config import BehaviourConfig, KnowledgeConfig, LoraConfig
from tests.fakes.jobs import routing_file
from tests.fakes.readers import nearest_shot_reader, question_writer
from tests.fakes.web import FakeServices

DOCS = Path(__file__).resolve().parents[2] / "examples" / "sample_docs"
WAIT_S = 10.0


@pytest.fixture
def services(tmp_path):
    services = FakeServices(load_settings(env={}, data_dir=str(tmp_path / "data")))
    services.trial_queue.poll_s = 0.01
    return services


def until(condition, timeout: float = WAIT_S) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.01)


class Background:
    """A web call in its own thread (Gradio's worker), its progress lines kept."""

    def __init__(self, call, *args) -> None:
        self.lines: list[str] = []
        self.result = None
        self.thread = threading.Thread(
            target=lambda: setattr(self, "result", call(*args, self.progress)), daemon=True
        )
        self.thread.start()

    def progress(self, text: str, done: int, total: int) -> None:
        self.lines.append(text)

    def join(self):
        self.thread.join(WAIT_S)
        assert not self.thread.is_alive()
        return self.result


def generation(services, session, n):
    return Background(lambda progress: trials.generate_rows(services, session, n, progress))


def documents_session(services, session_id: str) -> SessionState:
    session = SessionState(session_id=session_id)
    upload_files(services, session, [str(p) for p in sorted(DOCS.iterdir())], None, session_id)
    return session


def test_generation_waits_its_turn_then_runs(services):
    services._chat.respond = question_writer
    session = documents_session(services, "second")
    with services.trial_queue.turn("first", "trial", 120):  # another visitor's run
        waiting = generation(services, session, 6)
        until(lambda: waiting.lines)
        assert waiting.lines[0].startswith("Waiting in line: number 1, 1 job ahead of yours.")
        assert "starts in about 2 min" in waiting.lines[0]
        assert waiting.thread.is_alive() and not services._chat.calls
    rows, note = waiting.join()
    assert len(rows) == 6 and note.startswith("6 pairs (")
    assert "Your turn: the pair generation starts" in waiting.lines


def test_cancel_while_waiting_leaves_the_line_and_nothing_runs(services):
    services._chat.respond = question_writer
    session = documents_session(services, "second")
    with services.trial_queue.turn("first", "trial", 120):
        waiting = generation(services, session, 6)
        until(lambda: waiting.lines)
        said = turns.cancel_message(services, session)
        assert said == "You left the line: your job will not start."
        rows, note = waiting.join()
        assert len(services.trial_queue) == 1  # only the first visitor's run is left
    assert rows == [] and note == "You left the line before your turn came; nothing ran."
    assert not services._chat.calls


def test_a_closed_tab_leaves_the_line(services):
    services._chat.respond = question_writer
    session = documents_session(services, "gone")
    services.open_sessions["hash-gone"] = "gone"
    with services.trial_queue.turn("first", "trial", 120):
        waiting = generation(services, session, 6)
        until(lambda: waiting.lines)
        assert services.visitor_closed("hash-gone") == "gone"
        assert waiting.join()[0] == [] and not services.trial_queue.waiting("gone")
    assert not services._chat.calls


def test_a_behaviour_run_waits_then_runs_and_a_cancelled_one_records_nothing(services, tmp_path):
    services._chat.respond = nearest_shot_reader
    path = routing_file(tmp_path)
    sessions = [SessionState(session_id=name) for name in ("runs", "leaves")]
    for session in sessions:
        behaviour.preview_examples(services, session, str(path), "", session.session_id)

    def run(session):
        return Background(
            lambda progress: behaviour.run_behaviour_view(
                services, session, ["prompt"], "auto", "", 4, 60, progress, session.session_id
            )
        )  # fmt: skip

    with services.trial_queue.turn("first", "trial", 300):
        runs = run(sessions[0])
        until(lambda: runs.lines)  # in line first, so the order is known
        leaves = run(sessions[1])
        until(lambda: leaves.lines)
        assert "number 1, 1 job ahead" in runs.lines[0]
        assert "number 2, 2 jobs ahead" in leaves.lines[0]
        # 300 s still to go ahead, plus the first run's plan (a prompt arm on 4 items)
        assert re.search(r"starts in about [56] min", leaves.lines[0]), leaves.lines[0]
        services.cancel("leaves")
        assert leaves.join().status == "You left the line before your turn came; nothing ran."
    view = runs.join()
    assert view.status.startswith("Run **")
    stored = services.store().list_runs()
    assert len(stored) == 1 and sessions[1].run_ids == []


def test_estimates_follow_the_chosen_trials_and_budget():
    lora = LoraConfig(time_budget_s=150)
    quick = trial_estimate(KnowledgeConfig(trials=("prompt", "rag")))
    with_lora = trial_estimate(KnowledgeConfig(trials=("prompt", "rag", "lora"), lora=lora))
    assert quick == 80 and with_lora == 80 + 40 + 150 + 30
    assert trial_estimate(BehaviourConfig(lora=lora)) == 4 * 40 + 150 + 30
    drilled = trial_estimate(KnowledgeConfig(trials=("rag",), drill=20))
    assert drilled > trial_estimate(KnowledgeConfig(trials=("rag",)))
    assert pairs_estimate(20) == 2 * pairs_estimate(10) > 0


def test_the_note_says_place_jobs_ahead_and_about_how_long():
    assert line_note(Spot(1, 1, 70)) == (
        "Waiting in line: number 1, 1 job ahead of yours. Yours starts in about 70 s. "
        "Cancel leaves the line."
    )
    late = line_note(Spot(2, 2, 300, overdue=True))
    assert "2 jobs ahead of yours; the one running now is taking longer than expected" in late
    assert "about 5 min" in late


def test_over_http_a_waiting_run_shows_its_place_and_holds_no_other_visitor(tmp_path):
    """The real app: the run waits in the trials' own Gradio pool (so waiting runs never
    fill the pool uploads and history use), its progress text says where it stands,
    another visitor's history call answers meanwhile, and the run ends normally."""
    from gradio_client import handle_file

    from tests.web.live import live_app

    rows = {"headers": ["question", "answer", "source", "kind"], "data": [], "metadata": None}
    with live_app(tmp_path) as live:
        live.services.trial_queue.poll_s = 0.05
        pools = {f.api_name: f.concurrency_id for f in live.demo.fns.values()}
        assert pools["run_knowledge"] == pools["run_behaviour"] == "trials" != pools["history"]
        live.services._chat.respond = lambda messages: "14 days"
        client = live.client("waitingvisitor01")
        docs = [handle_file(str(p)) for p in sorted(DOCS.iterdir())]
        qa = handle_file(str(DOCS.parent / "sample_qa.csv"))
        assert "chunks" in str(client.predict(docs, qa, api_name="/on_upload"))
        with live.services.trial_queue.turn("someone-else", "trial", 120):
            job = client.submit(
                [], "", "", "", ["prompt"], 200, 2, 60, rows, 0,
                api_name="/run_knowledge",
            )  # fmt: skip

            def told() -> list[str]:
                units = job.status().progress_data or []
                return [unit.desc or "" for unit in units]

            until(lambda: any(d.startswith("Waiting in line: number 1") for d in told()))
            other = live.client("othervisitor0001")
            assert other.predict(api_name="/history")  # the default pool is not held
            assert not job.done()
        status = job.result(timeout=60)[0]
        assert status.startswith("Plan: Expected about") and "\n\nRun **" in status, status
        client.close()
        other.close()
