"""Context selection: from retrieved chunks to the few sentences a small model can read.

Shared by cited guidance answers (`knowledge.qa`) and the RAG trial runner, so both give
the model the same kind of context. Tiny local models drift when handed whole chunks
and stay on target with the handful of sentences that best match the question.
"""

from __future__ import annotations

import re

from assistant.core.models.base import Embedder
from knowledge.types import Hit

_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")


def split_sentences(text: str) -> list[str]:
    """Sentences and list items of a chunk, without Markdown bullets."""
    parts = (p.strip().lstrip("-*• ").strip() for p in _SENTENCE.split(text))
    return [p for p in parts if len(p.split()) >= 4]


def select_sentences(
    question: str, hits: list[Hit], embedder: Embedder, n: int
) -> list[tuple[str, Hit]]:
    """The n sentences closest to the question, in the order they appear in the hits."""
    candidates = [(s, hit) for hit in hits for s in split_sentences(hit.text)]
    if not candidates:
        return []
    vectors = embedder.embed([question] + [s for s, _ in candidates])
    q, rest = vectors[0], vectors[1:]
    scores = [sum(a * b for a, b in zip(q, v, strict=True)) for v in rest]
    best = sorted(range(len(candidates)), key=lambda i: -scores[i])[:n]
    return [candidates[i] for i in sorted(best)]
