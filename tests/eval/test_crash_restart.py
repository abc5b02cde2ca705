"""`kill -9` in the middle of real trials, then a restart: the truth about every run.

Real processes and the real models: a prompt trial that finishes, one killed while RAG
answers, one killed while LoRA trains. The next process that opens the database (here
`app.py runs`, as after a restart) must show both killed runs `failed` as interrupted,
keep the finished run and its items, and leave no half-written run folder behind.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from eval.store import INTERRUPTED, Store

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "examples" / "sample_docs"
QA = ROOT / "examples" / "sample_qa.csv"


def _app(data: Path, *args: str) -> subprocess.Popen:
    env = {**os.environ, "ADVISOR_DATA_DIR": str(data)}
    return subprocess.Popen(
        [sys.executable, "app.py", *args], cwd=ROOT, env=env, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def _trial_killed_at(data: Path, trials: str, stage: str, done: int) -> None:
    """Run a trial and SIGKILL it once its progress shows `stage (done/…) — about … left`."""
    proc = _app(data, "trial", "--docs", str(DOCS), "--qa", str(QA), "--trials", trials,
                "--lora-budget", "120")  # fmt: skip
    try:
        for line in proc.stdout:  # progress lines end in \r, read here as line ends
            if line.strip().startswith(f"{stage} ({done}/"):
                os.kill(proc.pid, signal.SIGKILL)
                break
        else:
            pytest.fail(f"the trial ended before '{stage} ({done}/' (exit {proc.wait()})")
    finally:
        proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL


def test_runs_killed_mid_rag_and_mid_lora_show_failed_after_a_restart(tmp_path):
    data = tmp_path / "data"
    finished = _app(data, "trial", "--docs", str(DOCS), "--qa", str(QA), "--trials", "prompt",
                    "--json")  # fmt: skip
    done = json.loads(finished.communicate(timeout=600)[0])
    assert done["status"] == "finished"
    _trial_killed_at(data, "rag", "RAG answers", 5)
    _trial_killed_at(data, "lora", "LoRA training", 2)

    listing = _app(data, "runs", "--json").communicate(timeout=120)[0]
    runs = {r["run_id"]: r for r in json.loads(listing)["runs"]}
    killed = [r for r in runs.values() if r["run_id"] != done["run_id"]]
    assert len(runs) == 3 and len(killed) == 2
    for run in killed:
        assert (run["status"], run["error"]) == ("failed", INTERRUPTED), run
        assert not (data / "runs" / run["run_id"]).exists()
    assert runs[done["run_id"]]["status"] == "finished"
    with Store(data / "advisor.duckdb") as store:
        assert len(store.get_items(done["run_id"], "prompt")) == done["n_heldout"]
        assert store.mark_interrupted() == 0  # nothing left to sweep
