"""The web app's steps without a browser: sessions, chat routing, uploads, escaping."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from assistant.core.settings import load_settings
from assistant.web import chat, results, trials, turns, uploads
from assistant.web import items as items_view
from assistant.web.chat import edit_profile, recommendation_markdown
from assistant.web.session import SessionState
from tests.fakes.web import FakeServices, run_chat

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def services(tmp_path):
    return FakeServices(load_settings(env={}, data_dir=str(tmp_path / "data")))


def test_first_message_starts_the_interview_with_choices(services):
    session = SessionState()
    history, session, choices = run_chat(services, session, "hello")
    assert "What will the model do" in history[-1]["content"]
    assert "Document Q&A" in choices
    assert re.fullmatch(r"[0-9a-f]{32}", session.session_id)  # drawn here, not the hash
    assert session.workspace == f"session-{session.session_id}"


def test_answers_update_the_profile_and_side_panel(services):
    session = SessionState()
    run_chat(services, session, "hello")
    run_chat(services, session, "Document Q&A")
    run_chat(services, session, "it makes up facts about our products")
    assert session.profile.use_case == "document_qa"
    assert session.profile.gaps == ["knowledge"]
    assert "Current advice" in recommendation_markdown(session)


def test_side_question_is_answered_from_the_guidance(services):
    session = SessionState()
    run_chat(services, session, "hello")
    history, _, _ = run_chat(services, session, "What is LoRA?")
    reply = history[-1]["content"]
    assert reply.startswith("From the guidance: ") and "LoRA" in reply.split("Sources:")[0]
    sources = re.findall(r'(knowledge/guidance/[\w-]+\.md), "([^"]+)"', reply)
    assert ("knowledge/guidance/lora-and-qlora.md", "How LoRA adapters work") in sources
    for path, heading in sources:  # every citation names a heading that exists
        assert f"## {heading}" in (ROOT / path).read_text(encoding="utf-8")


def test_files_dropped_in_chat_are_indexed_per_file(services, tmp_path):
    good = tmp_path / "policy.txt"
    good.write_text("Refunds are paid within 14 days by the claims unit. " * 5)
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4 garbage")
    session = SessionState()
    history, session, _ = run_chat(services, session, "", files=[str(good), str(bad)])
    reply = history[-1]["content"]
    assert "Added 1 document" in reply and "Skipped broken.pdf" in reply
    assert len(session.uploads) == 2


def test_sessions_do_not_share_workspaces(services, tmp_path):
    doc = tmp_path / "secret.txt"
    doc.write_text("Project Nightjar launches in March with a budget of 4 million. " * 3)
    alice, bob = SessionState(), SessionState()
    run_chat(services, alice, "", files=[str(doc)], session_hash="alice")
    run_chat(services, bob, "hello", session_hash="bob")
    from knowledge.index import open_index

    assert open_index(alice.workspace, services.settings, services.embedder()).count() > 0
    assert open_index(bob.workspace, services.settings, services.embedder()).count() == 0
    assert bob.uploads == []


def test_oversized_upload_is_refused_with_a_reason(services, tmp_path):
    big = tmp_path / "big.txt"
    big.write_text("x" * 2_000_000)
    kept, problems = uploads.store_uploads(services, SessionState(session_id="s"), [str(big)], 1)
    assert kept == [] and "1 MB upload limit" in problems[0]


def test_profile_edits_are_validated(services):
    session = SessionState()
    assert "Not saved" in edit_profile(session, json.dumps({"budget": "infinite"}))
    assert "not valid JSON" in edit_profile(session, "{budget: high")
    assert "saved" in edit_profile(session, json.dumps({"budget": "high", "gpu": "single"}))
    assert session.profile.budget == "high"


def test_question_detail_escapes_hostile_text():
    items = {
        "prompt": [{"question": "<script>alert(1)</script>", "reference": "a & b",
                    "prediction": "<img src=x onerror=alert(1)>", "scores": {"em": 0.0},
                    "latency_s": 0.5, "retrieved": []}],
    }  # fmt: skip
    label = items_view.question_labels(items)[0]
    detail = items_view.question_detail(items, label)
    assert "<script>" not in detail and "<img" not in detail
    assert "&lt;script&gt;" in detail and "a &amp; b" in detail


def test_summary_rows_show_failures():
    headers, rows = results.summary_rows(
        {"prompt": {"status": "finished", "summary": {"exact_match": 0.123456}},
         "lora": {"status": "failed", "summary": {}, "error": "out of memory"}}
    )  # fmt: skip
    assert headers[:3] == ["Trial", "Status", "EM"]
    assert rows[0][2] == 0.123 and rows[1][1] == "failed: out of memory"


def test_run_without_uploads_explains_what_to_do(services):
    view = trials.run_trials_view(services, SessionState(), ["prompt"], 200, 3, 60, None,
                               lambda *a: None, "s")  # fmt: skip
    assert "Upload some documents first" in view.status


def test_cancel_without_a_run(services):
    assert turns.cancel_message(services, SessionState(session_id="x")) == "No trial is running."


def echo_then_invent(messages) -> str:
    """A fake model that restates its first note, then makes something up."""
    notes = messages[-1]["content"].split("\n")
    first = next(line[2:] for line in notes if line.startswith("- "))
    return f"{first.rstrip('.')}. LoRA was invented by LoBERT in 1850 on Mars."


def test_side_question_answer_streams_while_generated(services):
    services._chat.respond = echo_then_invent
    session = SessionState()
    run_chat(services, session, "hello")
    message = {"text": "What is LoRA and how big are adapter files?", "files": []}
    steps = [h[-1]["content"] for h, _, _ in chat.chat_turn(services, session, message, [], "s")]
    partials = [s for s in steps[1:-1] if s != chat.THINKING]
    assert partials, "the model's answer should appear while it is being generated"
    assert all(partials[i] in partials[i + 1] for i in range(len(partials) - 1))
    assert partials[0] != steps[-1]  # the final reply adds citations and the pending question
    # The invented sentence fails the grounding check: it is never shown, not even briefly.
    assert not any("LoBERT" in step for step in steps)
