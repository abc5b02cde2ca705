"""The LoRA arm through an OpenAI-compatible server: a real llama_cpp.server serving the
base model and the adapter as two model aliases, every arm on that one engine (slow)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.core.models.registry import chat_model_path
from bench.backend_parity import start_server
from eval.runners.lora.convert import convert_adapter
from tests.fakes.adapters import tiny_adapter

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]


def test_every_arm_including_lora_runs_on_the_served_model(tmp_path, real_settings):
    base = chat_model_path(real_settings)
    adapter = tiny_adapter(tmp_path / "peft", scale=0.3, layers=6)
    gguf = convert_adapter(adapter, base, tmp_path / "adapter.gguf")
    rows = (ROOT / "examples" / "support_routing.jsonl").read_text().splitlines()[:44]
    examples = tmp_path / "routing.jsonl"
    examples.write_text("\n".join(rows) + "\n")
    proc, url = start_server(base, 2048, tmp_path / "server.log", {"tuned": gguf})
    try:
        out = subprocess.run(
            [sys.executable, "app.py", "trial", "--examples", str(examples), "--trials",
             "prompt,lora", "--model", url, "--model-name", "served", "--adapter-model",
             "tuned", "--db", str(tmp_path / "t.duckdb"), "--json"],
            cwd=ROOT, capture_output=True, text=True, timeout=900,
            env={**os.environ, "ADVISOR_DATA_DIR": str(tmp_path / "data")},
        )  # fmt: skip
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    assert out.returncode == 0, out.stdout[-1500:] + out.stderr[-1500:]
    run = json.loads(out.stdout)
    assert run["status"] == "finished" and run["stand_in"] is False
    assert set(run["engines"].values()) == {"openai-compatible server"}
    lora = run["trials"]["lora"]
    assert lora["adapter_model"] == "tuned" and lora["trained_here"] is False
    assert run["model"] == f"served at {url}"
    from eval.store import Store

    with Store(tmp_path / "t.duckdb") as store:
        base_answers = [i["prediction"] for i in store.get_items(run["run_id"], "prompt")]
        tuned_answers = [i["prediction"] for i in store.get_items(run["run_id"], "lora")]
    assert sum(a != b for a, b in zip(base_answers, tuned_answers, strict=True)) >= 10
