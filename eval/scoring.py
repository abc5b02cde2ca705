"""Score a trial's items and summarise them: quality, retrieval, speed and cost."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from typing import Any

from eval import metrics
from eval.config import TrialConfig
from eval.runners.base import ItemResult

QUALITY = ("em", "f1", "contains", "rouge_l")


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
    """Mean scores, latency p50/p95, tokens/s and estimated cost for one trial."""
    for item in items:
        item.scores = score_item(item)
    out: dict[str, Any] = {"n": len(items)}
    keys = sorted({k for item in items for k in item.scores})
    for key in keys:
        values = [item.scores[key] for item in items if key in item.scores]
        out[key] = round(statistics.fmean(values), 4) if values else 0.0
    latencies = [item.latency_s for item in items]
    out["latency_p50_s"] = round(percentile(latencies, 0.5), 3)
    out["latency_p95_s"] = round(percentile(latencies, 0.95), 3)
    gen_tokens = sum(item.completion_tokens for item in items)
    out["tokens_per_s"] = round(gen_tokens / sum(latencies), 1) if sum(latencies) else 0.0
    rate = config.gpu_usd_per_hour if device == "cuda" else config.cpu_usd_per_hour
    mean_latency = statistics.fmean(latencies) if latencies else 0.0
    out["cost_per_1k_queries_usd"] = round(mean_latency * 1000 * rate / 3600, 4)
    out["eval_compute_usd"] = round(sum(latencies) * rate / 3600, 5)
    return out


def training_cost(train_seconds: float, config: TrialConfig, device: str = "cpu") -> float:
    rate = config.gpu_usd_per_hour if device == "cuda" else config.cpu_usd_per_hour
    return round(train_seconds * rate / 3600, 5)
