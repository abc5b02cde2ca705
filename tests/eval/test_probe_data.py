"""The general-capability probe file is well formed and cannot be gamed by echoing."""

from __future__ import annotations

import json

from eval.scoring.forgetting import PROBE_FILE, load_probe
from eval.scoring.metrics import contains
from knowledge.text import normalize

KINDS = {"fact", "arithmetic", "instruction"}


def _rows() -> list[dict]:
    lines = PROBE_FILE.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def test_probe_has_enough_unique_complete_rows_of_every_kind():
    rows = _rows()
    assert len(rows) >= 40
    assert len({r["id"] for r in rows}) == len(rows)
    for row in rows:
        assert set(row) == {"id", "question", "answer", "kind"}, row
        assert all(isinstance(v, str) and v.strip() for v in row.values()), row
    assert {r["kind"] for r in rows} == KINDS
    assert len(load_probe()) == len(rows)


def test_answers_survive_normalisation_and_are_not_in_the_question():
    for row in _rows():
        # An answer that normalises to nothing ("a", "the") could never be scored.
        assert normalize(row["answer"]), row
        assert contains(f"The answer is {row['answer']}.", row["answer"]) == 1.0, row
        # Echoing a fact or sum question back must not count as answering it.
        if row["kind"] != "instruction":
            assert contains(row["question"], row["answer"]) == 0.0, row


def test_a_short_probe_still_covers_every_kind():
    from collections import Counter

    from eval.scoring.forgetting import load_probe

    kinds = Counter(item.kind for item in load_probe(limit=40))
    assert sum(kinds.values()) == 40
    assert set(kinds) == {"fact", "arithmetic", "instruction"} and min(kinds.values()) >= 10
    assert len(load_probe()) == 55  # no limit: every item
