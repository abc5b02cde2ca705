"""Sample sizes: golden numbers for what a held-out set can settle, from the margin and
the spread, never from the observed difference."""

from __future__ import annotations

import pytest

from eval.scoring.power import (
    detectable_difference,
    items_for_difference,
    items_range,
    power_at,
    sample_size_note,
)

# z_0.975 + z_0.8 = 1.95996 + 0.84162 = 2.8016; its square is 7.8489.


@pytest.mark.parametrize("delta,items", [(0.1, 236), (0.2, 59), (0.3, 27)])
def test_items_for_difference_inverts_the_detectable_difference(delta, items):
    assert items_for_difference(delta) == items
    assert detectable_difference(items) <= delta < detectable_difference(items - 1) + 1e-9


def test_items_for_difference_golden_and_never_divides_by_zero():
    # 7.8489 * 0.3 / 0.05**2 = 941.9 -> 942
    assert items_for_difference(0.05) == 942
    assert items_for_difference(0.05, 0.6) == 1884  # twice the spread, twice the items
    assert items_for_difference(-0.05) == 942  # direction does not matter
    assert items_for_difference(0) is None
    # No disagreement seen: the spread is floored at the margin (a 0.05 difference of 0/1
    # scores needs at least 5% discordant items): 7.8489 * 0.05 / 0.0025 = 157.
    assert items_for_difference(0.05, 0.0) == 157
    # 7.8489 * 0.9 / 0.81 = 8.7 -> 9: at least 7.85 / delta, so always enough discordant
    # items (6) for the exact test to reach p < 0.05.
    assert items_for_difference(0.9, 0.9) == 9


def test_power_at_golden():
    # Phi(0.1 * sqrt(236 / 0.3) - 1.96) = Phi(0.8448) = 0.80
    assert power_at(236, 0.1) == 0.8
    assert power_at(20, 0.05) == 0.06
    assert power_at(0, 0.05) == 0.0 and power_at(100, 0.0) == 0.05
    values = [power_at(n, 0.05) for n in (20, 100, 300, 1000, 3000)]
    assert values == sorted(values) and values[-1] > 0.99


def test_items_range_comes_from_both_ends_of_the_spread_interval():
    # Spread 0.3 on 30 items: Wilson (0.1666, 0.4788) -> 7.8489 * s / 0.0025.
    assert items_range(0.05, 0.3, 30) == (524, 1504)
    few, many = items_range(0.05, 0.3, 3000)
    assert few < 942 < many and many - few < 150  # a large sample pins the spread down


def test_note_for_a_small_and_a_large_set():
    small = sample_size_note(20)
    assert small.startswith("With 20 held-out items, only differences above about 0.34 will be")
    assert "a true difference of 0.05 (the margin that matters) is found with 6% power" in small
    assert "about 942 items would find it with 80% power" in small
    assert sample_size_note(1000) == (
        "With 1000 held-out items, a true difference of 0.05 (the margin that matters) is "
        "found with 82% power (if about 30% of items are answered differently)."
    )
    assert "about 236 items would find it" in sample_size_note(20, margin=0.1)
