"""Answer-quality metrics as pure functions of (prediction, reference) strings.

One implementation per metric, for both kinds of trial, on one tokenizer policy:
`knowledge.text.tokens` (case, accents, punctuation and articles do not count; every
script keeps its letters; Chinese, Japanese and Korean characters are one token each).
Each function returns a float in 0..1 (except `length_ratio`) and is checked against
hand-computed values. `item_scores` gives every per-item score of one task kind.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from functools import cache
from typing import Any

from eval.scoring.json import canon, field_prf, json_exact, schema_match, strict_json, valid_json
from eval.scoring.labels import match_label, normalize_label
from knowledge.text import groundedness, normalize, tokens

__all__ = [
    "contains",
    "exact_match",
    "groundedness",
    "item_scores",
    "length_ratio",
    "recall_at_k",
    "rouge_l",
    "token_f1",
]

TASKS = ("knowledge", "classification", "json", "generation")


def exact_match(prediction: str, reference: str) -> float:
    """1 when both say the same: JSON values compare as structures, text after `normalize`
    ("Zone A" is not "Zone B", "9.5" is not "95", "14-day" is "14 days").

    >>> exact_match(" The Paris. ", "paris"), exact_match('{"a":1, "b":2}', '{"b": 2, "a": 1}')
    (1.0, 1.0)
    """
    got, want = strict_json(prediction), strict_json(reference)
    if got is not None and want is not None:
        return float(canon(got) == canon(want))
    return float(normalize(prediction) == normalize(reference))


def token_f1(prediction: str, reference: str) -> float:
    """F1 of the bags of tokens; 1.0 when both are empty.

    >>> round(token_f1("The cat sat", "a cat sat down"), 4)  # cat, sat shared: P 1, R 2/3
    0.8
    """
    got, want = Counter(tokens(prediction)), Counter(tokens(reference))
    if not got or not want:
        return float(not got and not want)
    shared = sum((got & want).values())
    if not shared:
        return 0.0
    precision, recall = shared / sum(got.values()), shared / sum(want.values())
    return 2 * precision * recall / (precision + recall)


def contains(prediction: str, reference: str) -> float:
    """1 when the normalised reference appears inside the normalised prediction.

    Fair to small models that answer in a sentence instead of the bare span.

    >>> contains("It takes 14 days.", "14-day"), contains("Zone B", "Zone A")
    (1.0, 0.0)
    """
    ref = normalize(reference)
    return float(bool(ref) and f" {ref} " in f" {normalize(prediction)} ")


class _Tokenizer:
    """rouge-score's tokenizer interface over our one tokenizer policy.

    rouge-score's own tokenizer drops every non-ASCII letter ("café" -> "caf", Chinese ->
    nothing), so a German or Chinese evaluation set would score garbage.
    """

    def tokenize(self, text: str) -> list[str]:
        return tokens(text)


@cache
def _rouge_scorer() -> Any:
    from rouge_score import rouge_scorer

    return rouge_scorer.RougeScorer(["rougeL"], use_stemmer=False, tokenizer=_Tokenizer())


def rouge_l(prediction: str, reference: str) -> float:
    """ROUGE-L F-measure (longest common subsequence of tokens) by Google's rouge-score.

    >>> round(rouge_l("the cat sat on the mat", "the cat lay on a mat"), 4)  # cat,on,mat
    0.75
    >>> rouge_l("我们的猫", "我们的狗")  # one token per character: 3 of 4 shared
    0.75
    """
    if not tokens(prediction) or not tokens(reference):
        return float(not tokens(prediction) and not tokens(reference))
    return float(_rouge_scorer().score(reference, prediction)["rougeL"].fmeasure)


def recall_at_k(retrieved_texts: Sequence[str], reference: str) -> float:
    """1 when any retrieved passage holds the reference answer.

    >>> recall_at_k(["refunds within 14 days", "other"], "14 days"), recall_at_k([], "x")
    (1.0, 0.0)
    """
    return float(any(contains(text, reference) for text in retrieved_texts))


def length_ratio(prediction: str, reference: str) -> float:
    """Words in the prediction per word in the reference (not clamped; empty ref -> 0).

    >>> length_ratio("one two three", "one two")
    1.5
    """
    ref_words = len(reference.split())
    return len(prediction.split()) / ref_words if ref_words else 0.0


def item_scores(
    task: str, prediction: str, reference: str, labels: Sequence[str] | None = None,
    ordered: frozenset[str] = frozenset(),
) -> dict[str, float]:  # fmt: skip
    """Every per-item score for a task kind ("knowledge" or a behaviour task), rounded.

    `ordered` names the JSON lists scored by position (`eval.scoring.json.ordered_paths`
    of the set's references); every other list of plain values is a multiset.

    >>> item_scores("classification", "Spam!", "spam", ["spam", "ham"])
    {'exact_match': 1.0, 'accuracy': 1.0, 'in_label_set': 1.0}
    """
    if task not in TASKS:
        raise ValueError(f"unknown task kind {task!r}; expected one of {TASKS}")
    scores = {"exact_match": exact_match(prediction, reference)}
    if task == "knowledge":
        scores |= {
            "token_f1": token_f1(prediction, reference),
            "contains": contains(prediction, reference),
            "rouge_l": rouge_l(prediction, reference),
        }
    elif task == "classification":
        if not labels:
            raise ValueError("classification scores need the label set")
        match = match_label(prediction, labels)
        same = match is not None and normalize_label(match) == normalize_label(reference)
        scores |= {"accuracy": float(same), "in_label_set": float(match is not None)}
    elif task == "json":
        precision, recall, f1 = field_prf(prediction, reference, ordered)
        scores |= {
            "valid_json": valid_json(prediction),
            "json_exact": json_exact(prediction, reference),
            "field_precision": precision,
            "field_recall": recall,
            "field_f1": f1,
            "schema_match": schema_match(prediction, reference),
        }
    else:
        scores |= {
            "rouge_l": rouge_l(prediction, reference),
            "token_f1": token_f1(prediction, reference),
            "length_ratio": length_ratio(prediction, reference),
        }
    return {name: round(value, 4) for name, value in scores.items()}
