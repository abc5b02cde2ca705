"""LLM-as-judge: specific yes/no criteria, raw verdicts kept, malformed ones counted."""

from __future__ import annotations

import pytest

from eval.config import KnowledgeConfig
from eval.runners.context import ItemResult
from eval.scoring.judge import criterion, judge_items, parse_verdict
from tests.fakes import ScriptedChat
from tests.fakes.jobs import knowledge_run as run


@pytest.mark.parametrize(
    "raw, verdict",
    [("Yes.", True), ("no", False), ("  YES, it does", True), ("Maybe", None), ("", None),
     ("The answer is yes", None), ("nobody knows", None)],
)  # fmt: skip
def test_parse_verdict(raw, verdict):
    assert parse_verdict(raw) is verdict


def test_criterion_is_specific():
    assert (
        criterion("How long?", "14 days")
        == 'Does the answer state "14 days" as the answer to: How long?'
    )


def test_judge_counts_malformed_and_keeps_raw_verdicts():
    items = [ItemResult(f"q{i}", "ref", f"pred {i}", 0.1) for i in range(4)]
    judge = ScriptedChat(["yes", "No.", "I think so", "yes"])
    summary = judge_items(judge, items).summary()
    assert summary["judge_yes_rate"] == pytest.approx(2 / 3, abs=1e-4)
    assert summary["judge_malformed"] == 1
    assert [v["raw"] for v in summary["judge_verdicts"]] == ["yes", "No.", "I think so", "yes"]
    assert "pred 0" in judge.calls[0][-1]["content"] and '"ref"' in judge.calls[0][-1]["content"]


def test_trial_with_judge_stores_verdicts(tmp_path):
    from assistant.core.settings import load_settings
    from eval.store import Store

    settings = load_settings(env={}, data_dir=str(tmp_path / "d"))
    with Store(tmp_path / "j.duckdb") as store:
        judge = ScriptedChat(
            respond=lambda m: "yes" if "Managing Director" in m[-1]["content"] else "hmm"
        )
        result = run((settings, store), config=KnowledgeConfig(trials=("prompt",), judge=True),
                     judge=judge)  # fmt: skip
        stored = store.get_run(result.run_id)["trials"]["prompt"]["summary"]
    verdicts = stored["judge_verdicts"]
    assert len(verdicts) == result.n_heldout == len(judge.calls)
    yes = [v for v in verdicts if v["yes"]]
    assert stored["judge_malformed"] == len(verdicts) - len(yes)
    assert all("Managing Director" in v["question"] for v in yes)
