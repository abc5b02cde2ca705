"""Field F1 on JSON lists: names, tags and IDs as multisets, order only where it matters.

Issue #23: a LoRA answer with three of five package names exactly right scored F1 0.00,
because it dropped the first name and every later one shifted position.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import pytest

from assistant.core.rates import CostRates
from eval.scoring.json import field_prf, ordered_paths
from eval.scoring.summary import summarize
from eval.scoring.table import METRIC_BY_KEY

FIVE = '{"packages": ["libfoo", "libbar", "libbaz", "libqux", "libquux"]}'


def test_a_dropped_first_name_no_longer_zeroes_the_rest():
    three = '{"packages": ["libbar", "libbaz", "libqux"]}'
    assert field_prf(three, FIVE) == pytest.approx((1.0, 0.6, 0.75))
    by_position = field_prf(three, FIVE, frozenset({"packages[]"}))
    assert by_position == (0.0, 0.0, 0.0)  # what it scored before


def test_a_multiset_counts_repeats_and_other_fields_as_before():
    assert field_prf('{"ids": [7, 7, 8]}', '{"ids": [7, 8]}') == pytest.approx((2 / 3, 1, 0.8))
    pred = '{"name": "Ann", "tags": ["y", "x"], "addr": {"city": "Oslo"}}'
    ref = '{"name": "Ann", "tags": ["x", "y"], "addr": {"city": "Bergen"}}'
    assert field_prf(pred, ref) == pytest.approx((0.75, 0.75, 0.75))  # city alone is wrong


def test_lists_of_objects_stay_positional():
    ref = '{"lines": [{"sku": "A", "qty": 1}, {"sku": "B", "qty": 2}]}'
    swapped = '{"lines": [{"sku": "B", "qty": 2}, {"sku": "A", "qty": 1}]}'
    assert field_prf(swapped, ref) == (0.0, 0.0, 0.0)
    assert field_prf(ref, ref) == (1.0, 1.0, 1.0)


@pytest.mark.parametrize(
    ("references", "ordered"),
    [
        # The same teams in a different order: the order is the answer (a ranking).
        (['{"rank": ["billing", "tech"]}', '{"rank": ["tech", "billing"]}'], {"rank[]"}),
        # Different names each time: nothing shows order matters, sorted or not.
        (['{"rank": ["a", "b"]}', '{"rank": ["c", "d"]}', '{"rank": ["f", "e"]}'], set()),
        # The same set always in the same order: a convention, not meaning.
        (['{"tags": ["x", "y"]}', '{"tags": ["x", "y"]}'], set()),
        # Inside a list of objects the shape names the field of every element.
        (['{"o": [{"s": [1, 2]}]}', '{"o": [{"s": [2, 1]}, {"s": [3]}]}'], {"o[].s[]"}),
        (["not json", "[1, 2]", "[2, 1]"], {"[]"}),
    ],
)
def test_order_matters_only_where_the_references_show_it(references, ordered):
    assert ordered_paths(references) == ordered


@dataclass
class Item:
    prediction: str
    reference: str
    latency_s: float = 0.1
    prompt_tokens: int = 10
    completion_tokens: int = 5
    retrieved: list = field(default_factory=list)
    scores: dict = field(default_factory=dict)


def test_a_run_scores_rankings_by_position_and_names_as_multisets():
    refs = [{"rank": ["a", "b"], "names": ["p", "q"]}, {"rank": ["b", "a"], "names": ["r", "s"]}]
    preds = [{"rank": ["b", "a"], "names": ["q", "p"]}, {"rank": ["b", "a"], "names": ["s", "r"]}]
    items = [Item(json.dumps(p), json.dumps(r)) for p, r in zip(preds, refs, strict=True)]
    summarize(items, "json", CostRates())
    # Item 1: 2 of its 4 pairs right: the names as a set, not the ranking by position.
    assert items[0].scores["field_f1"] == 0.5
    assert items[1].scores["field_f1"] == 1.0


def test_the_metric_label_states_the_choice():
    assert "multisets" in METRIC_BY_KEY["field_f1"].label
