"""The one table of metrics: key, label, display format and direction of each.

The results table, the report, the CLI and the History tab all read `METRICS`, so a
metric is named the same everywhere. Keys are what `eval.scoring.metrics.item_scores`
and the summaries store; a metric appears once, whatever the kind of trial.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Metric:
    key: str
    label: str  # for reports
    short: str  # for table headers
    kind: str = "score"  # score (0..1), seconds, usd, count, tokens, ratio
    higher_is_better: bool = True


METRICS: tuple[Metric, ...] = (
    Metric("exact_match", "Exact match", "EM"),
    Metric("token_f1", "Token F1", "Token F1"),
    Metric("contains", "Contains the reference", "Contains"),
    Metric("rouge_l", "ROUGE-L", "ROUGE-L"),
    Metric("recall_at_k", "Retrieval recall@k", "Recall@k"),
    Metric("groundedness", "Groundedness", "Grounded"),
    Metric("accuracy", "Accuracy", "Acc"),
    Metric("macro_f1", "Macro-F1", "Macro-F1"),
    Metric("out_of_label_rate", "Answers outside the label set", "Off-label", "score", False),
    Metric("valid_json", "Valid JSON", "Valid JSON"),
    Metric("json_exact", "Exact JSON match", "JSON exact"),
    # Lists of names, tags or IDs count as multisets: order is scored only where the
    # references show it matters (eval.scoring.json.ordered_paths).
    Metric("field_f1", "Field-level F1 (unordered lists as multisets)", "Field F1"),
    Metric("schema_match", "Same keys and types", "Schema"),
    Metric("length_ratio", "Answer length / reference length", "Len ratio", "ratio", False),
    Metric("judge_yes_rate", "Judge says yes", "Judge yes"),
    # Answer length next to the scores: a "better" score that comes from longer answers
    # (contains rewards rambling) shows up here. Shorter is cheaper, hence the direction.
    Metric("answer_words_p50", "Answer length in words (p50)", "Words", "count", False),
    Metric("latency_p50_s", "Latency p50", "p50 s", "seconds", False),
    Metric("latency_p95_s", "Latency p95", "p95 s", "seconds", False),
    Metric("prompt_tokens_p50", "Prompt tokens per query (p50)", "Prompt tok", "tokens", False),
    Metric("cost_per_1k_queries_usd", "Cost per 1,000 queries", "$ / 1k q", "usd", False),
    Metric("train_seconds", "Training time", "Train s", "seconds", False),
    Metric("forgetting_drop", "Forgetting drop (general probe)", "Forget", "score", False),
    Metric("probe_retained", "Share of the general probe retained", "Retained"),
)
METRIC_BY_KEY = {m.key: m for m in METRICS}


def present_metrics(summaries: Iterable[dict[str, Any]]) -> list[Metric]:
    """The METRICS rows that at least one of these trial summaries has a number for."""
    summaries = list(summaries)
    return [m for m in METRICS if any(_is_number(s.get(m.key)) for s in summaries)]


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def format_value(kind: str, value: Any) -> str:
    """A metric value as text for tables: "0.450", "1.23 s", "$0.0041", "—" when missing."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return "—" if value in (None, "") else str(value)
    if kind == "seconds":
        return f"{value:.2f} s"
    if kind == "usd":
        return f"${value:,.0f}" if abs(value) >= 100 else f"${value:,.4g}"
    if kind in ("count", "tokens"):
        return f"{value:,.0f}"
    if kind == "ratio":
        return f"{value:.2f}×"
    return f"{value:.3f}"
