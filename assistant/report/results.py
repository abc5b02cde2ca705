"""Report sections that come from a trial run: measured results and the appendix."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from assistant.advice.rules import ACT_DROP
from assistant.report.blocks import (
    Block,
    Chart,
    Heading,
    Para,
    is_num,
    pct,
    plain,
    score,
    table,
    usd,
)
from assistant.report.charts import CHART_TITLES
from assistant.report.data import ReportData, sample_questions, scored_trials
from assistant.report.diagnosis import failure_blocks, sweep_blocks
from assistant.report.verdicts import comparisons_blocks
from eval.scoring.table import Metric, format_value, present_metrics

LORA_DETAILS: tuple[tuple[str, str, Callable[[Any], str]], ...] = (
    ("steps", "Training steps", str),
    ("train_seconds", "Training time", lambda v: f"{v:,.0f} s"),
    ("train_examples", "Training examples", str),
    ("stopped_by", "Training stopped by", str),
    ("trainable_share", "Trainable parameters", lambda v: pct(v, 2)),
    ("adapter_mb", "Adapter size", lambda v: f"{v:g} MB"),
    ("train_cost_usd", "Training compute cost", usd),
    ("device", "Device", str),
)
STATUS_SENTENCES = {
    "failed": "The {name} trial failed: {error}. It produced no usable scores.",
    "cancelled": "The {name} trial was cancelled: {error}. It produced no usable scores.",
    "partial": "The {name} trial only partly finished: {error}. Its scores cover what finished.",
    "running": "The {name} trial was still running when this report was made.",
}
ANSWER_CHARS = 600
SMALL_HELDOUT = 100  # the guidance asks for 100-200 held-out pairs
_SECRET = re.compile(r"(api_key|secret|password|_token)$", re.IGNORECASE)


def results_section(data: ReportData, charts: dict[str, bytes]) -> list[Block]:
    """Run overview, a table per trial, charts, LoRA details and an honest reading."""
    if not data.run:
        return []
    out: list[Block] = [Heading(2, "Measured results"), *_run_overview(data)]
    metrics = present_metrics(t.get("summary") or {} for t in data.trials.values())
    left = left_out(data)
    for name, trial in data.trials.items():
        out += _trial_blocks(name, trial, metrics, left.get(name, ""))
    out += comparisons_blocks(data.run_info.get("compare") or [], left)
    if charts:
        out.append(Heading(3, "Charts"))
        out += [Chart(png, CHART_TITLES.get(key, key)) for key, png in charts.items()]
    for name, summary in scored_trials(data).items():
        if "train_seconds" in summary:
            out += _lora_details(name, summary)
    out += failure_blocks(data) + sweep_blocks(data)
    note = _format_not_facts(scored_trials(data))
    if note:
        out += [Heading(3, "Reading the LoRA result"), Para(note, "note")]
    return out


def _run_overview(data: ReportData) -> list[Block]:
    run = data.run_info
    n_heldout = run.get("n_heldout") or 0
    rows = [
        ["Run id", str(run.get("run_id", ""))],
        ["Status", str(run.get("status", ""))],
        ["Held-out questions", str(n_heldout)],
        ["Training pairs", str(run.get("n_train") or 0)],
        ["Started", plain(run.get("started_at")).replace("T", " ")],
        ["Finished", plain(run.get("finished_at")).replace("T", " ")],
    ]
    out: list[Block] = [table(("Run", "Value"), rows, (1, 2))]
    if run.get("error"):
        out.append(Para(f"The run ended {run.get('status')}: {run['error']}", "alert"))
    if 0 < n_heldout < SMALL_HELDOUT:
        out.append(
            Para(
                f"Only {n_heldout} held-out questions: differences of a few points between "
                "trials may be noise. Aim for 100-200 before deciding.",
                "note",
            )
        )
    if not data.trials:
        out.append(Para("The run has no trial results.", "alert"))
    return out


def _with_interval(metric: Metric, summary: dict[str, Any]) -> str:
    text = format_value(metric.kind, summary.get(metric.key))
    bounds = (summary.get("ci95") or {}).get(metric.key)
    return f"{text} [{bounds[0]:.2f}–{bounds[1]:.2f}]" if bounds else text


def left_out(data: ReportData) -> dict[str, str]:
    """Trials of the picked run left out of the verdicts → the sentence that says why."""
    picked = data.picked
    return {u.trial: u.sentence(picked.metric) for u in picked.unfinished} if picked else {}


def _trial_blocks(
    name: str, trial: dict[str, Any], metrics: list[Metric], left: str = ""
) -> list[Block]:
    status = trial.get("status") or "unknown"
    summary = trial.get("summary") or {}
    left = left if status == "partial" else ""  # failed or cancelled: no scores to explain
    shown = f"{status}: unfinished, left out of the verdicts" if left else status
    out: list[Block] = [Heading(3, f"Trial: {name} ({shown})")]
    error = trial.get("error") or "no error message was recorded"
    if left:
        out.append(Para(left, "alert"))
    elif status in STATUS_SENTENCES:
        out.append(Para(STATUS_SENTENCES[status].format(name=name, error=error), "alert"))
    elif trial.get("error"):
        out.append(Para(f"Note: {trial['error']}", "note"))
    if summary:
        rows = [[m.label, _with_interval(m, summary)] for m in metrics if m.key in summary]
        if "n" in summary:
            rows.insert(0, ["Questions scored", str(summary["n"])])
        rows += [
            [f"{KIND_LABELS.get(kind, kind)} only (n={part['n']})", f"{value:.2f}"]
            for kind, part in (summary.get("by_kind") or {}).items()
            for key, value in part.items()
            if key != "n"
        ]
        out.append(table(("Metric", name), rows, (2, 1)))
    return out


# Held-out item kinds, scored apart when a set mixes them (eval.scoring.by_kind).
KIND_LABELS = {"question": "Real questions", "cloze": "Fill-in-the-blank", "uploaded": "Your pairs"}


def _lora_details(name: str, summary: dict[str, Any]) -> list[Block]:
    rows = [
        [label, fmt(summary[k])] for k, label, fmt in LORA_DETAILS if summary.get(k) is not None
    ]
    losses = summary.get("loss_curve") or []
    first = summary.get("loss_first", losses[0] if losses else None)
    last = summary.get("loss_last", losses[-1] if losses else None)
    if is_num(first) and is_num(last):
        rows.append(["Training loss first → last", f"{first:.3f} → {last:.3f}"])
    if is_num(summary.get("probe_base")) and is_num(summary.get("probe_adapted")):
        probe = f"{pct(summary['probe_base'])} → {pct(summary['probe_adapted'])}"
        rows.append(["General probe base → adapted", probe])
    return [Heading(3, f"LoRA training details ({name})"), table(("Detail", "Value"), rows, (2, 1))]


def _format_not_facts(trials: dict[str, dict[str, Any]]) -> str:
    """Say so plainly when the adapter learned the answer shape but not the facts."""
    lora = trials.get("lora", {}).get("contains")
    for base, label in (("rag", "RAG"), ("prompt", "prompting alone")):
        other = trials.get(base, {}).get("contains")
        if is_num(lora) and is_num(other) and lora < other:
            return (
                f"The LoRA adapter put the reference answer in {pct(lora)} of its answers, "
                f"against {pct(other)} for {label}. A short LoRA run mostly learns the format "
                "and tone of answers, not new facts: facts belong in retrieval, and an adapter "
                "is worth it only for a behaviour gap that prompting cannot close."
            )
    return ""


def forgetting_sentence(data: ReportData) -> str:
    """The measured forgetting drop as one sentence, or "" when no LoRA trial measured it.

    The share retained (adapted / base) comes first: a drop of 0.10 is mild from 0.90 and
    half of everything from 0.20. A drop counts when its interval's low end exceeds ACT_DROP.
    """
    for name, summary in scored_trials(data).items():
        drop = summary.get("forgetting_drop")
        if not is_num(drop):
            continue
        base, adapted = summary.get("probe_base"), summary.get("probe_adapted")
        probe = f"{pct(adapted)} against {pct(base)} for the base model"
        if is_num(base) and is_num(adapted) and base > 0:
            probe += f", {pct(adapted / base)} of its score retained"
        bounds = summary.get("forgetting_ci95")
        interval = (f", 95% interval {bounds[0]:.3f} to {bounds[1]:.3f}"
                    if bounds and len(bounds) == 2 else "")  # fmt: skip
        if drop <= 0:
            return (
                f"Measured forgetting: none. On the general-knowledge probe the {name} adapter "
                f"scored {probe} (forgetting drop {drop:.3f}{interval})."
            )
        sentence = (
            f"Measured forgetting: on the general-knowledge probe the {name} adapter scored "
            f"{probe}, a drop of {drop * 100:.1f} percentage points (forgetting drop "
            f"{drop:.3f}{interval})."
        )
        if bounds and len(bounds) == 2 and bounds[0] > ACT_DROP:
            sentence += (f" Even the interval's low end exceeds the {ACT_DROP:.2f} drop at which "
                         "monitoring acts: it counts against the adapter.")  # fmt: skip
        if drop >= ACT_DROP:
            sentence += " Gate every further run on this probe before shipping an adapter."
        return sentence
    return ""


def appendix_section(data: ReportData) -> list[Block]:
    costs = [
        [
            k.removesuffix("_usd").replace("_usd_", " ").replace("_", " "),
            f"${v:g}" if "_usd" in k else f"{v:g}",  # base model updates are a count
        ]
        for k, v in data.advice.plan.rates.to_dict().items()
    ]
    out: list[Block] = [
        Heading(2, "Appendix"),
        Heading(3, "Cost assumptions"),
        table(("Assumption", "Value"), costs, (2, 1)),
    ]
    if not data.run:
        return out
    run = data.run_info
    for title, values in (
        ("Run settings", run.get("settings")),
        ("Models", run.get("models")),
        ("Trial configuration", run.get("config")),
    ):
        if values:
            out += [Heading(3, title), table(("Name", "Value"), _pairs(values), (1, 2))]
    files = [
        [str(f.get("name", "")), str(f.get("sha256", ""))[:16]] for f in run.get("files") or []
    ]
    if files:
        out += [Heading(3, "Files"), table(("File", "SHA-256 (start)"), files, (2, 1))]
    return out + _samples(data)


def _pairs(values: dict[str, Any]) -> list[list[str]]:
    rows = []
    for key, value in values.items():
        secret = _SECRET.search(str(key)) and value not in ("", None, "***")
        rows.append([str(key), "***" if secret else plain(value)])
    return rows


def _samples(data: ReportData) -> list[Block]:
    samples = sample_questions(data)
    if not samples:
        return []
    out: list[Block] = [Heading(3, "Sample answers")]
    for i, sample in enumerate(samples, 1):
        out.append(Para(f"Question {i}: {sample['question']}", "label"))
        rows = [["Reference", sample["reference"] or "—", ""]]
        rows += [[name, *_answer(data, name, item)] for name, item in sample["answers"].items()]
        out.append(table(("Trial", "Answer", "Contains"), rows, (1, 4, 1)))
    return out


def _answer(data: ReportData, name: str, item: dict[str, Any] | None) -> list[str]:
    if item is None:
        status = data.trials.get(name, {}).get("status", "unknown")
        return [f"(no answer: the trial {status})", "—"]
    text = (item.get("prediction") or "").strip() or "(empty answer)"
    if len(text) > ANSWER_CHARS:
        text = text[:ANSWER_CHARS].rstrip() + "…"
    return [text, score((item.get("scores") or {}).get("contains"))]
