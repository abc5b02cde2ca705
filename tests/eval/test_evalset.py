"""A knowledge run is scored on exactly one evaluation set, and its record says which."""

from __future__ import annotations

import shutil

import pytest

from assistant.core.errors import DatasetError
from eval.config import KnowledgeConfig
from eval.data.evalset import EvalSet, describe
from eval.data.pairs import EvalPair
from tests.fakes.jobs import DOCS, QA
from tests.fakes.jobs import knowledge_run as run

PROMPT_ONLY = KnowledgeConfig(trials=("prompt",))


def _reviewed(n: int) -> list[EvalPair]:
    return [
        EvalPair(f"r{i}", f"Reviewed question number {i}?", f"answer {i}", generated=True)
        for i in range(n)
    ]


def test_a_qa_file_run_names_the_file_and_its_split_in_the_record(env):
    result = run(env, config=PROMPT_ONLY)
    expected = {"source": "file", "files": ["sample_qa.csv"], "pairs": 40, "train": 20,
                "heldout": 20}  # fmt: skip
    assert result.eval_set == expected
    assert result.to_json()["eval_set"] == expected
    stored = env[1].get_run(result.run_id)["run"]
    assert stored["eval_set"] == expected
    assert "sample_qa.csv" in {f["name"] for f in stored["files"]}


def test_reviewed_pairs_are_the_whole_set_and_no_qa_file_is_recorded(env):
    result = run(env, config=PROMPT_ONLY, qa_file=None, pairs=_reviewed(12))
    assert result.eval_set["source"] == "reviewed"
    assert [result.eval_set[k] for k in ("pairs", "train", "heldout")] == [12, 3, 9]
    heldout = {i.question for i in result.items["prompt"]}
    assert heldout <= {p.question for p in _reviewed(12)}
    stored = env[1].get_run(result.run_id)["run"]
    assert "sample_qa.csv" not in {f["name"] for f in stored["files"]}


def test_a_qa_file_and_reviewed_pairs_together_are_refused(env):
    with pytest.raises(DatasetError, match="not both"):
        run(env, config=PROMPT_ONLY, pairs=_reviewed(12))
    assert env[1].list_runs() == []  # refused before a run was recorded


def test_the_named_file_wins_over_qa_files_among_the_documents(env, tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(DOCS, docs)
    (docs / "old_pairs.csv").write_text(
        "question,answer\n" + "".join(f"Old question {i}?,old {i}\n" for i in range(30)),
        encoding="utf-8",
    )
    result = run(env, config=PROMPT_ONLY, docs=[docs], qa_file=QA)
    assert result.eval_set["files"] == ["sample_qa.csv"] and result.eval_set["pairs"] == 40
    assert not any(i.question.startswith("Old question") for i in result.items["prompt"])
    assert any("old_pairs.csv were not used" in w for w in result.warnings)
    alone = run(env, config=PROMPT_ONLY, docs=[docs], qa_file=None)  # nothing named: found
    assert alone.eval_set == {"source": "found", "files": ["old_pairs.csv"], "pairs": 30,
                              "train": 10, "heldout": 20}  # fmt: skip


def test_the_set_reads_as_one_sentence():
    made = EvalSet("file", ["qa.jsonl"]).split(28, 20).to_dict()
    assert describe(made) == "your file qa.jsonl: 48 pairs, 28 train / 20 held-out"
    assert describe({"source": "generated", "pairs": 12, "train": 4, "heldout": 8}).startswith(
        "pairs generated from your documents at run time"
    )
    assert describe(None) == describe({}) == ""
    with pytest.raises(ValueError, match="evaluation source"):
        EvalSet("mixed")
