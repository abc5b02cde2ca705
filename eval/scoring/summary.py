"""Score a trial's items and summarise them: quality with intervals, retrieval, speed, cost.

One summary for both kinds of trial: `task` is "knowledge" or a behaviour task kind, and
`eval.scoring.metrics.item_scores` gives the scores that fit it. Cost is priced with the
team's `CostRates`, and the mean answer time is stored so later pricing starts from the
measurement, never from a price worked backwards.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from typing import Any

from assistant.core.rates import CostRates
from eval.scoring.intervals import mean_ci
from eval.scoring.json import ordered_paths
from eval.scoring.labels import set_scores
from eval.scoring.metrics import groundedness, item_scores, recall_at_k

# Scores that get a bootstrap interval in the summary (the ones decisions read).
INTERVAL_KEYS = frozenset(
    {"contains", "exact_match", "token_f1", "rouge_l", "recall_at_k", "accuracy",
     "in_label_set", "valid_json", "json_exact", "field_f1", "schema_match"}
)  # fmt: skip


def score_item(
    item: Any, task: str, labels: Sequence[str] = (), ordered: frozenset[str] = frozenset()
) -> dict[str, float]:
    """Every score of one answered item; retrieval scores when passages were retrieved."""
    scores = item_scores(task, item.prediction, item.reference, labels, ordered)
    if item.retrieved:
        texts = [r["text"] for r in item.retrieved]
        scores["recall_at_k"] = round(recall_at_k(texts, item.reference), 4)
        scores["groundedness"] = round(groundedness(item.prediction, item.context), 4)
    return scores


def summarize(
    items: Sequence[Any], task: str, rates: CostRates, device: str = "cpu",
    labels: Sequence[str] = (),
) -> dict[str, Any]:  # fmt: skip
    """Scores every item in place, then mean scores with 95% intervals, speed and cost.

    JSON lists are scored by position only where the references show their order
    matters (`ordered_paths`), the same rule for every approach of the run.
    """
    ordered = ordered_paths(i.reference for i in items) if task == "json" else frozenset()
    for item in items:
        item.scores = score_item(item, task, labels, ordered)
    preds, refs = [i.prediction for i in items], [i.reference for i in items]
    out = {"n": len(items), **_means(items)}
    out |= set_scores(task, preds, refs, labels)
    return out | speed_and_cost(items, rates, device)


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile; 0.0 for no values.

    >>> percentile([3, 1, 2, 10], 0.5), percentile([], 0.9)
    (2, 0.0)
    """
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def _means(items: Sequence[Any]) -> dict[str, Any]:
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


def speed_and_cost(items: Sequence[Any], rates: CostRates, device: str) -> dict[str, Any]:
    """Latency mean/p50/p95, tokens per query, and 1,000 queries priced at the team's rate."""
    latencies = [item.latency_s for item in items]
    rate = rates.serving_hour(device)
    mean_latency = statistics.fmean(latencies) if latencies else 0.0
    gen_tokens = sum(item.completion_tokens for item in items)
    return {
        "latency_mean_s": round(mean_latency, 4),
        "latency_p50_s": round(percentile(latencies, 0.5), 3),
        "latency_p95_s": round(percentile(latencies, 0.95), 3),
        "prompt_tokens_p50": percentile([i.prompt_tokens for i in items], 0.5),
        "completion_tokens_p50": percentile([i.completion_tokens for i in items], 0.5),
        "prompt_tokens_mean": round(statistics.fmean(i.prompt_tokens for i in items), 1)
        if items
        else 0.0,
        "completion_tokens_mean": round(statistics.fmean(i.completion_tokens for i in items), 1)
        if items
        else 0.0,
        "answer_words_p50": percentile([len(i.prediction.split()) for i in items], 0.5),
        "tokens_per_s": round(gen_tokens / sum(latencies), 1) if sum(latencies) else 0.0,
        "cost_per_1k_queries_usd": round(mean_latency * 1000 * rate / 3600, 4),
        "eval_compute_usd": round(sum(latencies) * rate / 3600, 5),
        "usd_per_hour": rate,
    }


def training_cost(train_seconds: float, rates: CostRates, device: str = "cpu") -> float:
    """Training time priced at the serving hardware's hourly rate."""
    return round(train_seconds * rates.serving_hour(device) / 3600, 5)


def by_kind(kinds: Sequence[str], items: Sequence[Any], metric: str) -> dict[str, Any]:
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


def average_seeds(
    items: Sequence[Any], replicas: Sequence[Sequence[Any]], task: str, metric: str,
    labels: Sequence[str] = (),
) -> dict[str, Any]:  # fmt: skip
    """Put the seed-averaged headline score on each item (so verdicts read it) and say how
    far the seeds spread. `items` are already scored; the answers shown stay the first
    seed's. Returns the summary keys to overwrite: the metric's mean and interval, `seeds`.
    """
    per_seed = [[item.scores.get(metric, 0.0) for item in items]]
    for replica in replicas:
        per_seed.append([score_item(item, task, labels).get(metric, 0.0) for item in replica])
    for i, item in enumerate(items):
        item.scores[metric] = round(statistics.fmean(seed[i] for seed in per_seed), 4)
    averaged = [item.scores[metric] for item in items]
    means = [round(statistics.fmean(seed), 4) for seed in per_seed]
    return {
        metric: round(statistics.fmean(averaged), 4),
        "seeds": {"n": len(per_seed), "means": means,
                  "spread": round(max(means) - min(means), 4)},
        "ci95_" + metric: list(mean_ci(averaged)),
    }  # fmt: skip
