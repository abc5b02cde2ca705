"""Pair generation in the Trials tab: coverage per file, progress, cancel (waiting in the
trial line: tests/web/test_trial_line.py)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from assistant.web import items as items_view
from assistant.web import results, trials
from assistant.web.session import SessionState
from tests.fakes.readers import question_writer
from tests.fakes.web import session_with_docs, writing_services

DOCS = Path(__file__).resolve().parents[2] / "examples" / "sample_docs"


@pytest.fixture
def services(tmp_path):
    return writing_services(tmp_path)


@pytest.fixture
def session(services):
    return session_with_docs(services, "pairs", DOCS)


def test_generated_rows_name_kind_and_coverage(services, session):
    seen = []
    rows, note = trials.generate_rows(services, session, 12, lambda *a: seen.append(a))
    assert len(rows) == 12 and {r[3] for r in rows} <= {"question", "cloze"}
    assert sum(r[3] == "question" for r in rows) >= 8  # cloze only fills gaps
    assert note.startswith("12 pairs (") and "per file:" in note
    assert all(p.name in note for p in DOCS.iterdir())  # every file is accounted for
    assert seen and seen[-1][1] <= seen[-1][2]  # progress: kept out of target
    reviewed = trials.pairs_from_rows(rows)
    assert [p.kind for p in reviewed] == [r[3] for r in rows]


def test_cancel_stops_generation_with_one_line(services, session):
    started = threading.Event()

    def slow_writer(messages):
        started.set()
        services.cancel(session.session_id)  # the user presses Cancel mid-way
        return question_writer(messages)

    services._chat.respond = slow_writer
    rows, note = trials.generate_rows(services, session, 12)
    assert started.is_set() and rows == []
    assert note.startswith("**No pairs generated:**") and "cancel" in note.lower()
    assert len(services.trial_queue) == 0  # its turn was given back


def test_without_documents_nothing_is_generated(services):
    assert trials.generate_rows(services, SessionState(), 5) == ([], "Upload documents first.")


def test_retrieved_passages_are_shown_as_checkable_citations():
    items = {
        "rag": [{
            "question": "How long is the refund window?", "reference": "14 days",
            "prediction": "14 days.", "scores": {"contains": 1.0}, "latency_s": 0.3,
            "retrieved": [
                {"source": "faq.md", "page": 2, "score": 0.712,
                 "text": "Refunds: you may return goods within 14 days of delivery."},
                {"source": "terms.pdf", "page": None, "score": 0.4, "text": "Shipping [x](http://e)"},
            ],
        }]
    }  # fmt: skip
    detail = items_view.question_detail(items, "1. How long")
    assert "Retrieved passages (2), best first:" in detail
    assert "1. faq.md p.2 · score 0.71 · **contains the answer**" in detail
    assert "within **14 days** of delivery" in detail
    second = detail.splitlines()[-1]
    assert second.startswith("2. terms.pdf · score 0.40 — ") and "contains" not in second
    assert "\\[x\\](http&#58;//e)" in detail  # a link in a passage stays text


def test_mixed_sets_show_each_kind_apart():
    summary = {"contains": 0.5, "by_kind": {"cloze": {"n": 4, "contains": 0.75},
                                            "question": {"n": 12, "contains": 0.4167}}}  # fmt: skip
    plain = {"status": "finished", "summary": {"contains": 0.1}}
    lines = results.kind_lines({"rag": {"status": "finished", "summary": summary}, "prompt": plain})
    assert lines == ["- rag: fill-in-the-blank 0.75 (n=4), real questions 0.42 (n=12)"]
