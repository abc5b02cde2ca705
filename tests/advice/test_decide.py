"""Decision engine: a table of profiles from the guidance, plus properties.

The table follows the reference lists ("when fine-tuning is right" / "when RAG is
right") and the measured-score rules; each row names the guidance it encodes.
"""

from __future__ import annotations

import json

import pytest

from assistant.advice.decide import recommend
from assistant.advice.profile import Profile
from assistant.advice.rules import (
    APPROACHES,
)
from tests.fakes.profiles import BOTH, CASES, EXAMPLES, load_example

EXAMPLE_CASES = [
    ("legal_team.json", "rag", []),
    ("support_bot.json", "rag", [*BOTH, "collect_examples"]),
    ("style_rewrite.json", "lora", []),
]
JSONL_EXPECTED = ["lora", "rag+lora", "prompt", "full-finetune", "prompt", "prompt"]


@pytest.mark.parametrize(("name", "data", "approach", "prereqs"), CASES, ids=[c[0] for c in CASES])
def test_table(name, data, approach, prereqs):
    rec = recommend(Profile.from_dict(data))
    assert rec.approach == approach
    assert rec.prerequisites == prereqs


def test_table_is_large_and_covers_every_approach():
    assert len(CASES) >= 25
    assert {c[2] for c in CASES} == set(APPROACHES)


@pytest.mark.parametrize(("file", "approach", "prereqs"), EXAMPLE_CASES)
def test_example_files(file, approach, prereqs):
    rec = recommend(Profile.from_dict(load_example(file)))
    assert (rec.approach, rec.prerequisites) == (approach, prereqs)


def test_example_jsonl():
    lines = (EXAMPLES / "profiles.jsonl").read_text().splitlines()
    got = [recommend(Profile.from_dict(json.loads(line))).approach for line in lines]
    assert got == JSONL_EXPECTED
