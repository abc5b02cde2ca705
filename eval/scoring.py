"""Score a trial's items and summarise them: quality, retrieval, speed and cost."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from typing import Any

from eval import metrics
from eval.config import TrialConfig
from eval.runners.base import ItemResult
from eval.stats import mean_ci

QUALITY = ("em", "f1", "contains", "rouge_l")
# Scores that get a bootstrap interval in the summary (the ones decisions read).
INTERVAL_KEYS = frozenset(
    {"contains", "em", "f1", "rouge_l", "recall_at_k", "exact_match", "accuracy", "in_label_set",
     "valid_json", "json_exact", "field_f1", "schema_match", "token_f1"}
)  # fmt: skip


def score_item(item: ItemResult) -> dict[str, float]:
    scores = {
        "em": metrics.exact_match(item.prediction, item.reference),
        "f1": metrics.token_f1(item.prediction, item.reference),
        "contains": metrics.contains(item.prediction, item.reference),
        "rouge_l": metrics.rouge_l(item.prediction, item.reference),
    }
    if item.retrieved:
        texts = [r["text"] for r in item.retrieved]
        scores["recall_at_k"] = metrics.recall_at_k(texts, item.reference)
        scores["groundedness"] = metrics.groundedness(item.prediction, item.context)
    return {k: round(v, 4) for k, v in scores.items()}


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile; 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def summarize(
    items: Sequence[ItemResult], config: TrialConfig, device: str = "cpu"
) -> dict[str, Any]:
    """Mean scores with 95% intervals, latency, tokens and estimated cost for one trial."""
    for item in items:
        item.scores = score_item(item)
    return {"n": len(items), **_means(items), **speed_and_cost(items, config, device)}


def summarize_behaviour(
    items: Sequence[ItemResult], task: str, labels: Sequence[str], config: Any, device: str
) -> dict[str, Any]:
    """The behaviour-trial summary: per-task metrics (eval.task_metrics) plus speed and cost."""
    from eval import task_metrics

    for item in items:
        item.scores = task_metrics.item_scores(task, item.prediction, item.reference, labels)
    preds, refs = [i.prediction for i in items], [i.reference for i in items]
    out = {"n": len(items), **_means(items)}
    out |= task_metrics.set_scores(task, preds, refs, labels)
    return out | speed_and_cost(items, config, device)


def _means(items: Sequence[ItemResult]) -> dict[str, Any]:
    """Mean of every per-item score, and its bootstrap 95% interval under "ci95"."""
    out: dict[str, Any] = {}
    intervals: dict[str, list[float]] = {}
    for key in sorted({k for item in items for k in item.scores}):
        values = [item.scores[key] for item in items if key in item.scores]
        out[key] = round(statistics.fmean(values), 4) if values else 0.0
        if key in INTERVAL_KEYS and values:
            intervals[key] = list(mean_ci(values))
    out["ci95"] = intervals
    return out


def speed_and_cost(items: Sequence[ItemResult], config: Any, device: str) -> dict[str, Any]:
    """Latency p50/p95, tokens per query and the cost of 1,000 queries at the hardware's rate."""
    latencies = [item.latency_s for item in items]
    rate = config.gpu_usd_per_hour if device == "cuda" else config.cpu_usd_per_hour
    mean_latency = statistics.fmean(latencies) if latencies else 0.0
    gen_tokens = sum(item.completion_tokens for item in items)
    return {
        "latency_p50_s": round(percentile(latencies, 0.5), 3),
        "latency_p95_s": round(percentile(latencies, 0.95), 3),
        "prompt_tokens_p50": percentile([i.prompt_tokens for i in items], 0.5),
        "completion_tokens_p50": percentile([i.completion_tokens for i in items], 0.5),
        "answer_words_p50": percentile([len(i.prediction.split()) for i in items], 0.5),
        "tokens_per_s": round(gen_tokens / sum(latencies), 1) if sum(latencies) else 0.0,
        "cost_per_1k_queries_usd": round(mean_latency * 1000 * rate / 3600, 4),
        "eval_compute_usd": round(sum(latencies) * rate / 3600, 5),
        "usd_per_hour": rate,
    }


def training_cost(train_seconds: float, config: TrialConfig, device: str = "cpu") -> float:
    rate = config.gpu_usd_per_hour if device == "cuda" else config.cpu_usd_per_hour
    return round(train_seconds * rate / 3600, 5)


def by_kind(kinds: Sequence[str], items: Sequence[ItemResult], metric: str) -> dict[str, Any]:
    """The metric per kind of held-out item, when the set mixes kinds (else {}).

    Fill-in-the-blank items turn retrieval into a copy task, so a score that mixes them
    with real questions flatters RAG; reported apart, each kind says what it measured.
    """
    if len(set(kinds)) < 2 or len(kinds) != len(items):
        return {}
    out: dict[str, Any] = {}
    for kind in sorted(set(kinds)):
        scores = [i.scores.get(metric, 0.0) for k, i in zip(kinds, items, strict=True) if k == kind]
        out[kind] = {"n": len(scores), metric: round(sum(scores) / len(scores), 4)}
    return out
