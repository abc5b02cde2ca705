"""One report, one story (issue #23): every section reads the one picked run, a partial
run counts for its finished arms and names the unfinished one, and a report that says no
trial is included prices none. Checked in Markdown, HTML and the PDF's text."""

from __future__ import annotations

import io
import re
from datetime import datetime

import pytest
from pypdf import PdfReader

from assistant.advice import evidence_from_run
from assistant.advice.profile import Profile
from assistant.report.data import build_report_data
from assistant.report.markup import render_html, render_markdown
from assistant.report.pdf import render_pdf
from tests.fakes.partial import behaviour_run, knowledge_run
from tests.fakes.store import RunShelf

NOW = datetime(2025, 3, 4, 9, 30)
PROFILE = Profile(
    use_case="extraction", gaps=["format", "knowledge"], corpus_tokens=50_000,
    labeled_examples=100, monthly_queries=20_000,
)  # fmt: skip
SHELF = RunShelf(
    behaviour_run("fin-b"), behaviour_run("part-b", lora_status="partial"), knowledge_run("fin-k")
)
RUN_IDS = re.compile(r"\b(fin-b|part-b|fin-k)\b")
NO_TRIAL = "No trial run on your data is included"


def _formats(data) -> dict[str, str]:
    reader = PdfReader(io.BytesIO(render_pdf(data)))
    pdf = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))
    return {"md": render_markdown(data), "html": render_html(data), "pdf": pdf}


def _sections(md: str) -> dict[str, str]:
    parts = md.split("\n## ")[1:]
    return {part.split("\n", 1)[0]: part for part in parts}


@pytest.mark.parametrize("run_id", ["fin-b", "part-b", "fin-k"])
def test_every_section_names_the_picked_run_and_no_other(run_id):
    data = build_report_data(PROFILE, SHELF, run_id, now=NOW)
    assert data.picked is not None and data.picked.run_id == run_id
    for fmt, text in _formats(data).items():
        assert set(RUN_IDS.findall(text)) == {run_id}, fmt
        assert NO_TRIAL not in text, fmt
    sections = _sections(render_markdown(data))
    for title in ("Executive summary", "Measured results", "Cost at your volume"):
        assert run_id in sections[title], title
    assert data.advice.costs.run_id == run_id
    assert "| prompt |" in sections["Cost at your volume"]  # the picked run is priced


def test_a_partial_run_counts_for_its_finished_arms_and_names_the_unfinished_lora():
    data = build_report_data(PROFILE, SHELF, "part-b", now=NOW)
    assert set(data.picked.scores) == {"prompt", "few-shot", "retrieved-shots"}
    for fmt, text in _formats(data).items():
        assert "LoRA fine-tuning left out: it stopped at 8 of 35 planned training steps" in text
        assert "LoRA time budget (s)" in text and "about 200 s" in text, fmt
        assert "--lora-budget" not in text and "has not been attacked" not in text, fmt
        assert "measured prompts on your examples for the format gap" in text, fmt
    sections = _sections(render_markdown(data))
    results = sections["Measured results"]
    assert "Trial: lora (partial: unfinished, left out of the verdicts)" in results
    assert "not used: lora did not finish" in results
    # The finished arms' verdict is shown and used: retrieved shots beat zero-shot.
    assert "retrieved-shots" in results and "better" in results
    summary = sections["Executive summary"]
    assert "from trial run part-b (partial)" in summary and "left out" in summary


def test_a_finished_run_marks_nothing_unfinished():
    data = build_report_data(PROFILE, SHELF, "fin-b", now=NOW)
    md = render_markdown(data)
    assert data.picked.unfinished == () and "left out" not in md and "not used:" not in md
    assert "Trial: lora (finished)" in md


def test_without_a_readable_run_no_section_prices_or_quotes_one():
    chat = evidence_from_run(behaviour_run("part-b", lora_status="partial"))
    data = build_report_data(PROFILE, None, None, now=NOW, evidence=[chat])
    md = render_markdown(data)
    assert NO_TRIAL in md and not RUN_IDS.search(md)
    costs = _sections(md)["Cost at your volume"]
    assert "|" not in costs and "Break-even" not in costs
    assert data.evidence == () and data.advice.costs.lines == ()


def test_without_a_named_run_the_report_shows_the_run_the_chat_weighed():
    chat = evidence_from_run(behaviour_run("part-b", lora_status="partial"))
    data = build_report_data(PROFILE, SHELF, None, now=NOW, evidence=[chat])
    assert data.run_info["run_id"] == "part-b" and data.picked.run_id == "part-b"
    assert set(RUN_IDS.findall(render_markdown(data))) == {"part-b"}


def test_another_kind_the_chat_weighed_is_named_in_the_summary():
    chat = evidence_from_run(SHELF.get_run("fin-k"))
    data = build_report_data(PROFILE, SHELF, "part-b", now=NOW, evidence=[chat])
    summary = _sections(render_markdown(data))["Executive summary"]
    assert "also weighs run fin-k (knowledge) from the chat" in summary
    assert data.advice.costs.run_id == "part-b"  # priced: the picked run only
