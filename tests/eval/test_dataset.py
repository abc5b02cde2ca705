"""Evaluation pairs: split determinism, no leakage, generation parsing, bad samples."""

from __future__ import annotations

import pytest

from eval.config import TrialConfig
from eval.dataset import (
    DatasetError,
    EvalPair,
    Split,
    assert_no_leakage,
    from_qa_pairs,
    split_pairs,
)
from knowledge.types import QAPair


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
