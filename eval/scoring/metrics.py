"""Answer-quality metrics as pure functions of (prediction, reference) strings.

One implementation per metric, for both kinds of trial, on one tokenizer policy:
`knowledge.text.tokens` (case, accents, punctuation and articles do not count; every
script keeps its letters; Chinese, Japanese and Korean characters are one token each).
Each function returns a float in 0..1 (except `length_ratio`) and is checked against
hand-computed values. `item_scores` gives every per-item score of one task kind.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from functools import cache
from typing import Any

from eval.scoring.json import canon, field_prf, json_exact, schema_match, strict_json, valid_json
from eval.scoring.labels import match_label, normalize_label
from knowledge.text import groundedness, normalize, tokens

__all__ = [
    "answer_span",
    "answer_window",
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
    """1 when any retrieved passage holds the reference answer (as `contains` reads it).

    Give it the whole passages: what is stored for a reader is `answer_window`, which
    keeps the answer in view whenever this counted it.

    >>> recall_at_k(["refunds within 14 days", "other"], "14 days"), recall_at_k([], "x")
    (1.0, 0.0)
    """
    return float(any(contains(text, reference) for text in retrieved_texts))


_WORD = re.compile(r"\S+")
_WORD_START = re.compile(r"(?<!\S)\S")


def answer_span(text: str, reference: str) -> tuple[int, int] | None:
    """Where the reference answer stands in `text`, read as `contains` reads it, or None.

    The shortest run of whole words that `contains` the reference, so "14 days" is found
    in "14-day" and "The Library" only as a phrase, the same rule as recall@k.

    >>> text = "Refunds are paid within a 14-day window."
    >>> span = answer_span(text, "14 days"); text[span[0] : span[1]]
    '14-day'
    >>> answer_span(text, "30 days") is None
    True
    """
    if not contains(text, reference):
        return None
    exact = re.search(rf"(?<!\w){re.escape(reference.strip())}(?!\w)", text, re.IGNORECASE)
    if exact:  # as written: keeps "the" in "the above copyright notice"
        return exact.span()
    ends = [m.end() for m in _WORD.finditer(text)]
    end = ends[_first(len(ends), lambda i: contains(text[: ends[i]], reference))]
    starts = [m.start() for m in _WORD.finditer(text[:end])]
    last = _first(len(starts), lambda i: not contains(text[starts[i] : end], reference))
    start = starts[max(0, last - 1)]
    while (
        end > start + 1
        and text[end - 1] in ".,;:!?)\"'”’"
        and contains(text[start : end - 1], reference)
    ):
        end -= 1
    return start, end


def _first(n: int, holds) -> int:
    """The first index in range(n) where a monotone condition holds (n if none)."""
    low, high = 0, n
    while low < high:
        mid = (low + high) // 2
        if holds(mid):
            high = mid
        else:
            low = mid + 1
    return low


def answer_window(text: str, reference: str, width: int) -> str:
    """A passage cut to `width` characters for storage, the answer kept in view.

    The first `width` characters, unless the answer stands beyond them: then a window
    around it ("…" marks the cut). Cutting at the start only made recall@k count
    passages in which a reader of the stored run found no answer.

    >>> answer_window("x " * 400 + "the refund window is 14 days.", "14 days", 40)
    '…x x x x x the refund window is 14 days.'
    """
    span = answer_span(text, reference)
    if span is None or span[1] <= width:
        return text[:width]
    start = max(0, min(span[0] - width // 3, span[1] - width + 2))
    word = _WORD_START.search(text, start)
    if word and word.start() <= span[0]:
        start = word.start()  # a whole first word, not its tail
    return "…" + text[start : start + width - 1]


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
