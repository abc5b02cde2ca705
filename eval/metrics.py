"""Answer-quality metrics as pure functions, and the one table that names them.

Every function takes plain strings and returns a float in 0..1, so each is checked
against hand-computed values. `METRICS` is the single list of metric keys with their
label, display format and direction: the results table, the report, the CLI and the
History tab all read it, so a metric is named the same everywhere.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from knowledge.text import content_tokens, groundedness, normalize, tokens

__all__ = [
    "METRICS",
    "Metric",
    "contains",
    "content_tokens",
    "exact_match",
    "format_value",
    "groundedness",
    "normalize",
    "present_metrics",
    "recall_at_k",
    "rouge_l",
    "token_f1",
    "tokens",
]


@dataclass(frozen=True)
class Metric:
    key: str
    label: str  # for reports
    short: str  # for table headers
    kind: str = "score"  # score (0..1), seconds, usd, count, tokens, ratio
    higher_is_better: bool = True


METRICS: tuple[Metric, ...] = (
    Metric("em", "Exact match", "EM"),
    Metric("f1", "Token F1", "F1"),
    Metric("contains", "Contains the reference", "Contains"),
    Metric("rouge_l", "ROUGE-L", "ROUGE-L"),
    Metric("recall_at_k", "Retrieval recall@k", "Recall@k"),
    Metric("groundedness", "Groundedness", "Grounded"),
    Metric("exact_match", "Exact match", "EM"),
    Metric("accuracy", "Accuracy", "Acc"),
    Metric("macro_f1", "Macro-F1", "Macro-F1"),
    Metric("out_of_label_rate", "Answers outside the label set", "Off-label", "score", False),
    Metric("valid_json", "Valid JSON", "Valid JSON"),
    Metric("json_exact", "Exact JSON match", "JSON exact"),
    Metric("field_f1", "Field-level F1", "Field F1"),
    Metric("schema_match", "Same keys and types", "Schema"),
    Metric("token_f1", "Token F1", "Token F1"),
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


def exact_match(prediction: str, reference: str) -> float:
    """1 when both normalise to the same text (`knowledge.text.normalize` says what counts:
    "Zone A" is not "Zone B", "9.5" is not "95", "14-day" is "14 days").
    """
    return float(normalize(prediction) == normalize(reference))


def token_f1(prediction: str, reference: str) -> float:
    """Harmonic mean of token precision and recall (bag of words)."""
    pred, ref = tokens(prediction), tokens(reference)
    if not pred or not ref:
        return float(pred == ref)
    common = sum((Counter(pred) & Counter(ref)).values())
    if common == 0:
        return 0.0
    precision, recall = common / len(pred), common / len(ref)
    return 2 * precision * recall / (precision + recall)


def contains(prediction: str, reference: str) -> float:
    """1 when the normalised reference appears inside the normalised prediction.

    Fair to small models that answer in a sentence instead of the bare span.
    """
    ref = normalize(reference)
    return float(bool(ref) and f" {ref} " in f" {normalize(prediction)} ")


@cache
def _rouge_scorer() -> Any:
    from rouge_score import rouge_scorer

    return rouge_scorer.RougeScorer(["rougeL"], use_stemmer=False)


def rouge_l(prediction: str, reference: str) -> float:
    """ROUGE-L F-measure as Google's `rouge-score` computes it (the number others report).

    >>> round(rouge_l("the cat sat on the mat", "the cat is on the mat"), 3)
    0.833
    """
    if not prediction.strip() or not reference.strip():
        return float(prediction.strip() == reference.strip())
    return float(_rouge_scorer().score(reference, prediction)["rougeL"].fmeasure)


def recall_at_k(retrieved_texts: Sequence[str], reference: str) -> float:
    """1 when any retrieved chunk contains the reference answer."""
    return float(any(contains(text, reference) for text in retrieved_texts))
