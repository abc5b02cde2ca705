"""The report's diagnosis: why answers failed, "When your documents change", the sweep."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from assistant.advice.profile import Profile
from assistant.core.settings import load_settings
from assistant.report.data import build_report_data
from assistant.report.markup import render_html, render_markdown
from assistant.report.pdf import render_pdf
from eval.config import KnowledgeConfig
from eval.store import Store
from tests.fakes.jobs import knowledge_run


@pytest.fixture
def env(tmp_path):
    """(settings with a private data folder, an open Store)."""
    settings = load_settings(env={}, data_dir=str(tmp_path / "data"))
    with Store(tmp_path / "runs.duckdb") as store:
        yield settings, store


WEEKLY = Profile(use_case="document_qa", gaps=["knowledge"], knowledge_change="weekly")


def _data(env, **config):
    result = knowledge_run(env, config=KnowledgeConfig(trials=("prompt", "rag"), **config))
    return result, build_report_data(WEEKLY, env[1], result.run_id)


def test_the_drill_section_shows_each_arms_figures(env):
    result, data = _data(env, drill=20, sweep=True)
    md = render_markdown(data)
    section = md.split("## When your documents change", 1)[1].split("\n## ", 1)[0]
    rag = result.drill["arms"]["rag"]
    assert "RAG after re-indexing the changed files" in section
    assert f"{rag['new_value']} of {rag['questions']}" in section
    assert "Seconds to correct" in section and "Frequently changing knowledge" in section
    for change in result.drill["changes"]:
        assert change["new"] in section and change["old"] in section
    # it comes after the measured results and before the plan
    assert md.index("## Measured results") < md.index("## When your documents change")
    assert md.index("## When your documents change") < md.index("## Plan")
    # the advice quotes the drill too
    assert "the update drill of run" in data.advice.recommendation.basis
    assert "When your documents change" in render_html(data)
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(render_pdf(data))).pages)
    assert "When your documents change" in re.sub(r"\s+", " ", text)


def test_failures_and_the_sweep_are_in_the_results(env):
    result, data = _data(env, sweep=True)
    md = render_markdown(data)
    assert "### Why answers failed" in md and "fix first" in md.lower()
    misses = result.trials["rag"]["summary"]["attribution"]["misses"]
    assert f"{misses} of {result.n_heldout}" in md
    assert "### Retrieval settings sweep" in md
    from eval.sweep import sweep_lines

    lines = sweep_lines(result.sweep)
    assert lines and all(line.replace("[", "\\[").replace("]", "\\]") in md for line in lines)
    assert "When your documents change" not in md  # no drill, no section


def test_a_failed_drill_is_said_not_hidden(env):
    _, data = _data(env)
    run = dict(data.run)
    run["run"] = {**data.run_info, "drill": {"error": "RuntimeError: disk full"}}
    from dataclasses import replace

    md = render_markdown(replace(data, run=run))
    assert "The update drill of this run failed: RuntimeError: disk full" in md
