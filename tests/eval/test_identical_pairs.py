"""A pair that scored the same on every item has nothing to test: every place that words
comparisons (chat, Trials tab, report, advice) says so instead of an interval and
"inconclusive" (issue #23), from one home, `Comparison.same_scores`."""

from __future__ import annotations

from assistant.report.verdicts import comparisons_blocks
from assistant.web.results import verdict_lines
from eval.scoring.comparison import Comparison, measure

ZEROS = [0.0] * 20
BOTH_ZERO = "both scored 0.00 on every item — no difference to test"


def test_both_zero_is_identical_and_worded_as_what_happened():
    pair = measure("few-shot", "prompt", ZEROS, ZEROS, "field_f1")
    assert pair.differing == 0 and pair.identical
    assert pair.same_scores() == BOTH_ZERO
    assert pair.ci95 != (0.0, 0.0)  # the interval is real, but there is nothing to read in it


def test_the_count_survives_storage_and_a_flip():
    pair = measure("a", "b", [1.0, 0.5, 0.0], [1.0, 0.5, 0.0], "rouge_l")
    back = Comparison.from_dict(pair.to_dict())
    assert back.differing == 0 and back.flipped().identical
    assert back.same_scores() == "both scored the same on every item — no difference to test"


def test_pairs_that_differ_on_one_item_are_read_as_usual():
    pair = measure("a", "b", [1.0, *ZEROS[1:]], ZEROS, "accuracy")
    assert pair.differing == 1 and not pair.identical and pair.same_scores() == ""


def test_rows_stored_before_the_count_are_read_from_their_means():
    row = measure("few-shot", "prompt", ZEROS, ZEROS, "field_f1").to_dict()
    del row["differing"]
    assert Comparison.from_dict(row).identical
    row |= {"mean_a": 0.4, "mean_b": 0.4, "ci95": [-0.1, 0.1]}
    assert not Comparison.from_dict(row).identical  # equal means need not be equal items


def test_the_trials_tab_and_the_report_say_it_instead_of_an_interval():
    row = measure("few-shot", "prompt", ZEROS, ZEROS, "field_f1").to_dict()
    [line] = verdict_lines([row])
    assert line == f"- **few-shot vs prompt** on field_f1: {BOTH_ZERO}"
    table = comparisons_blocks([row])[-1]
    [cells] = table.rows
    assert cells[5] == BOTH_ZERO and cells[3] == "—" and "inconclusive" not in cells
