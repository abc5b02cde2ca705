"""The Trials tab's diagnosis without a browser: failure labels, the drill offered when the
knowledge changes fast, the sweep offered when retrieval misses dominate."""

from __future__ import annotations

from dataclasses import replace

import pytest

from assistant.core.settings import load_settings
from assistant.web import diagnosis, trials
from assistant.web.items import load_items, question_detail
from assistant.web.session import SessionState
from assistant.web.uploads import upload_files
from tests.fakes.jobs import DOCS, QA
from tests.fakes.readers import reader
from tests.fakes.web import FakeServices


@pytest.fixture
def services(tmp_path):
    services = FakeServices(load_settings(env={}, data_dir=str(tmp_path / "data")))
    services._chat.respond = reader
    return services


def _session(services) -> SessionState:
    session = SessionState()
    docs = sorted(str(p) for p in DOCS.iterdir())
    upload_files(services, session, docs, str(QA), "abc")
    return session


def test_the_drill_is_offered_when_knowledge_changes_monthly_or_faster():
    session = SessionState()
    assert diagnosis.drill_offer(session) == (0, diagnosis.DRILL_IDLE)
    for change in ("monthly", "weekly", "daily"):
        profile = replace(session.profile, knowledge_change=change)
        session.interview = replace(session.interview, profile=profile)
        value, hint = diagnosis.drill_offer(session)
        assert value == 20 and change in hint


def test_a_run_with_the_drill_shows_labels_fix_first_and_the_drill(services):
    session = _session(services)
    view = trials.run_trials_view(services, session, ["prompt", "rag"], 200, 5, 60, None,
                                  lambda *a: None, "abc", drill=20)  # fmt: skip
    assert "**When your documents change**" in view.status
    assert "RAG after re-indexing the changed files: new value" in view.status
    assert "- rag: " in view.status and " missed: " in view.status
    assert "fix first" in view.status and "when-rag-wins.md" in view.status
    items = load_items(services, session.last_run)
    detail = question_detail(items, view.questions[0])
    labels = {row["failure"] for row in items["rag"]}
    assert labels and all(labels)
    assert any(f"— *{name}*" in detail for name in ("form miss", "retrieval miss", "correct",
                                                    "reader miss", "abstention"))  # fmt: skip


def test_the_sweep_is_offered_when_retrieval_misses_dominate_and_fills_the_sliders(services):
    session = _session(services)
    view = trials.run_trials_view(services, session, ["rag"], 200, 1, 60, None,
                                  lambda *a: None, "abc")  # fmt: skip
    assert view.offer_sweep  # top-1 retrieval misses most answers
    note, best = diagnosis.run_sweep(services, session)
    assert "Retrieval sweep over" in note and best is not None
    stored = services.store().get_run(session.last_run)["run"]["sweep"]
    assert diagnosis.best_setting(stored) == best
    assert "held-out questions" in note  # the best cell checked against the run's setting


def test_the_sweep_needs_a_knowledge_run_with_rag(services):
    note, best = diagnosis.run_sweep(services, SessionState())
    assert best is None and "knowledge trial" in note
