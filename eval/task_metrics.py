"""Scores per task kind: classification labels, JSON outputs, free-text generation.

Pure functions of (prediction, reference) strings. `item_scores` gives every score of one
held-out item, `set_scores` the ones only defined over a whole set (macro-F1), and
`HEADLINE` names the score that stands for "how good" on each task kind.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from typing import Any

from eval.json_metrics import (
    canon,
    field_prf,
    flatten,
    json_exact,
    parse_json_output,
    schema_match,
    strict_json,
    strip_fences,
    valid_json,
)

__all__ = [
    "HEADLINE",
    "accuracy",
    "exact_match",
    "field_prf",
    "flatten",
    "item_scores",
    "json_exact",
    "length_ratio",
    "macro_f1",
    "match_label",
    "normalize_label",
    "out_of_label_rate",
    "parse_json_output",
    "rouge_l",
    "schema_match",
    "set_scores",
    "strip_fences",
    "token_f1",
    "valid_json",
]

HEADLINE = {"classification": "accuracy", "json": "field_f1", "generation": "rouge_l"}

# Wrappers a model puts around a label: quotes, brackets, markdown emphasis, end punctuation.
# Signs stay ("-1" is not "1"), and so do '#', '+' ("C#", "C++").
_LABEL_EDGES = " \t\n\"'`“”‘’«»„.,;:!?()[]{}<>*_"
# Word tokens for ROUGE and token F1: rouge-score's own tokenizer drops every non-ASCII
# letter ("café" -> "caf", Chinese -> nothing); this one is the same on ASCII text.
_TOKEN = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]|[^\W_]+")


# --- labels ---------------------------------------------------------------------------


def normalize_label(text: str) -> str:
    """Compare labels as a reader would: case, wrappers and spacing do not count.

    >>> normalize_label('  "Not  Spam."  ')
    'not spam'
    """
    return " ".join(text.casefold().split()).strip(_LABEL_EDGES)


def match_label(prediction: str, labels: Sequence[str]) -> str | None:
    """The label a prediction means, or None when it is outside the label set.

    Exact (normalised) match first; else the label the prediction starts with (longest
    wins); else the only label mentioned anywhere. A label inside a longer one that is
    mentioned does not count, so "not spam" does not also mention "spam".

    >>> match_label("Negative. The customer is angry", ["positive", "negative"])
    'negative'
    >>> match_label("I think positive or negative", ["positive", "negative"]) is None
    True
    """
    by_norm = {normalize_label(label): label for label in labels if normalize_label(label)}
    text = normalize_label(prediction)
    if text in by_norm:
        return by_norm[text]
    mentioned: list[str] = []
    starts: list[str] = []
    masked = text
    for norm in sorted(by_norm, key=len, reverse=True):
        pattern = re.compile(rf"(?<!\w){re.escape(norm)}(?!\w)")
        if pattern.match(masked):
            starts.append(norm)
        if pattern.search(masked):
            mentioned.append(norm)
            masked = pattern.sub(lambda m: "\x00" * len(m.group()), masked)
    if starts:
        return by_norm[starts[0]]
    return by_norm[mentioned[0]] if len(mentioned) == 1 else None


def _label_pairs(preds: Sequence[str], refs: Sequence[str], labels: Sequence[str]):
    _same_length(preds, refs)
    for pred, ref in zip(preds, refs, strict=True):
        match = match_label(pred, labels)
        yield (None if match is None else normalize_label(match)), normalize_label(ref)


def accuracy(preds: Sequence[str], refs: Sequence[str], labels: Sequence[str]) -> float:
    """Share of predictions that mean the reference label.

    >>> accuracy(["Yes.", "no", "maybe"], ["yes", "yes", "no"], ["yes", "no"])
    0.3333333333333333
    """
    pairs = list(_label_pairs(preds, refs, labels))
    return sum(p == r for p, r in pairs) / len(pairs) if pairs else 0.0


def macro_f1(preds: Sequence[str], refs: Sequence[str], labels: Sequence[str]) -> float:
    """Mean F1 over the labels in the references plus any other label predicted.

    A prediction outside the label set is a miss for its reference label, not a class.

    >>> macro_f1(["a", "b", "b"], ["a", "a", "b"], ["a", "b"])  # a: P1 R.5; b: P.5 R1
    0.6666666666666666
    """
    pairs = list(_label_pairs(preds, refs, labels))
    classes = {r for _, r in pairs} | {p for p, _ in pairs if p is not None}
    if not classes:
        return 0.0
    f1s = []
    for label in classes:
        tp = sum(p == label and r == label for p, r in pairs)
        fp = sum(p == label and r != label for p, r in pairs)
        fn = sum(p != label and r == label for p, r in pairs)
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(f1s) / len(f1s)


def out_of_label_rate(preds: Sequence[str], labels: Sequence[str]) -> float:
    """Share of predictions that mean none of the labels.

    >>> out_of_label_rate(["yes", "I cannot tell"], ["yes", "no"])
    0.5
    """
    return sum(match_label(p, labels) is None for p in preds) / len(preds) if preds else 0.0


# --- generation -----------------------------------------------------------------------

_scorer: Any = None


class _Tokenizer:
    """Lower-cased words (and single CJK characters) in any script."""

    def tokenize(self, text: str) -> list[str]:
        return _TOKEN.findall(text.casefold())


def rouge_l(pred: str, ref: str) -> float:
    """ROUGE-L F-measure (longest common subsequence of words), by Google's rouge-score.

    >>> rouge_l("the cat sat on the mat", "the cat lay on a mat")  # LCS the,cat,on,mat: 4/6
    0.6666666666666666
    """
    global _scorer
    if _scorer is None:
        from rouge_score import rouge_scorer

        _scorer = rouge_scorer.RougeScorer(["rougeL"], use_stemmer=False, tokenizer=_Tokenizer())
    return float(_scorer.score(ref, pred)["rougeL"].fmeasure)


def token_f1(pred: str, ref: str) -> float:
    """F1 of the bags of lower-cased words; 1.0 when both are empty.

    >>> token_f1("The cat sat", "a cat sat down")  # 2 shared: P 2/3, R 2/4
    0.5714285714285715
    """
    got, want = Counter(_Tokenizer().tokenize(pred)), Counter(_Tokenizer().tokenize(ref))
    if not got or not want:
        return float(not got and not want)
    shared = sum((got & want).values())
    if not shared:
        return 0.0
    precision, recall = shared / sum(got.values()), shared / sum(want.values())
    return 2 * precision * recall / (precision + recall)


def length_ratio(pred: str, ref: str) -> float:
    """Words in the prediction per word in the reference (not clamped; empty ref -> 0).

    >>> length_ratio("one two three", "one two")
    1.5
    """
    ref_words = len(ref.split())
    return len(pred.split()) / ref_words if ref_words else 0.0


# --- every task -----------------------------------------------------------------------


def exact_match(pred: str, ref: str) -> float:
    """1.0 when equal after collapsing whitespace; JSON objects/arrays compare as structures.

    >>> exact_match(" Paris \\n", "Paris"), exact_match('{"a":1, "b":2}', '{"b": 2, "a": 1}')
    (1.0, 1.0)
    """
    got, want = strict_json(pred), strict_json(ref)
    if got is not None and want is not None:
        return float(canon(got) == canon(want))
    return float(" ".join(pred.split()) == " ".join(ref.split()))


def item_scores(
    task: str, prediction: str, reference: str, labels: Sequence[str] | None = None
) -> dict[str, float]:
    """Every per-item score for the task kind, rounded to 4 decimals.

    >>> item_scores("classification", "Spam!", "spam", ["spam", "ham"])
    {'exact_match': 0.0, 'accuracy': 1.0, 'in_label_set': 1.0}
    """
    if task == "classification":
        match = match_label(prediction, _need_labels(labels))
        scores = {
            "exact_match": exact_match(prediction, reference),
            "accuracy": float(match is not None and _same_label(match, reference)),
            "in_label_set": float(match is not None),
        }
    elif task == "json":
        precision, recall, f1 = field_prf(prediction, reference)
        scores = {
            "exact_match": exact_match(prediction, reference),
            "valid_json": valid_json(prediction),
            "json_exact": json_exact(prediction, reference),
            "field_precision": precision,
            "field_recall": recall,
            "field_f1": f1,
            "schema_match": schema_match(prediction, reference),
        }
    elif task == "generation":
        scores = {
            "exact_match": exact_match(prediction, reference),
            "rouge_l": rouge_l(prediction, reference),
            "token_f1": token_f1(prediction, reference),
            "length_ratio": length_ratio(prediction, reference),
        }
    else:
        raise ValueError(f"unknown task kind {task!r}; expected one of {sorted(HEADLINE)}")
    return {name: round(value, 4) for name, value in scores.items()}


def set_scores(
    task: str,
    predictions: Sequence[str],
    references: Sequence[str],
    labels: Sequence[str] | None = None,
) -> dict[str, float]:
    """Scores only defined over a whole set: macro-F1 and out-of-label rate (classification).

    >>> set_scores("classification", ["a", "zzz"], ["a", "b"], ["a", "b"])
    {'macro_f1': 0.5, 'out_of_label_rate': 0.5}
    """
    _same_length(predictions, references)
    if task not in HEADLINE:
        raise ValueError(f"unknown task kind {task!r}; expected one of {sorted(HEADLINE)}")
    if task != "classification":
        return {}
    labels = _need_labels(labels)
    return {
        "macro_f1": round(macro_f1(predictions, references, labels), 4),
        "out_of_label_rate": round(out_of_label_rate(predictions, labels), 4),
    }


def _same_label(a: str, b: str) -> bool:
    return normalize_label(a) == normalize_label(b)


def _need_labels(labels: Sequence[str] | None) -> Sequence[str]:
    if not labels:
        raise ValueError("classification scores need the label set")
    return labels


def _same_length(preds: Sequence[str], refs: Sequence[str]) -> None:
    if len(preds) != len(refs):
        raise ValueError(f"{len(preds)} predictions for {len(refs)} references")
