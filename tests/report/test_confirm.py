"""Stand-in runs say so first; with the team's run on the same files, rankings side by side."""

from __future__ import annotations

from assistant.report.blocks import Para, Table
from assistant.report.confirm import first_paragraph, side_by_side, stand_in
from tests.fakes.runs import TEAM_MODEL, ones, stored_run

FILES = [{"name": "qa.csv", "sha256": "abc"}]


def run(run_id: str, items: dict, model: str = "") -> dict:
    found = stored_run(run_id, items, model=model)
    found["run"] |= {"files": FILES, "settings": found["run"]["settings"]
                     | {"chat_backend": "llamacpp"}}  # fmt: skip
    return found


def test_a_stand_in_report_opens_with_where_its_numbers_come_from():
    small = run("s1", {"prompt": ones(2), "rag": ones(12)})
    blocks = first_paragraph(small)
    assert stand_in(small) and isinstance(blocks[0], Para)
    assert blocks[0].text.startswith("Every measured number in this report comes from run s1 on")
    assert "--model YOUR_MODEL" in blocks[1].text and "Model for this run" in blocks[1].text
    assert first_paragraph(run("t1", {"prompt": ones(2)}, TEAM_MODEL)) == []


def test_both_rankings_side_by_side_and_whether_they_agree():
    small = run("s1", {"prompt": ones(2), "rag": ones(12), "lora": ones(5)})
    agreeing = run("t1", {"prompt": ones(6), "rag": ones(18), "lora": ones(9)}, TEAM_MODEL)
    _, grid, verdict = side_by_side(small, agreeing)
    assert isinstance(grid, Table) and grid.rows[0] == ("RAG", "0.60 (#1)", "0.90 (#1)")
    assert verdict.text.startswith("The two rankings agree")
    flipped = run("t2", {"prompt": ones(16), "rag": ones(15), "lora": ones(1)}, TEAM_MODEL)
    assert side_by_side(flipped, small)[2].text.startswith("The two rankings disagree")
    assert "(t2)" in side_by_side(flipped, small)[2].text
    assert side_by_side(small, None) == []
