"""Classification labels and JSON scores: golden values worked out by hand."""

from __future__ import annotations

import doctest
import importlib

import pytest

from eval.scoring.json import (
    field_prf,
    flatten,
    json_exact,
    parse_json_output,
    schema_match,
    valid_json,
)
from eval.scoring.labels import (
    accuracy,
    macro_f1,
    match_label,
    normalize_label,
    out_of_label_rate,
    set_scores,
)

LABELS = ["a", "b", "c"]
# Reference a,a,b,b,c,c; the model says a,b,b,b,c and one answer outside the label set.
REFS = ["a", "a", "b", "b", "c", "c"]
PREDS = ["a", "b", "b", "b", "c", "no idea"]


# --- labels ---------------------------------------------------------------------------


def test_normalize_label_drops_case_wrappers_and_spacing_but_keeps_signs():
    assert normalize_label('  "Not  Spam."  ') == "not spam"
    assert normalize_label("**Positive**") == "positive"
    assert normalize_label("-1") == "-1"  # a sign is part of the label
    assert normalize_label("C++") == "c++"


def test_match_label_exact_start_and_only_mention():
    labels = ["Positive", "Negative"]
    assert match_label("positive", labels) == "Positive"  # the label's own spelling back
    assert match_label("Negative. The customer is angry", labels) == "Negative"  # at start
    assert match_label("I would say this is negative overall", labels) == "Negative"  # only one
    assert match_label("Could be positive or negative", labels) is None  # two mentioned
    assert match_label("neutral", labels) is None
    assert match_label("Negatively", labels) is None  # whole words only


def test_match_label_does_not_count_a_label_inside_a_longer_one():
    labels = ["spam", "not spam"]
    assert match_label("This message is not spam.", labels) == "not spam"
    assert match_label("This message is spam.", labels) == "spam"
    assert match_label("not spam, it is a receipt", labels) == "not spam"


def test_accuracy_on_toy_case():
    assert accuracy(PREDS, REFS, LABELS) == pytest.approx(4 / 6)  # 4 right of 6
    assert accuracy([], [], LABELS) == 0.0


def test_macro_f1_on_three_label_toy_case():
    # a: tp 1, fp 0, fn 1 -> P 1, R 1/2 -> F1 2/3
    # b: tp 2, fp 1 (an 'a' said 'b'), fn 0 -> P 2/3, R 1 -> F1 4/5
    # c: tp 1, fp 0, fn 1 (answer outside the set) -> F1 2/3
    # macro = (2/3 + 4/5 + 2/3) / 3 = 0.71111
    assert macro_f1(PREDS, REFS, LABELS) == pytest.approx((2 / 3 + 0.8 + 2 / 3) / 3)


def test_macro_f1_counts_predicted_labels_and_ignores_unused_ones():
    # classes = {a (in refs), b (predicted)}; c is neither, so it is ignored.
    # a: tp 1, fn 1 -> 2/3; b: tp 0, fp 1 -> 0; macro = 1/3
    assert macro_f1(["a", "b"], ["a", "a"], LABELS) == pytest.approx(1 / 3)
    assert macro_f1(["a", "b"], ["a", "b"], LABELS) == 1.0


def test_out_of_label_rate():
    assert out_of_label_rate(PREDS, LABELS) == pytest.approx(1 / 6)
    assert out_of_label_rate(["maybe", "a"], LABELS) == 0.5


def test_length_mismatch_is_an_error():
    with pytest.raises(ValueError, match="2 predictions for 1 references"):
        accuracy(["a", "b"], ["a"], LABELS)


# --- JSON -----------------------------------------------------------------------------


def test_parse_json_output_fences_prose_and_failures():
    assert parse_json_output('```json\n{"a": 1}\n```') == {"a": 1}
    assert parse_json_output("```\n[1, 2]\n```") == [1, 2]
    assert parse_json_output('Sure! Here it is: {"a": {"b": 2}} Anything else?') == {"a": {"b": 2}}
    # the first bracket is prose, the next span is the JSON
    assert parse_json_output('See [notes] below: {"ok": true}') == {"ok": True}
    assert parse_json_output('{"a": 1,}') is None
    assert parse_json_output("no json here") is None
    assert parse_json_output("null") is None
    assert parse_json_output("42") == 42  # the whole text is valid JSON


def test_valid_json_and_json_exact():
    assert valid_json('{"a": 1}') == 1.0
    assert valid_json("{'a': 1}") == 0.0  # Python, not JSON
    assert json_exact('{"b": 2.0, "a": [1]}', '{"a": [1], "b": 2}') == 1.0  # order, 2 == 2.0
    assert json_exact('{"a": true}', '{"a": 1}') == 0.0  # true is not 1
    assert json_exact('{"a": "2"}', '{"a": 2}') == 0.0  # a string is not a number
    assert json_exact('{"a": [2, 1]}', '{"a": [1, 2]}') == 0.0  # arrays keep their order
    assert json_exact("broken", '{"a": 1}') == 0.0


def test_flatten_key_paths():
    nested = {"a": {"b": [{"c": 1}, 2]}, "d": {}, "e": None}
    assert flatten(nested) == {"a.b[0].c": 1, "a.b[1]": 2, "d": {}, "e": None}
    assert flatten([{"x": 1}]) == {"[0].x": 1}
    assert flatten(5) == {"": 5}


def test_field_prf_on_nested_json():
    ref = '{"name": "Ann", "address": {"city": "Oslo", "zip": "0150"}, "tags": ["x", "y"]}'
    pred = '{"name": "Ann", "address": {"city": "Bergen", "zip": "0150"}, "tags": ["x"]}'
    # ref pairs: name, address.city, address.zip, tags[0], tags[1] = 5
    # pred pairs: name ok, address.city wrong, address.zip ok, tags[0] ok = 4, 3 right
    # P = 3/4, R = 3/5, F1 = 2 * 0.75 * 0.6 / 1.35 = 2/3
    precision, recall, f1 = field_prf(pred, ref)
    assert (precision, recall) == (0.75, 0.6)
    assert f1 == pytest.approx(2 / 3)


def test_field_prf_numbers_by_value_and_invalid_prediction():
    assert field_prf('{"n": 2.0, "m": 0.5}', '{"n": 2, "m": 0.50}') == (1.0, 1.0, 1.0)
    assert field_prf('{"n": true}', '{"n": 1}') == (0.0, 0.0, 0.0)
    assert field_prf('{"n": 2', '{"n": 2}') == (0.0, 0.0, 0.0)


def test_schema_match():
    assert schema_match('{"name": "Bo", "age": 3}', '{"age": 40, "name": "Al"}') == 1.0
    assert schema_match('{"name": "Bo", "age": "3"}', '{"age": 40, "name": "Al"}') == 0.0
    assert schema_match('{"name": "Bo"}', '{"age": 40, "name": "Al"}') == 0.0  # missing key
    assert schema_match('{"a": 1.5}', '{"a": 2}') == 1.0  # both numbers
    assert schema_match("not json", '{"a": 2}') == 0.0


def test_set_scores():
    assert set_scores("classification", PREDS, REFS, LABELS) == {
        "macro_f1": 0.7111,
        "out_of_label_rate": 0.1667,
    }
    assert set_scores("json", ["{}"], ["{}"]) == {}
    assert set_scores("generation", ["x"], ["y"]) == {}
    with pytest.raises(ValueError, match="unknown task kind"):
        set_scores("regression", [], [])


@pytest.mark.parametrize("module", ["eval.scoring.labels", "eval.scoring.json"])
def test_docstring_examples_hold(module):
    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted >= 5
    assert result.failed == 0
