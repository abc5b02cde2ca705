"""All hostile-input tables together: how many cases every door is tried with.

Each table's own summary fails on any crash, loss or leak; this one keeps their union
from shrinking unnoticed and their case ids apart.
"""

from __future__ import annotations

from tests.hostile import test_hostile_inputs, test_probe_knowledge, test_probe_web

TABLES = (test_hostile_inputs.CASES, test_probe_knowledge.CASES, test_probe_web.CASES)


def test_the_tables_hold_at_least_110_distinct_cases():
    ids = [case.id for table in TABLES for case in table]
    assert len(ids) >= 110 and len(set(ids)) == len(ids), len(ids)
