"""The one held-out rule, for both kinds: sizes, seeds, strata, leakage."""

from __future__ import annotations

from collections import Counter

import pytest

from assistant.core.errors import DatasetError
from eval.config import BehaviourConfig, KnowledgeConfig
from eval.data.examples import Example, label_group
from eval.data.pairs import EvalPair
from eval.data.split import Split, check_no_leakage, heldout_count, split_items


def pairs(n: int) -> list[EvalPair]:
    return [EvalPair(f"q{i:03d}", f"Question number {i}?", f"answer {i}") for i in range(n)]


def make(n: int, labels: Counter[str] | None = None) -> list[Example]:
    outputs = [lb for lb, k in (labels or {}).items() for _ in range(k)] or [
        f"answer {i}" for i in range(n)
    ]
    return [Example(f"e{i:03d}", f"Question {i}?", out) for i, out in enumerate(outputs)]


def split_examples(examples, seed=0, group=None):
    split = split_items(examples, BehaviourConfig(seed=seed), "examples", group)
    return split.train, split.heldout


@pytest.mark.parametrize(
    "config,n,held",
    [(BehaviourConfig(), 40, 30), (BehaviourConfig(), 60, 30), (BehaviourConfig(), 300, 90),
     (BehaviourConfig(), 36, 28), (KnowledgeConfig(), 100, 30), (KnowledgeConfig(), 40, 20),
     (KnowledgeConfig(), 10, 8)],
)  # fmt: skip
def test_one_rule_with_each_kinds_floors(config, n, held):
    assert heldout_count(n, config) == held
    assert n - held >= max(config.train_min, 0.2 * n)  # always something left to train on


def test_knowledge_split_is_seeded_and_order_free():
    config = KnowledgeConfig(seed=7)
    one = split_items(pairs(100), config, "pairs")
    two = split_items(list(reversed(pairs(100))), config, "pairs")
    assert [p.id for p in one.heldout] == [p.id for p in two.heldout]
    other = split_items(pairs(100), KnowledgeConfig(seed=8), "pairs")
    assert [p.id for p in other.heldout] != [p.id for p in one.heldout]


def test_knowledge_split_sizes_and_small_sample_flag():
    big = split_items(pairs(100), KnowledgeConfig(), "pairs")
    assert (len(big.train), len(big.heldout), big.small_sample) == (70, 30, False)
    small = split_items(pairs(10), KnowledgeConfig(), "pairs")
    assert (len(small.train), len(small.heldout), small.small_sample) == (2, 8, True)


def test_too_few_items_is_a_clear_error_naming_the_minimum():
    with pytest.raises(DatasetError, match="only 3 usable Q/A pairs; at least 5"):
        split_items(pairs(3), KnowledgeConfig(), "Q/A pairs")
    with pytest.raises(DatasetError, match="only 8 usable examples; at least 30"):
        split_examples(make(8))


def test_leakage_is_detected_even_when_recased():
    leaked = Split(
        train=[EvalPair("a", "What is the Refund window?", "14 days")],
        heldout=[EvalPair("b", "what is the refund WINDOW", "14 days")],
    )
    with pytest.raises(DatasetError, match="held-out items also appear in training"):
        check_no_leakage(leaked)
    repeated = [Example(f"e{i}", "  same QUESTION ", f"answer {i}") for i in range(40)]
    with pytest.raises(DatasetError, match="held-out items also appear in training"):
        split_examples(repeated)


def test_behaviour_split_sizes():
    assert [len(x) for x in split_examples(make(100))] == [70, 30]  # max(30, 30% of 100)
    assert [len(x) for x in split_examples(make(200))] == [140, 60]  # 30% of 200
    assert [len(x) for x in split_examples(make(30))] == [8, 22]  # at least 8 stay to train


def test_behaviour_split_is_deterministic_per_seed_and_order_free():
    examples = make(100)
    one = split_examples(examples, seed=3)
    two = split_examples(list(reversed(examples)), seed=3)
    assert [e.id for e in one[1]] == [e.id for e in two[1]]
    other = split_examples(examples, seed=4)
    assert {e.id for e in other[1]} != {e.id for e in one[1]}


def test_stratified_split_keeps_every_label_on_both_sides():
    examples = make(60, Counter({"a": 30, "b": 20, "c": 8, "d": 2}))
    train, held = split_examples(examples, group=label_group)
    # one of each label held out first, then 26 more by room left (28, 18, 6, 0 of 52)
    assert Counter(e.output for e in held) == {"a": 15, "b": 10, "c": 4, "d": 1}
    assert Counter(e.output for e in train) == {"a": 15, "b": 10, "c": 4, "d": 1}
    again = split_examples(examples, group=label_group)
    assert [e.id for e in again[1]] == [e.id for e in held]


def test_no_heldout_input_is_in_training():
    examples = make(100)
    train, held = split_examples(examples)
    assert not {e.input for e in train} & {e.input for e in held}
    assert {e.id for e in train} | {e.id for e in held} == {e.id for e in examples}
