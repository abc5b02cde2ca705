"""Why each held-out answer failed: one label per item, counts with intervals, a fix first.

Why: a RAG trial scoring 0.35 `contains` with recall@k 0.95 found the passage for 19 of
20 questions and still failed most of them; the mean alone sends a team to tune chunking
that is already fine. So every answered item gets the label of the part that failed,
read from its own scores and the context it saw:

- knowledge: `retrieval_miss` (RAG arms: no retrieved passage holds the reference),
  `selection_miss` (a retrieved passage holds it, but the sentences picked from the
  passages for the model left it out: chunking and top-k did their job), `abstention`
  (it declined), `unsupported` (its words are not in the context it was given; with no
  context, any confident wrong answer), `reader_miss` (the reference was
  in its context and the grounded answer is still wrong), `form_miss` (`contains` right,
  exact match wrong: the right content in the wrong form);
- behaviour: `off_label`, `invalid_json`, `wrong_field` (valid JSON, other keys or
  types), `wrong_value` (the right form with the wrong value), `wrong_length` (free text
  of a very different length).

Every label that is not `correct` is a miss, so the counts add up to the misses. The
"fix first" route is the largest group among the misses of the headline metric (a form
miss still counts as right on `contains`, so for a knowledge run it is the route only when
nothing else failed), with the guidance heading it rests on (tests check it exists).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from eval.scoring.intervals import wilson_interval
from eval.scoring.metrics import contains
from knowledge.text import groundedness

CORRECT = "correct"
# Below this share of its content words found in the context, an answer is not grounded.
GROUNDED_SHARE = 0.5
# Free text: ROUGE-L at or above this counts as right; a length ratio outside this band
# is the wrong form before it is the wrong content.
GENERATION_RIGHT = 0.5
LENGTH_BAND = (0.5, 2.0)
_ABSTAIN = re.compile(
    r"\b(i (do not|don't|cannot|can't|am not able to) (know|tell|say|find|answer)|not sure|"
    r"no (information|mention|answer|data)|(is|are|was) not (mentioned|stated|specified|"
    r"provided|given|available|clear)|unknown|unable to|cannot be determined|"
    r"does not (say|mention|specify|state))\b",
    re.IGNORECASE,
)

LABEL_NAMES = {
    CORRECT: "correct",
    "retrieval_miss": "retrieval miss",
    "selection_miss": "selection miss",
    "reader_miss": "reader miss",
    "unsupported": "unsupported answer",
    "abstention": "abstention",
    "form_miss": "form miss",
    "off_label": "off-label",
    "invalid_json": "invalid JSON",
    "wrong_field": "wrong field",
    "wrong_value": "right form, wrong value",
    "wrong_length": "wrong length",
}
# Misses that still count as right on the kind's headline metric (`contains`).
NOT_HEADLINE_MISSES = {"knowledge": frozenset({"form_miss"})}


@dataclass(frozen=True)
class Route:
    """What to fix first for one kind of miss, and the guidance section that says why."""

    text: str
    source: str
    heading: str

    def to_dict(self) -> dict[str, str]:
        return {"text": self.text, "source": self.source, "heading": self.heading}


G = "knowledge/guidance/"
_FORMAT = (G + "when-finetuning-wins.md", "Enforcing a highly consistent output format")
_READER = (
    G + "when-rag-wins.md",
    "Reader misses: the passage was found and the answer is still wrong",
)
ROUTES: dict[str, Route] = {
    "retrieval_miss": Route(
        "tune retrieval: chunk size, top-k and reranking (the answer was not in what the "
        "model read)", G + "when-rag-wins.md", "Limits of RAG: retrieval quality",
    ),
    "selection_miss": Route(
        "give the model more of what retrieval found: more context sentences per answer "
        "or a reranker over the retrieved sentences; chunking and top-k already found the "
        "passage", G + "when-rag-wins.md", "Limits of RAG: retrieval quality",
    ),
    "reader_miss": Route(
        "a stronger reader model, or retrieval-aware training (RAFT) on your retrieved "
        "passages: retrieval already found the answer", *_READER,
    ),
    "unsupported": Route(
        "ground the reader: a stronger model, or RAFT-style training with distracting "
        "passages, so it answers from the context instead of its memory",
        G + "hybrid-rag-plus-finetuning.md",
        "Training the adapter with retrieved context, RAFT-style",
    ),
    "abstention": Route(
        "a stronger reader model, or retrieval-aware training (RAFT): it declined although "
        "the answer was in its context", *_READER,
    ),
    "form_miss": Route(
        "constrain the output form: a short-answer instruction, output constraints or a few "
        "worked examples (few-shot)", *_FORMAT,
    ),
    "off_label": Route(
        "constrain the output to the label set (a label list, constrained decoding) or add "
        "few-shot examples", *_FORMAT,
    ),
    "invalid_json": Route(
        "constrain the output to JSON (a grammar or JSON mode) or add few-shot examples",
        *_FORMAT,
    ),
    "wrong_field": Route(
        "show the schema: few-shot or retrieved examples with the exact keys, or "
        "schema-constrained decoding", *_FORMAT,
    ),
    "wrong_value": Route(
        "better examples first (retrieved shots), then fine-tuning on reviewed examples if "
        "prompting cannot close it", G + "adaptation-ladder.md",
        "Third rung: fine-tune only for a measured behavior gap",
    ),
    "wrong_length": Route(
        "state the length: a length instruction and few-shot examples of the right length",
        *_FORMAT,
    ),
}  # fmt: skip
# Without retrieval a confident wrong answer or a refusal means the facts are missing.
NO_CONTEXT_ROUTE = Route(
    "add retrieval: the model does not hold these facts", G + "when-rag-wins.md",
    "Missing domain knowledge calls for retrieval, not training",
)  # fmt: skip


def abstains(prediction: str) -> bool:
    """The answer declines instead of answering (or is empty).

    >>> abstains("I'm not sure."), abstains("The context does not mention it"), abstains("Door 9")
    (True, True, False)
    """
    return not prediction.strip() or bool(_ABSTAIN.search(prediction.replace("'m", " am")))


def knowledge_label(item: Any, retrieval: bool) -> str:
    """The label of one answered question (`item`: an ItemResult or a stored row's fields).

    >>> from types import SimpleNamespace as I
    >>> ctx = "Visible damage: 7 calendar days. Concealed damage: 21 calendar days."
    >>> knowledge_label(I(prediction="7 days", reference="21 calendar days", context=ctx,
    ...     scores={"exact_match": 0.0, "contains": 0.0}), retrieval=True)
    'reader_miss'
    >>> knowledge_label(I(prediction="21 calendar days.", reference="21 calendar days",
    ...     context="", scores={"exact_match": 1.0, "contains": 1.0}), retrieval=False)
    'correct'
    """
    scores = _get(item, "scores") or {}
    prediction, reference = _get(item, "prediction") or "", _get(item, "reference") or ""
    if scores.get("exact_match", 0.0) >= 1.0:
        return CORRECT
    if scores.get("contains", 0.0) >= 1.0:
        return "form_miss"
    context = _get(item, "context") or ""
    if retrieval and not contains(context, reference):
        passages = [str(r.get("text", "")) for r in _get(item, "retrieved") or []]
        found = any(contains(text, reference) for text in passages)
        return "selection_miss" if found else "retrieval_miss"
    if abstains(prediction):
        return "abstention"
    if not retrieval or groundedness(prediction, context) < GROUNDED_SHARE:
        return "unsupported"
    return "reader_miss"


def behaviour_label(scores: dict[str, float], task: str) -> str:
    """The label of one behaviour item from its scores (classification, json, generation).

    >>> behaviour_label({"accuracy": 0.0, "in_label_set": 0.0}, "classification")
    'off_label'
    >>> behaviour_label({"json_exact": 0.0, "valid_json": 1.0, "schema_match": 1.0}, "json")
    'wrong_value'
    """
    if task == "classification":
        if scores.get("accuracy", 0.0) >= 1.0:
            return CORRECT
        return "off_label" if scores.get("in_label_set", 0.0) < 1.0 else "wrong_value"
    if task == "json":
        if scores.get("json_exact", 0.0) >= 1.0:
            return CORRECT
        if scores.get("valid_json", 0.0) < 1.0:
            return "invalid_json"
        return "wrong_field" if scores.get("schema_match", 0.0) < 1.0 else "wrong_value"
    if scores.get("rouge_l", 0.0) >= GENERATION_RIGHT:
        return CORRECT
    low, high = LENGTH_BAND
    ratio = scores.get("length_ratio", 1.0)
    return "wrong_length" if not low <= ratio <= high else "wrong_value"


def label_items(items: Sequence[Any], task: str, retrieval: bool) -> list[str]:
    """One label per scored item; sets `item.failure` on objects that have that field."""
    labels = []
    for item in items:
        if task == "knowledge":
            label = knowledge_label(item, retrieval)
        else:
            label = behaviour_label(_get(item, "scores") or {}, task)
        if hasattr(item, "failure"):
            item.failure = label
        labels.append(label)
    return labels


def attribution(labels: Sequence[str], kind: str, retrieval: bool) -> dict[str, Any]:
    """Counts per kind of miss, each with its share of the misses and a Wilson 95% interval,
    and the one route to fix first (see the module docstring). Counts add up to `misses`.

    >>> out = attribution(["correct", "reader_miss", "reader_miss", "retrieval_miss"],
    ...                   "knowledge", retrieval=True)
    >>> out["misses"], out["counts"]["reader_miss"]["n"], out["fix_first"]["label"]
    (3, 2, 'reader_miss')
    """
    misses = [label for label in labels if label != CORRECT]
    counted = Counter(misses)
    counts = {
        label: {"n": n, "share": round(n / len(misses), 4),
                "ci95": list(wilson_interval(n / len(misses), len(misses)))}
        for label, n in sorted(counted.items(), key=lambda kv: (-kv[1], kv[0]))
    }  # fmt: skip
    return {
        "n": len(labels), "misses": len(misses), "counts": counts,
        "fix_first": fix_first(counted, kind, retrieval),
    }  # fmt: skip


def fix_first(counted: Counter, kind: str, retrieval: bool) -> dict[str, Any] | None:
    """The largest group of headline misses (form misses only when nothing else failed),
    ties broken by the fixed order of ROUTES, with its route; None when nothing failed."""
    if not counted:
        return None
    soft = NOT_HEADLINE_MISSES.get(kind, frozenset())
    pool = {k: n for k, n in counted.items() if k not in soft} or dict(counted)
    order = list(ROUTES)
    label = min(pool, key=lambda k: (-pool[k], order.index(k) if k in order else len(order)))
    route = ROUTES[label]
    if kind == "knowledge" and not retrieval and label in ("unsupported", "abstention"):
        route = NO_CONTEXT_ROUTE
    share = pool[label] / sum(counted.values())
    return {"label": label, "n": pool[label], "share": round(share, 4), **route.to_dict()}


def fix_first_line(name: str, summary: dict[str, Any]) -> str:
    """'rag: 13 of 20 missed; reader miss 10 (77%, 95% 50–92%) …; fix first: … ' or ''."""
    data = summary.get("attribution") or {}
    if not data.get("n"):
        return ""
    if not data.get("misses"):
        return f"{name}: no misses among {data['n']} items"
    parts = [
        f"{LABEL_NAMES.get(label, label)} {c['n']} ({c['share']:.0%}, 95% "
        f"{c['ci95'][0]:.0%}–{c['ci95'][1]:.0%})"
        for label, c in data["counts"].items()
    ]
    line = f"{name}: {data['misses']} of {data['n']} missed: " + ", ".join(parts)
    first = data.get("fix_first")
    if first:
        line += f"; fix first: {first['text']}"
    return line


def _get(item: Any, key: str) -> Any:
    return item.get(key) if isinstance(item, dict) else getattr(item, key, None)
