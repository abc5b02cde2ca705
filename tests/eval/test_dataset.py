"""Evaluation pairs: split determinism, no leakage, generation parsing, bad samples."""

from __future__ import annotations

from eval.data.pairs import EvalPair, from_qa_pairs
from knowledge.types import QAPair


def pairs(n: int) -> list[EvalPair]:
    return [EvalPair(f"q{i:03d}", f"Question number {i}?", f"answer {i}") for i in range(n)]


def test_uploaded_pairs_drop_duplicates_and_empties():
    raw = [
        QAPair("What is X?", "x"),
        QAPair("what is x", "x again"),
        QAPair("Empty answer?", "  "),
        QAPair("", "orphan"),
        QAPair("What is Y?", "y", id="custom"),
    ]
    out = from_qa_pairs(raw, limit=10)
    assert [(p.id, p.question) for p in out] == [("q1", "What is X?"), ("custom", "What is Y?")]
