"""Trials on the real packaged models with the sample documents (slow)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from eval.config import KnowledgeConfig, LoraConfig
from eval.run import TrialJob, run_trials
from eval.store import Store

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "examples" / "sample_docs"
QA = ROOT / "examples" / "sample_qa.csv"


def test_rag_beats_prompt_only_on_document_facts(tmp_path, real_settings, real_chat, real_embedder):
    with Store(tmp_path / "r.duckdb") as store:
        config = KnowledgeConfig(trials=("prompt", "rag"))
        job = TrialJob("knowledge", real_settings, store, real_chat, real_embedder, config,
                       workspace="real-rag", docs=[DOCS], qa_file=QA)  # fmt: skip
        result = run_trials(job)
    prompt, rag = result.trials["prompt"]["summary"], result.trials["rag"]["summary"]
    assert result.status == "finished" and result.n_heldout == 20
    assert rag["recall_at_k"] >= 0.5
    assert rag["contains"] >= prompt["contains"] + 0.1
    assert rag["token_f1"] > prompt["token_f1"]
    assert prompt["latency_p95_s"] >= prompt["latency_p50_s"] > 0


def test_lora_trains_saves_an_adapter_and_reports_forgetting(tmp_path, real_settings, real_chat,
                                                             real_embedder):  # fmt: skip
    # 6 steps take well under 40 s on 2 quiet cores; 300 s keeps a loaded machine from cutting them
    config = KnowledgeConfig(
        trials=("lora",), heldout_min=5, probe_questions=8, max_answer_tokens=16,
        lora=LoraConfig(time_budget_s=300, max_steps=6, batch_size=2, doc_chunks=8),
    )  # fmt: skip
    with Store(tmp_path / "r.duckdb") as store:
        job = TrialJob("knowledge", real_settings, store, real_chat, real_embedder, config,
                       workspace="real-lora", docs=[DOCS], qa_file=QA)  # fmt: skip
        result = run_trials(job)
        stored = store.get_run(result.run_id)
    lora = result.trials["lora"]
    assert lora["status"] in ("finished", "partial"), lora["error"]
    summary = lora["summary"]
    assert summary["steps"] == 6 and len(summary["loss_curve"]) == 6
    assert 0.001 < summary["trainable_share"] < 0.05
    assert 0 < summary["adapter_mb"] < 50
    assert Path(summary["adapter_path"], "adapter_config.json").is_file()
    assert summary["probe_questions"] == 8 and 0 <= summary["probe_base"] <= 1
    if "forgetting_drop" in summary:  # measured only when the base scores high enough
        low, high = summary["forgetting_ci95"]
        assert low <= summary["forgetting_drop"] <= high
    else:
        assert "not measurable" in summary["forgetting_note"]
    assert stored["trials"]["lora"]["summary"]["train_seconds"] == summary["train_seconds"]
    assert "not a test of fine-tuning" in summary["note"]  # 20 training pairs only
    # llama.cpp answers with the converted adapter: the engine of every other arm.
    assert summary["engine"] == "llama.cpp" and "lora-base" not in result.trials
    assert Path(summary["adapter_gguf"]).is_file()
    assert len(result.items["lora"]) == result.n_heldout


def test_cli_trial_json_and_runs(tmp_path, real_settings):
    env = {**os.environ, "ADVISOR_DATA_DIR": str(tmp_path / "data")}
    db = tmp_path / "cli.duckdb"
    proc = subprocess.run(
        [sys.executable, "app.py", "trial", "--docs", str(DOCS), "--qa", str(QA),
         "--trials", "prompt,rag", "--db", str(db), "--json"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = json.loads(proc.stdout)  # exactly one JSON object on stdout
    assert out["n_heldout"] == 20 and set(out["trials"]) == {"prompt", "rag"}
    with Store(db) as store:
        stored = store.get_run(out["run_id"])["trials"]
    for trial in ("prompt", "rag"):  # what the CLI prints is what DuckDB holds
        for key in ("exact_match", "token_f1", "contains", "rouge_l", "latency_mean_s"):
            assert out["trials"][trial][key] == stored[trial]["summary"][key]
    assert out["trials"]["rag"]["contains"] > out["trials"]["prompt"]["contains"]
    assert 0.5 <= out["trials"]["rag"]["recall_at_k"] <= 1
    assert out["trials"]["prompt"]["latency_p95_s"] >= out["trials"]["prompt"]["latency_p50_s"] > 0
    runs = subprocess.run(
        [sys.executable, "app.py", "runs", "--db", str(db), "--json"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    listed = json.loads(runs.stdout)["runs"]
    assert listed[0]["run_id"] == out["run_id"] and listed[0]["status"] == "finished"


def test_cli_recommend_with_run_measurements(tmp_path):
    db = tmp_path / "rec.duckdb"
    proc = subprocess.run(
        [sys.executable, "app.py", "recommend", "--profile", "examples/legal_team.json",
         "--db", str(db), "--json"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["approach"] == "rag" and out["reasons"] and out["plan"]
    assert all(r["source"].startswith("knowledge/guidance/") for r in out["reasons"])
    with Store(db) as store:
        assert store.list_recommendations()[0]["result"]["approach"] == "rag"
