"""The GPU check skips cleanly on a machine without CUDA (and runs the trials with one)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_gpu_check_skips_cleanly_or_runs_both_trials():
    import torch

    out = subprocess.run([sys.executable, "bench/gpu_check.py"], cwd=ROOT, capture_output=True,
                         text=True, timeout=1800)  # fmt: skip
    assert out.returncode == 0, out.stderr[-2000:]
    report = json.loads(out.stdout)
    if torch.cuda.is_available():
        assert report["knowledge"]["lora_device"] == "cuda"
        assert report["behaviour"]["status"] in ("finished", "partial")
    else:
        assert report == {"skipped": "no CUDA device: the GPU path needs one"}
