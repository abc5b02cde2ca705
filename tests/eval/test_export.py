"""Exporting a run's adapter: peft folder, GGUF LoRA for the run's base, serving commands."""

from __future__ import annotations

import json

import numpy as np
import pytest

from assistant.core.errors import AdvisorError
from eval.export import export_adapter

RANK = 4


def tiny_adapter(folder):
    """A peft adapter on two projections of block 0 of the packaged SmolLM2 (576 wide)."""
    from safetensors.numpy import save_file

    folder.mkdir(parents=True)
    rng = np.random.default_rng(0)
    prefix = "base_model.model.model.layers.0."
    tensors = {}
    for module, width_out in (("self_attn.q_proj", 576), ("mlp.up_proj", 1536)):
        tensors[f"{prefix}{module}.lora_A.weight"] = rng.normal(size=(RANK, 576)).astype("f4")
        tensors[f"{prefix}{module}.lora_B.weight"] = rng.normal(size=(width_out, RANK)).astype("f4")
    save_file(tensors, str(folder / "adapter_model.safetensors"))
    config = {"r": RANK, "lora_alpha": 8, "target_modules": ["q_proj", "up_proj"]}
    (folder / "adapter_config.json").write_text(json.dumps(config))
    return folder


def run_record(adapter, settings=None):
    summary = {"adapter_path": str(adapter), "steps": 12}
    return {
        "run": {"run_id": "abc123", "kind": "behaviour", "settings": settings or {},
                "models": {"chat": "SmolLM2-135M-Instruct"}},
        "trials": {"prompt": {"summary": {}}, "lora": {"summary": summary}},
    }  # fmt: skip


def test_export_writes_peft_gguf_and_the_commands(tmp_path):
    import gguf

    out = export_adapter(run_record(tiny_adapter(tmp_path / "adapter")), tmp_path / "out")
    assert out.files == ("peft/", "adapter.gguf", "README.md")
    assert (tmp_path / "out/peft/adapter_model.safetensors").is_file()
    reader = gguf.GGUFReader(str(tmp_path / "out/adapter.gguf"))
    names = {t.name: tuple(int(x) for x in t.shape) for t in reader.tensors}
    assert names["blk.0.attn_q.weight.lora_a"] == (576, RANK)  # ggml order: inputs first
    assert names["blk.0.ffn_up.weight.lora_b"] == (RANK, 1536)
    alpha = reader.fields["adapter.lora.alpha"]
    assert float(alpha.parts[alpha.data[0]][0]) == 8.0
    guide = (tmp_path / "out/README.md").read_text()
    for command in (
        "--lora adapter.gguf",
        "ADAPTER ./adapter.gguf",
        "--enable-lora",
        "load_lora_adapter",
        '"model_alias": "lora-abc123"',
        "--max-lora-rank 4",
    ):
        assert command in guide, command


def test_a_run_without_an_adapter_says_so(tmp_path):
    run = run_record(tmp_path / "missing")
    with pytest.raises(AdvisorError, match="no trained adapter to export"):
        export_adapter(run, tmp_path / "out")


def test_an_hf_folder_run_exports_peft_only(tmp_path):
    run = run_record(tiny_adapter(tmp_path / "a"), {"chat_backend": "transformers"})
    out = export_adapter(run, tmp_path / "out")
    assert out.files == ("peft/", "README.md") and not (tmp_path / "out/adapter.gguf").exists()
