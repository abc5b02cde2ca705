"""The downloadable report: content, order, escaping, charts and formats (fast, no models)."""

from __future__ import annotations

import html
import io
import json
import re
import sys
from datetime import datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from assistant.advice import advise
from assistant.advice.labels import APPROACH_LABELS
from assistant.advice.profile import Profile
from assistant.report import RENDERERS, render
from assistant.report.charts import build_charts
from assistant.report.data import ReportData, ReportError, build_report_data
from assistant.report.markup import md_escape, render_html, render_markdown
from assistant.report.pdf import render_pdf
from assistant.report.results import forgetting_sentence
from eval.store import Store

ROOT = Path(__file__).resolve().parents[2]
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
HOSTILE = "<script>alert(1)</script>"
HOSTILE_PREDICTION = f"{HOSTILE} | ` # not a heading"
HOSTILE_QUESTION = "# Which clause <b>wins</b> & why?"
FAILED_ERROR = "RuntimeError: out of memory <img src=x onerror=alert(3)>"
HOSTILE_FILE = "<img src=x onerror=alert(2)>.md"
NOW = datetime(2025, 3, 4, 9, 30)
SECTIONS = [
    "Executive summary",
    "Your situation",
    "Measured results",
    "Plan",
    "Cost at your volume",
    "Prerequisites",
    "Risks",
    "Monitoring plan",
    "Appendix",
]


def _profile() -> Profile:
    return Profile.from_dict(json.loads((ROOT / "examples" / "legal_team.json").read_text()))


def _summary(contains: float, **extra) -> dict:
    return {
        "n": 6, "em": contains / 2, "f1": contains * 0.9, "contains": contains,
        "rouge_l": contains * 0.8, "latency_p50_s": 1.2, "latency_p95_s": 2.5,
        "tokens_per_s": 12.0, "cost_per_1k_queries_usd": 0.0421, "eval_compute_usd": 0.0002,
        **extra,
    }  # fmt: skip


LORA_EXTRA = {
    "train_seconds": 312.4, "steps": 40, "train_examples": 32, "stopped_by": "time budget",
    "trainable_share": 0.00412, "adapter_mb": 3.5, "loss_curve": [2.91, 2.2, 1.74],
    "loss_first": 2.91, "loss_last": 1.74, "probe_base": 0.8, "probe_adapted": 0.675,
    "forgetting_drop": 0.125, "probe_questions": 40, "train_cost_usd": 0.0087, "note": "",
}  # fmt: skip


def _items(trial: str) -> list[dict]:
    items = []
    for i in range(6):
        prediction = f"{trial} answer {i}: clause {i} applies."
        if trial == "prompt" and i == 0:
            prediction = HOSTILE_PREDICTION
        items.append(
            {
                "idx": i,
                "question": HOSTILE_QUESTION if i == 0 else f"What does clause {i} say?",
                "reference": f"clause {i} applies",
                "prediction": prediction,
                "scores": {"contains": 1.0 if i % 2 else 0.0},
                "latency_s": 1.0 + i / 10,
                "retrieved": [{"id": f"c{i}", "source": HOSTILE_FILE, "page": 1}],
            }
        )
    return items


def _fill(store: Store, *, failed_only: bool = False) -> str:
    run_id = store.start_run(
        workspace="ws",
        config={"trials": ["prompt", "rag", "lora", "rag+lora"], "seed": 7},
        settings={
            "top_k": 4,
            "chat_backend": "llamacpp",
            "openai_api_key": "sk-secret",
            "chat_model": "models/smollm2-360m-instruct.gguf",
        },  # the team's model
        models={"chat": "smollm2-360m-instruct", "embedder": "all-MiniLM-L6-v2"},
        files=[{"name": HOSTILE_FILE, "sha256": "ab" * 32}],
        seed=7,
        app_version="0.1.0",
        n_train=24,
        n_heldout=6,
    )
    if not failed_only:
        store.save_trial(run_id, "prompt", "finished", _summary(0.5), _items("prompt"))
        rag = _summary(0.8, recall_at_k=0.9, groundedness=0.7)
        store.save_trial(run_id, "rag", "finished", rag, _items("rag"))
        store.save_trial(run_id, "lora", "finished", _summary(0.3, **LORA_EXTRA), _items("lora"))
    store.save_trial(run_id, "rag+lora", "failed", {}, [], error=FAILED_ERROR)
    store.finish_run(run_id, "failed" if failed_only else "partial", "one trial failed")
    return run_id


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> ReportData:
    with Store(tmp_path_factory.mktemp("db") / "advisor.duckdb") as store:
        return build_report_data(_profile(), store, _fill(store), now=NOW)


@pytest.fixture(scope="module")
def bare() -> ReportData:
    return build_report_data(_profile(), now=NOW)


@pytest.fixture(scope="module")
def md(data) -> str:
    return render_markdown(data)


@pytest.fixture(scope="module")
def page(data) -> str:
    return render_html(data)


@pytest.fixture(scope="module")
def pdf(data) -> bytes:
    return render_pdf(data)


def _pdf_text(pdf_bytes: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(pdf_bytes))
    text = " ".join(page.extract_text() for page in reader.pages)
    return len(reader.pages), re.sub(r"\s+", " ", text)


def _expected(data: ReportData) -> list[str]:
    """Raw texts every format must show: approach, top three reasons, phases, failure, drop."""
    rec, plan = data.advice.recommendation, data.advice.plan
    return [
        APPROACH_LABELS[rec.approach],
        *(r.text for r in rec.reasons[:3]),
        *(p.name for p in plan.phases),
        f"The rag+lora trial failed: {FAILED_ERROR}",
        forgetting_sentence(data),
    ]


def test_data_weighs_the_run_as_evidence_and_keeps_production_scores(data):
    assert data.profile == _profile()  # the file's production scores (rag 0.82), untouched
    assert data.advice.profile == data.profile
    [evidence] = data.evidence
    assert evidence == data.advice.evidence[0] and evidence.run_id == data.run_info["run_id"]
    assert evidence.scores == {"prompt": 0.5, "rag": 0.8, "lora": 0.3}  # rag+lora failed
    assert not evidence.has_verdicts  # stored without comparisons: no raw means compared
    assert "stored before paired comparisons existed" in md_text(data)
    assert set(data.items) == {"prompt", "rag", "lora", "rag+lora"}
    assert data.items["rag+lora"] == []
    assert data.generated_at == "2025-03-04 09:30"
    assert len(data.advice.recommendation.reasons) >= 3
    assert "12.5 percentage points" in forgetting_sentence(data)


def md_text(data: ReportData) -> str:
    return " ".join(r.text for r in data.advice.recommendation.reasons)


def test_run_verdicts_inform_the_advice_and_the_summary_states_the_basis(tmp_path):
    from eval.scoring.comparison import compare

    with Store(tmp_path / "v.duckdb") as store:
        run_id = _fill(store)
        store.set_compare(run_id, [c.to_dict() for c in compare(
            {"prompt": [0.0] * 20, "rag": [1.0] * 16 + [0.0] * 4}, "contains")])  # fmt: skip
        data = build_report_data(_profile(), store, run_id, now=NOW)
    rec = data.advice.recommendation
    assert data.evidence[0].compared("rag", "prompt").verdict == "better"
    # The recommendation names the pair it read ...
    assert f"1 measured comparison from run {run_id} (RAG vs zero-shot prompting)" in rec.basis
    assert "your production scores" in rec.basis
    md = render_markdown(data)
    assert md_escape(rec.basis) in md
    # ... and every verdict in the report stands next to its p-value.
    assert "p (Holm)" in md and "< 0.001" in md  # 16 wins of 16 discordant: p = 2 / 2**16
    assert "exact paired test" in md and "within the run's margin of 0.05" in md
    assert "Strength of evidence: " in md and "Confidence" not in md


def test_unknown_run_id_is_a_clear_error(tmp_path):
    with Store(tmp_path / "a.duckdb") as store, pytest.raises(ReportError, match="no run 'nope'"):
        build_report_data(_profile(), store, "nope")
    with pytest.raises(ValueError, match="no database"):
        build_report_data(_profile(), None, "abc")


def test_markdown_content_order_and_escaping(data, md):
    for text in _expected(data):
        assert md_escape(text) in md, text
    positions = [md.index(f"## {title}") for title in SECTIONS]
    assert positions == sorted(positions)
    assert not re.search(r"(?<!\\)<", md)  # every "<" is escaped: no tag can form
    assert "<br>" not in md and "&amp;" not in md
    assert md_escape(HOSTILE_PREDICTION) in md
    assert "\\<script\\>alert(1)\\</script\\> \\| \\` # not a heading" in md
    assert "\n# Which" not in md  # a question never becomes a heading
    assert "Question 1: # Which clause \\<b\\>wins\\</b\\> & why?" in md  # clean, no entities
    assert "sk-secret" not in md
    assert md.count("](data:image/png;base64,") == 4  # scores, latency, cost, cost by volume


def test_html_content_and_escaping(data, page):
    for text in _expected(data):
        assert html.escape(text) in page, text
    positions = [page.index(f">{title}</h2>") for title in SECTIONS]
    assert positions == sorted(positions)
    assert "<script" not in page.lower() and "<img src=x" not in page and "<b>" not in page
    assert html.escape(HOSTILE_PREDICTION) in page
    assert html.escape(HOSTILE_FILE) in page
    assert page.count('src="data:image/png;base64,') == 4
    assert "Content-Security-Policy" in page and "@media (max-width:600px)" in page
    assert "sk-secret" not in page


def test_results_show_lora_details_and_honest_note(md):
    for text in ("Training steps", "312 s", "0.41%", "3.5 MB", "2.910 → 1.740", "80% → 68%"):
        assert text in md, text
    assert "not new facts" in md
    assert "Forgetting drop (general probe) | 0.125" in md


def test_cost_section_prices_the_run_at_the_teams_volume(data, md):
    section = md[md.index("## Cost at your volume") : md.index("## Prerequisites")]
    # prompt: 1.2 s (p50; the run stored no rate) x 20,000 queries x $0.10/h = $0.67
    assert "| prompt | $0.67 | $0 | $0 |" in section
    # lora: 312.4 s / 32 examples x 800 = 7,810 s = $0.22; upkeep 2 x ($0.22 + $1,200-$2,400)
    assert "| lora | $0.67 | $0.22 | $2,400–$4,800 |" in section
    assert "measured p50 answer time 1.20 s (no mean stored) on cpu at $0.10/h" in section
    assert "scaled to your 800 examples" in section
    assert "LoRA fine-tuning never pays back against RAG" in section  # same time per answer
    assert "](data:image/png;base64," in section
    costs = data.advice.costs
    assert costs.monthly_queries == 20_000 and costs.run_id == data.run_info["run_id"]


def test_cost_section_without_a_run_says_why(bare):
    md = render_markdown(bare)
    section = md[md.index("## Cost at your volume") : md.index("## Prerequisites")]
    assert "No trial run with measured speed yet" in section and "|" not in section


def test_pdf_names_the_approach_and_spans_pages(data, pdf):
    assert pdf.startswith(b"%PDF")
    pages, text = _pdf_text(pdf)
    assert pages >= 2
    for expected in _expected(data):
        assert re.sub(r"\s+", " ", expected) in text, expected
    assert "Sample answers" in text and HOSTILE in text  # PDF prints user text literally


def test_recommendation_only_report_has_no_results(bare):
    assert bare.run is None and build_charts(bare) == {}
    md, page = render_markdown(bare), render_html(bare)
    pages, text = _pdf_text(render_pdf(bare))
    label = APPROACH_LABELS[bare.advice.recommendation.approach]
    for out in (md, page, text):
        assert label in out
        assert "Measured results" not in out and "Sample answers" not in out
        assert "Monitoring plan" in out
    assert "data:image/png" not in md + page
    assert pages >= 1


def test_render_registry_and_unknown_format(data):
    assert set(RENDERERS) == {"md", "html", "pdf"}
    assert render(data, "md").decode("utf-8").startswith("# Adaptation Advisor report")
    assert render(data, "html").startswith(b"<!DOCTYPE html>")
    with pytest.raises(ReportError, match=r"unknown format 'docx'; available: md, html, pdf"):
        render(data, "docx")


def test_charts_are_pngs_and_empty_without_finished_trials(data, tmp_path):
    charts = build_charts(data)
    assert set(charts) == {"scores", "latency", "cost"}
    assert all(png.startswith(PNG_MAGIC) for png in charts.values())
    with Store(tmp_path / "f.duckdb") as store:
        failed = build_report_data(_profile(), store, _fill(store, failed_only=True), now=NOW)
    assert build_charts(failed) == {}
    md = render_markdown(failed)
    assert md_escape(f"The rag+lora trial failed: {FAILED_ERROR}") in md
    assert "data:image/png" not in md


def test_md_escape_neutralises_markup():
    assert md_escape("# title") == "\\# title"
    assert md_escape("-5% and 0.41") == "-5% and 0.41"
    assert md_escape("---") == "\\---"
    assert md_escape("a | b `c` *d* [e](f)") == "a \\| b \\`c\\` \\*d\\* \\[e\\](f)"
    assert md_escape("1. x\n- y") == "1\\. x\\\n\\- y"  # a hard break, not <br>
    assert md_escape("R&D <team> &amp;") == "R&D \\<team\\> \\&amp;"
    assert md_escape("two\nlines", cell=True) == "two; lines"
    assert md_escape("<a> & b") == "\\<a\\> & b"


def test_partial_and_cancelled_trials_are_stated_with_their_error():
    profile = _profile()
    run = {
        "run": {"run_id": "r1", "status": "cancelled", "n_heldout": 6, "error": ""},
        "trials": {
            "prompt": {"status": "partial", "summary": _summary(0.4), "error": "timed out"},
            "rag": {"status": "cancelled", "summary": {}, "error": "cancelled by the user"},
        },
    }
    data = ReportData(advise(profile), profile, run, {}, "2025-03-04 09:30", "0.1.0")
    md = render_markdown(data)
    assert "The prompt trial only partly finished: timed out." in md
    assert "The rag trial was cancelled: cancelled by the user." in md
    assert "Contains the reference | 0.400" in md  # a partial trial still shows its numbers


def test_charts_leave_no_pyplot_state(data, tmp_path):
    """Charts draw on the object API: pyplot (global figure state shared by every visitor's
    thread) is never imported. Checked in a fresh interpreter, where nothing else has
    imported it first, so the test cannot pass by accident."""
    import pickle
    import subprocess

    (tmp_path / "data.pkl").write_bytes(pickle.dumps(data))
    code = (
        "import pickle, sys; from assistant.report.charts import build_charts; "
        f"pngs = build_charts(pickle.load(open({str(tmp_path / 'data.pkl')!r}, 'rb'))); "
        "print(len(pngs), 'matplotlib.pyplot' in sys.modules)"
    )
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-1000:]
    charts, pyplot = out.stdout.split()
    assert int(charts) >= 1 and pyplot == "False"


def test_trial_table_scores_each_kind_of_item_apart():
    from assistant.report.blocks import Table
    from assistant.report.results import _trial_blocks
    from eval.scoring.table import METRIC_BY_KEY

    kinds = {"cloze": {"n": 4, "contains": 0.75}, "question": {"n": 12, "contains": 0.4167}}
    summary = {"contains": 0.5, "n": 16, "by_kind": kinds}
    blocks = _trial_blocks("rag", {"status": "finished", "summary": summary},
                           [METRIC_BY_KEY["contains"]])  # fmt: skip
    rows = [list(r) for r in next(b for b in blocks if isinstance(b, Table)).rows]
    assert rows[-2:] == [["Fill-in-the-blank only (n=4)", "0.75"],
                         ["Real questions only (n=12)", "0.42"]]  # fmt: skip
