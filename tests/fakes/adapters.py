"""A small peft LoRA adapter for the packaged SmolLM2 (576 wide), made without training."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

RANK = 4
MODULES = (("self_attn.q_proj", 576), ("mlp.up_proj", 1536))  # (module, output width)


def tiny_adapter(folder: Path, scale: float = 1.0, layers: int = 1) -> Path:
    """A peft adapter on two projections of the first `layers` blocks, random weights."""
    from safetensors.numpy import save_file

    folder.mkdir(parents=True)
    rng = np.random.default_rng(0)
    tensors = {}
    for layer in range(layers):
        prefix = f"base_model.model.model.layers.{layer}."
        for module, width in MODULES:
            a = rng.normal(size=(RANK, 576)) * scale
            b = rng.normal(size=(width, RANK)) * scale
            tensors[f"{prefix}{module}.lora_A.weight"] = a.astype("f4")
            tensors[f"{prefix}{module}.lora_B.weight"] = b.astype("f4")
    save_file(tensors, str(folder / "adapter_model.safetensors"))
    config = {"r": RANK, "lora_alpha": 8, "target_modules": ["q_proj", "up_proj"]}
    (folder / "adapter_config.json").write_text(json.dumps(config))
    return folder
