"""Sample-size guidance: golden numbers for what a held-out set can settle."""

from __future__ import annotations

import pytest

from eval.scoring.stats import detectable_difference, items_for_difference, sample_size_note


@pytest.mark.parametrize("delta,items", [(0.1, 236), (0.2, 59), (0.3, 27)])
def test_items_for_difference_inverts_the_detectable_difference(delta, items):
    assert items_for_difference(delta) == items
    assert detectable_difference(items) <= delta < detectable_difference(items - 1) + 1e-9


def test_note_for_a_small_and_a_large_set():
    assert sample_size_note(20).startswith(
        "With 20 held-out items, only differences above about 0.34 will be clear"
    )
    assert "about 236 would show a 0.10 difference" in sample_size_note(20)
    assert (
        sample_size_note(300)
        == "With 300 held-out items, differences of 0.10 or more will be clear."
    )
