"""Context selection: from retrieved chunks to the few sentences a small model can read.

Shared by cited guidance answers (`knowledge.qa`) and the RAG trial runner, so both give
the model the same kind of context. Tiny local models drift when handed whole chunks
and stay on target with the handful of sentences that best match the question.
"""

from __future__ import annotations

import re

import numpy as np

from assistant.core.models.base import Embedder
from knowledge.types import Hit

_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_BULLET = re.compile(r"^\s*(?:[-*•]|\d{1,2}[.)])\s+")


def split_sentences(text: str) -> list[str]:
    """Sentences and list items of a chunk, without Markdown bullets.

    A lead-in ending in ':' keeps the list items that follow it ("... until the
    following are in place: an eval set; a baseline."), so a quoted sentence can never
    stop at a colon with the list it announces left out.
    """
    parts: list[str] = []
    open_list = False  # the last part is a lead-in collecting its list items
    for line in text.splitlines():
        item = _BULLET.match(line)
        body = line[item.end() :].strip() if item else line.strip()
        if not body:
            continue
        if item and open_list:
            sep = " " if parts[-1].endswith(":") else "; "
            parts[-1] = parts[-1] + sep + body
            continue
        parts += [p.strip() for p in _SENTENCE.split(body) if p.strip()]
        open_list = parts[-1].endswith(":")
    return [p for p in parts if len(p.split()) >= 4 and not p.endswith(":")]


def select_sentences(
    question: str, hits: list[Hit], embedder: Embedder, n: int, relevance: float = 1.0
) -> list[tuple[str, Hit]]:
    """The n sentences that best answer the question, in the order they appear in the hits.

    `relevance` < 1 picks by maximal marginal relevance: each next sentence must match the
    question and differ from those already picked. Why: documents repeat boilerplate
    (every policy opens "Skarvholm Freight Cooperative - X Department"), and such lines
    match a question naming the company better than the sentence holding the answer, so
    five near-copies of a byline could fill the small reader's whole context.
    """
    candidates = [(s, hit) for hit in hits for s in split_sentences(hit.text)]
    if not candidates:
        return []
    vectors = embedder.embed([question] + [s for s, _ in candidates])
    if relevance >= 1.0:
        scores = [_dot(vectors[0], v) for v in vectors[1:]]
        best = sorted(range(len(candidates)), key=lambda i: -scores[i])[:n]
    else:
        from langchain_core.vectorstores.utils import maximal_marginal_relevance

        best = maximal_marginal_relevance(
            np.asarray(vectors[0]), vectors[1:], lambda_mult=relevance, k=n
        )
    return [candidates[i] for i in sorted(best)]


def _dot(a: list[float], b: list[float]) -> float:
    return sum(x * y for x, y in zip(a, b, strict=True))
