"""Evaluation pairs: split determinism, no leakage, generation parsing, bad samples."""

from __future__ import annotations

import random

import pytest

from eval.config import TrialConfig
from eval.dataset import (
    DatasetError,
    EvalPair,
    Split,
    assert_no_leakage,
    cloze_pair,
    from_qa_pairs,
    generate_pairs,
    parse_generated,
    split_pairs,
)
from knowledge.types import Chunk, QAPair
from tests.fakes import ScriptedChat


def pairs(n: int) -> list[EvalPair]:
    return [EvalPair(f"q{i:03d}", f"Question number {i}?", f"answer {i}") for i in range(n)]


def test_split_is_seeded_and_deterministic():
    config = TrialConfig(seed=7)
    one, two = split_pairs(pairs(100), config), split_pairs(list(reversed(pairs(100))), config)
    assert [p.id for p in one.heldout] == [p.id for p in two.heldout]
    other = split_pairs(pairs(100), TrialConfig(seed=8))
    assert [p.id for p in other.heldout] != [p.id for p in one.heldout]


def test_split_sizes_follow_min_and_fraction():
    big = split_pairs(pairs(100), TrialConfig())
    assert len(big.heldout) == 30 and len(big.train) == 70  # 30% beats the minimum of 20
    medium = split_pairs(pairs(40), TrialConfig())
    assert len(medium.heldout) == 20 and len(medium.train) == 20 and not medium.small_sample
    small = split_pairs(pairs(10), TrialConfig())
    assert len(small.heldout) == 8 and len(small.train) == 2 and small.small_sample


def test_heldout_and_train_never_overlap():
    split = split_pairs(pairs(60), TrialConfig())
    assert not {p.id for p in split.train} & {p.id for p in split.heldout}
    assert len(split.train) + len(split.heldout) == 60


def test_leakage_is_detected_even_when_recased():
    leaked = Split(
        train=[EvalPair("a", "What is the Refund window?", "14 days")],
        heldout=[EvalPair("b", "what is the refund WINDOW", "14 days")],
    )
    with pytest.raises(DatasetError, match="leaked"):
        assert_no_leakage(leaked)


def test_too_few_pairs_is_a_clear_error():
    with pytest.raises(DatasetError, match="at least 5"):
        split_pairs(pairs(3), TrialConfig())


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


def test_parse_generated_keeps_only_grounded_short_answers():
    chunk = "Claims are handled by Ingrid Solberg within 14 days."
    assert parse_generated("Q: Who handles claims?\nA: Ingrid Solberg.", chunk) == (
        "Who handles claims?",
        "Ingrid Solberg",
    )
    assert parse_generated("Q: Who handles claims?\nA: Bob Marley", chunk) is None
    assert parse_generated("Who handles claims? Ingrid", chunk) is None
    assert parse_generated("Q: Statement without mark\nA: 14 days", chunk) is None


def test_cloze_pair_blanks_a_number_or_name():
    chunk = Chunk("c1", "Refunds are paid within 14 days of the claim by Ingrid Solberg.", "a.md")
    question, answer = cloze_pair(chunk, random.Random(0))
    assert question.startswith("Fill in the blank:") and "____" in question
    assert answer in ("14 days", "Ingrid Solberg")
    assert answer not in question


def test_generate_pairs_falls_back_to_cloze_and_keeps_source():
    chunks = [
        Chunk(
            f"c{i}",
            f"Warehouse {i} opens at 0{i}:30 and ships via Nordlys Express every weekday morning.",
            "w.md",
        )
        for i in range(1, 6)
    ]
    chat = ScriptedChat(respond=lambda messages: "I cannot do that.")
    out = generate_pairs(chunks, chat, TrialConfig(generate_pairs=3))
    assert len(out) == 3 and all(p.generated and p.chunk_id and p.source == "w.md" for p in out)
    assert all(p.answer.lower() in next(c.text.lower() for c in chunks if c.id == p.chunk_id)
               for p in out)  # fmt: skip
