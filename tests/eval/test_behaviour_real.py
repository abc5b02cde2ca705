"""Behaviour trials on the real packaged models with real data (slow).

The examples are Debian package descriptions labelled with Debian's own archive
sections (examples/debian_sections.jsonl): data nobody in this project wrote.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from eval.config import BehaviourConfig, LoraConfig
from eval.run import TrialJob, run_trials
from eval.scoring.verdict import VERDICTS
from eval.store import Store

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def sections(tmp_path) -> Path:
    rows = (ROOT / "examples" / "debian_sections.jsonl").read_text().splitlines()[:40]
    path = tmp_path / "sections.jsonl"
    path.write_text("\n".join(rows) + "\n")
    return path


def test_few_shot_and_lora_on_real_labels(tmp_path, sections, real_settings, real_chat,
                                         real_embedder):  # fmt: skip
    # 6 LoRA steps take ~30 s; the 300 s budget only matters on a machine busy with others
    config = BehaviourConfig(
        trials=("prompt", "few-shot", "lora"), shots=4, probe_questions=8,
        max_answer_tokens=8, lora=LoraConfig(time_budget_s=300, max_steps=6, batch_size=2, seeds=1),
    )  # fmt: skip
    with Store(tmp_path / "b.duckdb") as store:
        job = TrialJob("behaviour", real_settings, store, real_chat, real_embedder, config,
                       workspace="real-behaviour", examples_file=sections)  # fmt: skip
        result = run_trials(job)
        stored = store.get_run(result.run_id)
    assert result.task == "classification" and (result.n_train, result.n_heldout) == (10, 30)
    assert stored["run"]["kind"] == "behaviour"
    for name in ("prompt", "few-shot"):
        summary = result.trials[name]["summary"]
        assert (
            0 <= summary["accuracy"] <= 1 and summary["ci95"]["accuracy"][0] <= summary["accuracy"]
        )
    # Few-shot prompts carry the worked examples: measurably longer than zero-shot.
    few, zero = result.trials["few-shot"]["summary"], result.trials["prompt"]["summary"]
    assert few["prompt_tokens_p50"] > zero["prompt_tokens_p50"] + 40
    lora = result.trials["lora"]
    assert lora["status"] in ("finished", "partial"), lora["error"]
    assert lora["summary"]["steps"] == 6
    # The adapter answers with the short zero-shot prompt, on the same engine as the others.
    assert lora["summary"]["prompt_tokens_p50"] < few["prompt_tokens_p50"]
    assert set(result.engines().values()) == {"llama.cpp"} and "lora-base" not in result.trials
    assert Path(lora["summary"]["adapter_gguf"]).is_file()
    ratio = result.lora_latency_ratio()  # one engine: the adapter costs little per answer
    assert ratio is not None and ratio < 3, ratio
    assert result.stand_in and "stand-in" in result.model
    pairs = {(c["a"], c["b"]) for c in result.compare}
    assert ("prompt", "few-shot") in pairs
    assert all(c["verdict"] in VERDICTS and "p_adjusted" in c for c in result.compare)
