"""Answer metrics, one implementation each for both kinds of trial: golden values by hand.

One tokenizer policy (`knowledge.text.tokens`): case, accents, punctuation and articles
do not count, every script keeps its letters, CJK characters are one token each.
"""

from __future__ import annotations

import doctest

import pytest

from eval.kinds import HEADLINE
from eval.scoring import metrics, table
from eval.scoring.summary import percentile
from knowledge.text import normalize

LABELS = ["a", "b", "c"]


def test_normalize():
    assert normalize("The  Nordlys-Express!") == "nordlys express"
    assert normalize("An apple, a day.") == "apple day"
    assert normalize("北京欢迎你") == "北 京 欢 迎 你"  # unspaced scripts: a token per character


@pytest.mark.parametrize(
    "pred, ref, em",
    [
        ("14 days", "14 days", 1.0),
        ("The 14 days.", "14 days", 1.0),
        # a count's unit is compared in the singular, so "14 day" and "14-day" agree
        ("14 day", "14 days", 1.0),
        ("14-day", "14 days", 1.0),
        ("15 days", "14 days", 0.0),
        ("9.5 percent", "95 percent", 0.0),
        ("9.5%", "9.5 percent", 1.0),
        ("1,200", "1200", 1.0),
        ("Zone A", "Zone B", 0.0),
        ("Zone A", "zone a", 1.0),
        ("-5 °C", "5 °C", 0.0),
        ("“Café Nordlys”", "cafe nordlys", 1.0),
        ("Ｚｏｎｅ\u00a0Ａ", "Zone A", 1.0),
        ("The", "", 0.0),
        ("  Paris \n", "Paris", 1.0),
        ("paris", "Paris", 1.0),  # case never decides a match, for either kind of trial
        ('{"a":1, "b":2}', '```json\n{"b": 2, "a": 1}\n```', 1.0),  # JSON as structures
        ('{"a": 1}', '{"a": 2}', 0.0),
    ],
)
def test_exact_match(pred, ref, em):
    assert metrics.exact_match(pred, ref) == em


@pytest.mark.parametrize(
    "pred, ref, expected",
    [
        ("It is in Zone B", "Zone A", 0.0),
        ("It is in Zone A", "Zone A", 1.0),
        ("Zone A", "zone a", 1.0),
        ("Zone A or Zone B", "Zone B", 1.0),
        ("zone a, near the gate", "Zone A", 1.0),
        ("It costs 9.5 percent", "95 percent", 0.0),
        ("It costs 9.5 percent", "9.5%", 1.0),
        ("Refunds within a 14-day window", "14 days", 1.0),
        ("Refunds within 14 days", "14-day", 1.0),
        ("Refunds within 114 days", "14 days", 0.0),
        ("About 1,200 stores", "1200 stores", 1.0),
        ("It opened in the Café Nordlys…", "cafe nordlys", 1.0),
        ("Ask for Ørsted — not Orsted", "Ørsted", 1.0),
    ],
)
def test_contains_golden(pred, ref, expected):
    assert metrics.contains(pred, ref) == expected


@pytest.mark.parametrize(
    "pred, ref, expected",
    [
        # curly quotes, en dash and accents fold: every token matches
        ("“Crème brûlée” – 2 servings", '"Creme brulee" - 2 serving', 1.0),
        # pred: it is zone b (4); ref: zone a (2); common: zone -> P 1/4, R 1/2 -> 1/3
        ("It is Zone B", "Zone A", 1 / 3),
        # pred: 9.5 percent (2); ref: 95 percent (2); common: percent -> P = R = 1/2
        ("9.5 percent", "95 percent", 1 / 2),
        # pred: valid for 14 day (4); ref: 14 day (2); common 2 -> P 1/2, R 1 -> 2/3
        ("Valid for 14-day", "14 days", 2 / 3),
        # pred: naive cafe (2) vs ref: naive cafe (2) with a non-breaking space and NFD accents
        ("Naïve\u00a0café", "Nai\u0308ve cafe\u0301", 1.0),
    ],
)
def test_token_f1_golden(pred, ref, expected):
    assert metrics.token_f1(pred, ref) == pytest.approx(expected)


def test_answer_length_is_a_table_metric():
    row = table.METRIC_BY_KEY["answer_words_p50"]
    assert (row.kind, row.higher_is_better) == ("count", False)
    assert table.present_metrics([{"answer_words_p50": 7.0}]) == [row]


def test_each_metric_has_one_key_and_one_label():
    keys = [m.key for m in table.METRICS]
    labels = [m.label for m in table.METRICS]
    assert len(keys) == len(set(keys)) and len(labels) == len(set(labels))
    assert not {"em", "f1"} & set(keys)  # the old knowledge-only names are gone


def test_token_f1_hand_computed():
    # pred tokens: refunds within 14 days (4); ref: 14 days (2); common 2
    # precision 2/4, recall 2/2 -> f1 = 2*0.5*1/(1.5) = 0.6667
    assert metrics.token_f1("Refunds within 14 days", "14 days") == pytest.approx(2 / 3)
    assert metrics.token_f1("nothing shared", "14 days") == 0.0
    assert metrics.token_f1("", "") == 1.0
    assert metrics.token_f1("", "x") == 0.0


def test_contains_respects_word_boundaries():
    assert metrics.contains("Returns are accepted for 14 days.", "14 days") == 1.0
    assert metrics.contains("Returns are accepted for 114 days.", "14 days") == 0.0
    assert metrics.contains("anything", "") == 0.0


def test_rouge_l_hand_computed():
    # articles go: LCS(cat sat on mat, cat on mat) = 3; P = 3/4, R = 1 -> F = 6/7
    assert metrics.rouge_l("cat sat on mat", "cat on the mat") == pytest.approx(6 / 7)
    # cat sat on mat / cat is on mat: LCS 3 of 4 each side -> 0.75
    assert metrics.rouge_l("the cat sat on the mat", "the cat is on the mat") == pytest.approx(0.75)
    assert metrics.rouge_l("mat on cat", "cat on mat") == pytest.approx(1 / 3)
    # gunman killed police / police killed gunman: LCS 1 of 3 -> 1/3
    assert metrics.rouge_l("the gunman killed police", "police killed the gunman") == (
        pytest.approx(1 / 3)
    )
    assert metrics.rouge_l("Hello, World!", "hello world") == 1.0
    assert metrics.rouge_l("", "") == 1.0 and metrics.rouge_l("", "x") == 0.0


def test_rouge_l_and_token_f1_read_every_script():
    # rouge-score's default tokenizer turns these into "cr me br l e" / "cr me fra che"
    assert metrics.rouge_l("crème brûlée", "crème fraîche") == pytest.approx(0.5)
    assert metrics.rouge_l("北京欢迎你", "北京欢迎你") == 1.0  # its default tokenizer gives 0
    assert metrics.rouge_l("北京欢迎你", "上海欢迎你") == pytest.approx(0.6)  # 3 of 5 chars
    assert metrics.token_f1("Straße gesperrt", "straße offen") == pytest.approx(0.5)
    assert metrics.contains("退货期为14天。", "14天") == 1.0


def test_groundedness_counts_content_words_in_context():
    context = "Claims must be filed within 14 days by Ingrid Solberg."
    # content words: claims filed 14 days friday -> 4 of 5 in context
    assert metrics.groundedness("Claims are filed in 14 days on Friday", context) == pytest.approx(
        4 / 5
    )
    assert metrics.groundedness("", context) == 1.0


def test_recall_at_k():
    assert metrics.recall_at_k(["no", "It takes 14 days here"], "14 days") == 1.0
    assert metrics.recall_at_k(["no", "nothing"], "14 days") == 0.0
    assert metrics.recall_at_k([], "14 days") == 0.0


def test_percentile_nearest_rank():
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 0.5) == 51.0
    assert percentile(values, 0.95) == 95.0
    assert percentile([], 0.5) == 0.0


def test_length_ratio_is_not_clamped():
    assert metrics.length_ratio("one two three", "one two") == 1.5
    assert metrics.length_ratio("a", "a b c d") == 0.25
    assert metrics.length_ratio("anything", "") == 0.0


def test_item_scores_knowledge():
    assert metrics.item_scores("knowledge", "It takes 14 days.", "14 days") == {
        "exact_match": 0.0,
        "token_f1": 0.6667,  # it take 14 day / 14 day: P 2/4, R 1
        "contains": 1.0,
        "rouge_l": 0.6667,
    }


def test_item_scores_classification():
    assert metrics.item_scores("classification", "Spam!", "spam", ["spam", "ham"]) == {
        "exact_match": 1.0,
        "accuracy": 1.0,
        "in_label_set": 1.0,
    }
    assert metrics.item_scores("classification", "unsure", "spam", ["spam", "ham"]) == {
        "exact_match": 0.0,
        "accuracy": 0.0,
        "in_label_set": 0.0,
    }
    with pytest.raises(ValueError, match="label set"):
        metrics.item_scores("classification", "spam", "spam", None)


def test_item_scores_json_rounds_to_four_decimals():
    scores = metrics.item_scores("json", '{"a": 1, "b": 2, "c": 9}', '{"a": 1, "b": 2}')
    # P 2/3, R 1, F1 = 0.8; schema differs (extra key c)
    assert scores == {
        "exact_match": 0.0,
        "valid_json": 1.0,
        "json_exact": 0.0,
        "field_precision": 0.6667,
        "field_recall": 1.0,
        "field_f1": 0.8,
        "schema_match": 0.0,
    }


def test_item_scores_generation():
    assert metrics.item_scores("generation", "The cat sat", "a cat sat down") == {
        "exact_match": 0.0,
        "rouge_l": 0.8,  # cat sat / cat sat down: P 1, R 2/3
        "token_f1": 0.8,
        "length_ratio": 0.75,
    }
    with pytest.raises(ValueError, match="unknown task kind"):
        metrics.item_scores("regression", "x", "y")


def test_headline_metric_is_scored_for_every_kind():
    samples = {
        "knowledge": ("14 days", "14 days"),
        "classification": ("a", "a"),
        "json": ('{"a": 1}', '{"a": 1}'),
        "generation": ("x", "x"),
    }
    assert set(samples) == set(HEADLINE)
    for task, (pred, ref) in samples.items():
        assert metrics.item_scores(task, pred, ref, LABELS)[HEADLINE[task]] == 1.0


def test_docstring_examples_hold():
    result = doctest.testmod(metrics)
    assert result.attempted >= 8 and result.failed == 0
