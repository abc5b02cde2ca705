"""GPU path check: one knowledge and one behaviour trial end to end on CUDA, or a clean skip.

Usage: python bench/gpu_check.py [--examples examples/support_routing.jsonl]

With a CUDA device, LoRA trains on it (bf16 when supported) and llama.cpp offloads every
layer (`gpu_layers=-1`, when the build supports offload); the script prints the device,
whether llama.cpp offloads, and the stage times of both trials as one JSON object.
Without one it prints {"skipped": "..."} and exits 0, so it is safe in any CI.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assistant.core.offline import enforce_offline

enforce_offline()

ROOT = Path(__file__).resolve().parents[1]


def gpu() -> str:
    """'cuda' with the device name, or '' when there is none."""
    import torch

    return torch.cuda.get_device_name(0) if torch.cuda.is_available() else ""


def timed_run(kind: str, settings, store, **fields) -> dict:
    from assistant.core.models import load_chat_model, load_embedder
    from bench.behaviour_trial import stage_timer
    from eval.config import build_config
    from eval.run import TrialJob, run_trials

    seen, progress = stage_timer()
    trials = ("prompt", "rag", "lora") if kind == "knowledge" else ("prompt", "few-shot", "lora")
    config = build_config(kind, settings, trials, time_budget_s=300.0)
    job = TrialJob(kind, settings, store, load_chat_model(settings, "trial"),
                   load_embedder(settings), config, progress=progress, **fields)  # fmt: skip
    start = time.perf_counter()
    result = run_trials(job)
    return {
        "status": result.status, "seconds": round(time.perf_counter() - start, 1),
        "stages": {s: round(max(t) - min(t), 1) for s, t in seen.items()},
        "lora_device": result.trials.get("lora", {}).get("summary", {}).get("device"),
        "engines": result.engines(),
    }  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", default=str(ROOT / "examples" / "support_routing.jsonl"))
    args = parser.parse_args()
    device = gpu()
    if not device:
        print(json.dumps({"skipped": "no CUDA device: the GPU path needs one"}))
        return 0
    from assistant.core.models.llamacpp import gpu_offload_supported
    from assistant.core.settings import load_settings
    from eval.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(data_dir=tmp, env={"ADVISOR_GPU_LAYERS": "-1"})
        with Store(Path(tmp) / "gpu.duckdb") as store:
            out = {
                "device": device, "llama_cpp_offload": gpu_offload_supported(),
                "knowledge": timed_run("knowledge", settings, store,
                                       docs=[ROOT / "examples" / "sample_docs"],
                                       qa_file=ROOT / "examples" / "sample_qa.csv"),
                "behaviour": timed_run("behaviour", settings, store,
                                       examples_file=Path(args.examples)),
            }  # fmt: skip
    print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
