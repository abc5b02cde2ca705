"""Metric golden values, computed by hand."""

from __future__ import annotations

import pytest

from eval import metrics
from eval.scoring import percentile


def test_normalize():
    assert metrics.normalize("The  Nordlys-Express!") == "nordlysexpress"
    assert metrics.normalize("An apple, a day.") == "apple day"


@pytest.mark.parametrize(
    "pred, ref, em",
    [("14 days", "14 days", 1.0), ("The 14 days.", "14 days", 1.0), ("14 day", "14 days", 0.0)],
)
def test_exact_match(pred, ref, em):
    assert metrics.exact_match(pred, ref) == em


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
    # rouge-score keeps every word (no article removal):
    # LCS(cat sat on mat, cat on the mat) = 3 (cat on mat); P = 3/4, R = 3/4 -> F = 0.75
    assert metrics.rouge_l("cat sat on mat", "cat on the mat") == pytest.approx(0.75)
    # LCS(the cat sat on the mat, the cat is on the mat) = 5; P = R = 5/6
    assert metrics.rouge_l("the cat sat on the mat", "the cat is on the mat") == pytest.approx(
        5 / 6
    )
    assert metrics.rouge_l("mat on cat", "cat on mat") == pytest.approx(1 / 3)


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
