"""Classification scores: which label an answer means, accuracy, macro-F1, off-label share.

Pure functions of (prediction, reference) strings and the label set. A model wraps its
label in quotes, markdown or a sentence; `match_label` reads it as a person would, so a
score measures the label chosen, not its typography.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from eval.kinds import HEADLINE

__all__ = [
    "accuracy",
    "macro_f1",
    "match_label",
    "normalize_label",
    "out_of_label_rate",
    "set_scores",
]

# Wrappers a model puts around a label: quotes, brackets, markdown emphasis, end punctuation.
# Signs stay ("-1" is not "1"), and so do '#', '+' ("C#", "C++").
_LABEL_EDGES = " \t\n\"'`“”‘’«»„.,;:!?()[]{}<>*_"

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


def _need_labels(labels: Sequence[str] | None) -> Sequence[str]:
    if not labels:
        raise ValueError("classification scores need the label set")
    return labels


def _same_length(preds: Sequence[str], refs: Sequence[str]) -> None:
    if len(preds) != len(refs):
        raise ValueError(f"{len(preds)} predictions for {len(refs)} references")
