"""A readable plain-text table of a run's trial summaries, for the terminal."""

from __future__ import annotations

from typing import Any

from eval.data.evalset import describe
from eval.drill.measure import drill_lines
from eval.scoring.attribution import fix_first_line
from eval.scoring.comparison import Comparison, span
from eval.scoring.table import present_metrics
from eval.sweep import sweep_lines


def _cell(value: Any) -> str:
    if value is None or value == "":
        return "-"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def format_run(run: dict[str, Any]) -> str:
    """Run header, one row per trial, then notes (failures, warnings, LoRA details)."""
    kind = run.get("kind", "knowledge") + (f" ({run['task']})" if run.get("task") else "")
    lines = [
        f"run {run['run_id']} [{kind}]: {run['status']} — {run['n_train']} train / "
        f"{run['n_heldout']} held-out"
    ]
    if evaluated := describe(run.get("eval_set")):
        lines.append(f"evaluated on {evaluated}")
    columns = [(m.key, m.short) for m in present_metrics(run["trials"].values())]
    header = ["trial", "status", *(label for _, label in columns)]
    rows = [header]
    for name, summary in run["trials"].items():
        rows.append([name, summary.get("status", ""), *(_cell(summary.get(k)) for k, _ in columns)])
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    for row in rows:
        lines.append("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
    for name, summary in run["trials"].items():
        if "train_seconds" in summary:
            lines.append(
                f"{name}: {summary['steps']} steps in {summary['train_seconds']} s, loss "
                f"{summary.get('loss_first')} → {summary.get('loss_last')}, trainable "
                f"{summary['trainable_share']:.2%}, adapter {summary['adapter_mb']} MB"
            )
        if summary.get("note"):
            lines.append(f"{name}: {summary['note']}")
        if line := fix_first_line(name, summary):
            lines.append(line)
    lines += [comparison_line(Comparison.from_dict(row)) for row in run.get("compare") or []]
    lines += drill_lines(run.get("drill") or {}) + sweep_lines(run.get("sweep") or {})
    lines += [f"warning: {w}" for w in run.get("warnings", [])]
    if run.get("error"):
        lines.append(f"error: {run['error']}")
    return "\n".join(lines)


def comparison_line(c: Comparison) -> str:
    """'lora vs few-shot on accuracy: +0.133 [-0.005, +0.297], p = 0.125 → inconclusive, ...'."""
    lo, hi = c.ci95
    line = (f"{c.a} vs {c.b} on {c.metric}: {c.delta:+.3f} [{lo:+.3f}, {hi:+.3f}], "
            f"{c.p_text()} → {c.verdict}")  # fmt: skip
    if c.verdict == "inconclusive" and c.items_range:
        line += f", ~{span(*c.items_range)} items would find a difference of {c.margin:.2f}"
    return line


def print_run(run: dict[str, Any]) -> None:
    print(format_run(run))
