"""The trial orchestrator with fakes: runs, failures, cancellation, and what lands in DuckDB."""

from __future__ import annotations

import threading

import pytest

from assistant.core.errors import DatasetError, StoreError
from eval.config import KnowledgeConfig
from eval.runners import REGISTRY
from tests.fakes import ScriptedChat
from tests.fakes.jobs import knowledge_run as run
from tests.fakes.readers import question_writer


def test_prompt_and_rag_on_the_same_heldout_questions(env):
    result = run(env)
    assert result.status == "finished"
    assert (result.n_train, result.n_heldout) == (20, 20)
    prompt, rag = result.trials["prompt"]["summary"], result.trials["rag"]["summary"]
    assert rag["contains"] > prompt["contains"] == 0.0
    assert 0 < rag["recall_at_k"] <= 1 and 0 < rag["groundedness"] <= 1
    questions = [[i.question for i in result.items[t]] for t in ("prompt", "rag")]
    assert questions[0] == questions[1]
    stored = env[1].get_run(result.run_id)
    assert stored["run"]["status"] == "finished"
    assert stored["trials"]["rag"]["summary"]["contains"] == rag["contains"]
    assert len(env[1].get_items(result.run_id, "rag")) == 20
    pairs = env[1].get_eval_pairs(result.run_id)
    train = {p["question"] for p in pairs if p["split"] == "train"}
    assert not train & {p["question"] for p in pairs if p["split"] == "heldout"}


def test_same_inputs_give_the_same_numbers(env):
    first, second = run(env), run(env)
    assert first.to_json()["trials"]["rag"] == second.to_json()["trials"]["rag"]


def _broken(ctx, heldout):
    raise RuntimeError("out of memory")


def test_a_failing_trial_is_recorded_and_the_others_survive(env, monkeypatch):
    monkeypatch.setitem(REGISTRY["knowledge"], "prompt", ("tests.eval.test_trial", "_broken"))
    result = run(env)
    assert result.status == "partial"
    assert result.trials["prompt"]["status"] == "failed"
    assert "out of memory" in result.trials["prompt"]["error"]
    assert result.trials["rag"]["status"] == "finished"
    assert env[1].get_run(result.run_id)["run"]["status"] == "partial"


def test_empty_model_answers_are_flagged(env):
    result = run(env, chat=ScriptedChat(respond=lambda m: ""))
    assert result.trials["prompt"]["status"] == "partial"
    assert "empty" in result.trials["prompt"]["summary"]["note"]


def test_cancel_stops_the_run_and_marks_it(env):
    cancel = threading.Event()

    def progress(stage, done, total):
        if stage == "prompt-only answers" and done == 3:
            cancel.set()

    result = run(env, progress=progress, cancel=cancel)
    assert result.status == "cancelled"
    assert "rag" not in result.trials
    assert env[1].get_run(result.run_id)["run"]["status"] == "cancelled"


def test_too_few_pairs_fails_clearly_and_is_recorded(env, tmp_path):
    qa = tmp_path / "qa.csv"
    qa.write_text("question,answer\nA?,a\nB?,b\nC?,c\n", encoding="utf-8")
    docs = tmp_path / "empty_docs"
    docs.mkdir()
    (docs / "note.md").write_text("Nothing to see.\n")
    _, store = env
    with pytest.raises(DatasetError, match="at least 5"):
        run(env, docs=[docs], qa_file=qa, workspace="tiny")
    runs = store.list_runs()
    assert (
        runs[0]["status"] == "failed"
        and "at least 5" in store.get_run(runs[0]["run_id"])["run"]["error"]
    )


def test_generated_pairs_when_no_qa_file(env):
    config = KnowledgeConfig(trials=("prompt",), generate_pairs=12, heldout_min=4)
    result = run(env, chat=ScriptedChat(respond=question_writer), qa_file=None, config=config)
    assert result.n_train + result.n_heldout == 12
    assert all(p.generated and p.source for p in result.pairs)
    kinds = [p.kind for p in result.pairs]
    # Questions the checks reject fall back to fill-in-the-blank, but never for over a third.
    assert kinds.count("question") >= 8 and kinds.count("cloze") <= 12 // 3
    assert any("generated" in w for w in result.warnings)


def test_top_k_option_changes_the_retrieved_count_and_is_stored_once(env):
    from dataclasses import replace

    from eval.config import RetrievalConfig

    config = KnowledgeConfig(trials=("rag",), retrieval=replace(RetrievalConfig(), top_k=3))
    result = run(env, config=config)
    assert {len(item.retrieved) for item in result.items["rag"]} == {3}
    stored = env[1].get_run(result.run_id)["run"]
    assert stored["config"]["retrieval"]["top_k"] == 3
    text = str({"config": stored["config"], "settings": stored["settings"]})
    assert text.count("'top_k'") == 1  # one knob, one stored value


def test_a_run_retrieves_only_from_its_own_documents(env, tmp_path):
    """Whatever else the workspace indexed earlier never reaches this run's answers."""
    _, store = env
    decoy = tmp_path / "decoy"
    decoy.mkdir()
    (decoy / "other-team.md").write_text(
        "# Other team\n\nThe refund window for returned pallets is 99 days for every customer. "
        "Every driver must complete the safety course before the first shift starts.\n"
    )
    run(env, docs=[decoy], config=KnowledgeConfig(trials=("prompt",), heldout_min=4))
    result = run(env)
    sources = {
        hit["source"] for item in store.get_items(result.run_id, "rag") for hit in item["retrieved"]
    }
    assert sources and "other-team.md" not in sources


def test_fill_in_the_blank_items_are_scored_apart():
    from eval.runners.context import ItemResult
    from eval.scoring.summary import by_kind

    items = [ItemResult("q", "a", "p", 0.1, 1, 1, scores={"contains": s}) for s in (1, 0, 1, 1)]
    split = by_kind(["question", "question", "cloze", "cloze"], items, "contains")
    assert split == {"cloze": {"n": 2, "contains": 1.0}, "question": {"n": 2, "contains": 0.5}}
    assert by_kind(["question"] * 4, items, "contains") == {}  # one kind: nothing to split


def test_the_run_names_its_model_and_one_engine_for_every_arm(env):
    out = run(env).to_json()
    assert out["stand_in"] is True and "stand-in SmolLM2" in out["model"]
    assert out["engine"] == "llama.cpp" and set(out["engines"].values()) == {"llama.cpp"}
    assert set(out["engines"]) == {"prompt", "rag"} and out["lora_latency_ratio"] is None


class FullDiskStore:
    """A real store whose writes start failing as a full disk does, after `ok` trials."""

    def __init__(self, store, ok: int) -> None:
        self.store, self.ok = store, ok

    def __getattr__(self, name):
        return getattr(self.store, name)

    def save_trial(self, *args, **kwargs):
        if self.ok <= 0:
            raise StoreError("cannot write to runs.duckdb: database or disk is full")
        self.ok -= 1
        return self.store.save_trial(*args, **kwargs)


def test_a_full_disk_stops_the_run_at_the_first_failed_write_and_keeps_what_was_saved(env):
    settings, store = env
    with pytest.raises(StoreError, match="disk is full"):
        run((settings, FullDiskStore(store, ok=1)))
    [stored] = store.list_runs()
    assert (
        stored["status"] == "failed"
        and "disk is full" in store.get_run(stored["run_id"])["run"]["error"]
    )
    assert [t["trial"] for t in stored["trials"]] == ["prompt"]  # the first trial is kept
    assert len(store.get_items(stored["run_id"], "prompt")) == 20


def test_a_failed_heartbeat_write_stops_the_run_at_its_next_item(env, monkeypatch):
    settings, store = env
    monkeypatch.setattr(store._heartbeat, "problem", "IO Error: No space left on device")
    with pytest.raises(StoreError, match="No space left on device"):
        run((settings, store))
