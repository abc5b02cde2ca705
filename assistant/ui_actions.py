"""What the web UI's buttons do, as plain functions over SessionState and Services.

Each function returns plain data (strings, rows, paths) that app.py puts into
components; no Gradio here, so all of it runs in tests without a browser.
"""

from __future__ import annotations

import html
import shutil
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from assistant.services import Services
from assistant.session import SessionState, upload_dir
from eval.config import LoraConfig, TrialConfig
from eval.dataset import EvalPair
from knowledge.ingest import safe_source

METRICS = (
    ("em", "EM"), ("f1", "F1"), ("contains", "Contains"), ("rouge_l", "ROUGE-L"),
    ("recall_at_k", "Recall@k"), ("groundedness", "Grounded"), ("latency_p50_s", "p50 s"),
    ("latency_p95_s", "p95 s"), ("cost_per_1k_queries_usd", "$ / 1k queries"),
    ("forgetting_drop", "Forgetting drop"),
)  # fmt: skip


def esc(text: Any) -> str:
    """User-supplied text shown in Markdown: HTML-escaped so it can never become markup."""
    return html.escape(str(text), quote=False)


def store_uploads(
    services: Services, state: SessionState, paths: Sequence[str], max_mb: float
) -> tuple[list[Path], list[str]]:
    """Copy uploaded temp files into the session's folder; (kept paths, problems)."""
    folder = upload_dir(services.settings, state)
    folder.mkdir(parents=True, exist_ok=True)
    kept, problems = [], []
    for raw in paths:
        path = Path(raw)
        name = safe_source(path.name).replace("/", "_")
        if not path.is_file():
            problems.append(f"{esc(name)}: the upload did not arrive; please try again")
        elif path.stat().st_size > max_mb * 1e6:
            problems.append(f"{esc(name)}: larger than the {max_mb:g} MB upload limit")
        else:
            target = folder / name
            shutil.copyfile(path, target)
            kept.append(target)
    return kept, problems


def ingest_uploads(services: Services, state: SessionState, paths: Sequence[Path]) -> list[str]:
    """Index documents into the session's workspace; Q/A files become the trial's Q/A set."""
    from knowledge.workspace import index_paths, open_index

    index = open_index(state.workspace, services.settings, services.embedder())
    report = index_paths(list(paths), index)
    lines = []
    if report.ingest.documents or report.ingest.unchanged:
        lines.append(
            f"Added {len(report.ingest.documents)} document part(s) as {report.chunks} chunks "
            f"to your workspace ({index.count()} chunks in total)."
        )
    if report.qa_pairs:
        qa_sources = sorted({p.source for p in report.qa_pairs})
        state.qa_file = str(next(p for p in paths if p.name in qa_sources))
        lines.append(f"Found {len(report.qa_pairs)} question/answer pairs in {esc(qa_sources[0])}.")
    lines += [f"Skipped {esc(s.file)}: {esc(s.reason)}" for s in report.ingest.skipped]
    lines += [esc(note) for note in report.ingest.notes]
    state.uploads = sorted({*state.uploads, *(str(p) for p in paths)})
    return lines or ["Nothing new to add (those files were already in your workspace)."]


def trial_config(trials: Sequence[str], top_k: int, lora_budget_s: float, seed: int) -> TrialConfig:
    return TrialConfig(
        trials=tuple(trials), top_k=int(top_k), seed=seed,
        lora=replace(LoraConfig(), time_budget_s=float(lora_budget_s)),
    )  # fmt: skip


def pairs_from_rows(rows: Sequence[Sequence[Any]]) -> list[EvalPair]:
    """Reviewed pairs from the editable table (rows: question, answer, source)."""
    out = []
    for i, row in enumerate(rows):
        question, answer = (str(row[0] or "").strip(), str(row[1] or "").strip())
        if question and answer:
            source = str(row[2]) if len(row) > 2 else ""
            out.append(EvalPair(f"r{i + 1}", question, answer, source, generated=True))
    return out


def generate_for_review(services: Services, state: SessionState, n: int) -> list[list[str]]:
    """Generate Q/A pairs from the workspace's chunks for the user to review and edit."""
    from eval.dataset import generate_pairs
    from knowledge.workspace import open_index

    index = open_index(state.workspace, services.settings, services.embedder())
    config = replace(TrialConfig(), generate_pairs=int(n))
    pairs = generate_pairs(index.all_chunks(), services.chat(), config)
    return [[p.question, p.answer, p.source] for p in pairs]


def run_trial(
    services: Services,
    state: SessionState,
    config: TrialConfig,
    chunk_size: int,
    reviewed: Sequence[EvalPair] | None,
    progress: Callable[[str, int, int], None],
) -> Any:
    """Run the chosen trials on the session's workspace (raises TrialBusy if one runs)."""
    from eval.trial import run_trials

    settings = services.settings.with_(chunk_size=int(chunk_size))
    if not state.uploads:
        raise ValueError("Upload some documents first (Trials tab or drop them in the chat).")
    docs = [Path(p) for p in state.uploads if p != state.qa_file]
    result = run_trials(
        docs, settings=settings, store=services.store(), chat=services.chat(),
        embedder=services.embedder(), config=config, qa_file=state.qa_file or None,
        workspace=state.workspace, pairs=reviewed or None, progress=progress,
        cancel=services.cancel_flag(state.session_id), gate=services.trial_gate,
    )  # fmt: skip
    state.run_ids.append(result.run_id)
    return result


def summary_rows(trials: dict[str, dict[str, Any]]) -> tuple[list[str], list[list[Any]]]:
    """Headers and one row per trial for the results table (from Store.get_run trials)."""
    headers = ["Trial", "Status", *(label for _, label in METRICS)]
    rows = []
    for name, trial in trials.items():
        summary = trial.get("summary") or {}
        cells = [summary.get(key, "") for key, _ in METRICS]
        cells = [round(c, 3) if isinstance(c, float) else c for c in cells]
        status = trial["status"] + (f": {trial['error']}" if trial.get("error") else "")
        rows.append([name, status, *cells])
    return headers, rows


def question_labels(items: dict[str, list[dict[str, Any]]]) -> list[str]:
    first = next(iter(items.values()), [])
    return [f"{i + 1}. {item['question'][:90]}" for i, item in enumerate(first)]


def question_detail(items: dict[str, list[dict[str, Any]]], label: str) -> str:
    """Markdown for one held-out question: reference, each trial's answer and sources."""
    if not label or not items:
        return ""
    idx = int(label.split(".", 1)[0]) - 1
    first = next(iter(items.values()))
    lines = [f"**Question:** {esc(first[idx]['question'])}\n",
             f"**Reference:** {esc(first[idx]['reference'])}"]  # fmt: skip
    for trial, rows in items.items():
        item = rows[idx]
        scores = ", ".join(f"{k} {v:.2f}" for k, v in item["scores"].items())
        lines.append(
            f"\n**{trial}** ({scores}, {item['latency_s']:.2f} s)\n\n> {esc(item['prediction'])}"
        )
        sources = [
            esc(r["source"]) + (f" p.{r['page']}" if r.get("page") else "")
            for r in item.get("retrieved") or []
        ]
        if sources:
            lines.append("\nSources: " + "; ".join(sources))
    return "\n".join(lines)


def load_items(services: Services, run_id: str) -> dict[str, list[dict[str, Any]]]:
    store = services.store()
    run = store.get_run(run_id) or {"trials": {}}
    items = {name: store.get_items(run_id, name) for name in run["trials"]}
    return {name: rows for name, rows in items.items() if rows}


def history_rows(services: Services) -> list[list[Any]]:
    rows = []
    for run in services.store().list_runs(limit=100):
        trials = ", ".join(f"{t['trial']} ({t['status']})" for t in run.get("trials", []))
        rows.append([run["run_id"], run["started_at"], run["status"], run["n_heldout"], trials])
    return rows


def compare_rows(services: Services, run_a: str, run_b: str) -> tuple[list[str], list[list[Any]]]:
    """Side-by-side metrics of two runs: one row per (trial, metric)."""
    store = services.store()
    a, b = store.get_run(run_a), store.get_run(run_b)
    if a is None or b is None:
        return ["Trial", "Metric", run_a, run_b], []
    rows = []
    for trial in sorted(set(a["trials"]) | set(b["trials"])):
        for key, label in METRICS:
            left = (a["trials"].get(trial, {}).get("summary") or {}).get(key, "")
            right = (b["trials"].get(trial, {}).get("summary") or {}).get(key, "")
            if left != "" or right != "":
                rows.append([trial, label, left, right])
    return ["Trial", "Metric", run_a, run_b], rows
