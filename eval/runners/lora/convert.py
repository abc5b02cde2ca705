"""A trained peft LoRA adapter as a GGUF LoRA file, so llama.cpp serves it next to its base.

Why our own converter: llama.cpp's `convert_lora_to_gguf.py` lives in its source tree,
not in any package we can install, and needs the base model's HF folder. What it does is
small and is done here over the `gguf` package's own tensor-name maps:

- each peft pair `…layers.N.self_attn.q_proj.lora_A.weight` / `…lora_B.weight` becomes
  `blk.N.attn_q.weight.lora_a` / `.lora_b`, named as the base GGUF names its weights;
- llama.cpp's converter reorders the rows of the query and key projections for rotary
  embeddings ("llama" layout), so the same reordering is applied to B (W = B·A: reordering
  the rows of W is reordering the rows of B); transformers undoes it when it reads a GGUF;
- `adapter.lora.alpha` carries peft's alpha: llama.cpp scales by alpha / rank, as peft does.

Every tensor is checked against the base file's shapes before anything is written.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from assistant.core.errors import ModelError

# Architectures whose GGUF conversion reorders the query/key rows (llama.cpp's LlamaModel).
PERMUTED_QK = frozenset({"llama", "mistral", "granite"})
PEFT_PREFIX = "base_model.model."


@dataclass(frozen=True)
class BaseShape:
    """What the converter needs to know of the base GGUF file."""

    arch: str
    blocks: int
    heads: int
    kv_heads: int
    tensors: dict[str, tuple[int, ...]]  # name → ggml shape (ne0 first)


def read_base(gguf_path: Path) -> BaseShape:
    """Architecture, head counts and tensor shapes of a base GGUF model."""
    import gguf

    reader = gguf.GGUFReader(str(gguf_path))

    def field(key: str) -> Any:
        found = reader.fields.get(key)
        if found is None:
            return None
        value = found.parts[found.data[0]]
        if found.types and found.types[0] == gguf.GGUFValueType.STRING:
            return bytes(value).decode("utf-8")
        return int(value[0])

    arch = field("general.architecture")
    if not arch:
        raise ModelError(f"{gguf_path.name}: no architecture in the GGUF header")
    heads = field(f"{arch}.attention.head_count") or 0
    return BaseShape(
        arch, field(f"{arch}.block_count") or 0, heads,
        field(f"{arch}.attention.head_count_kv") or heads,
        {t.name: tuple(int(x) for x in t.shape) for t in reader.tensors},
    )  # fmt: skip


def permute_rows(weights: np.ndarray, heads: int, kv_heads: int) -> np.ndarray:
    """llama.cpp's query/key row order: each head's two rotary halves interleaved.

    >>> permute_rows(np.arange(8.0).reshape(8, 1), 2, 2).ravel().tolist()
    [0.0, 2.0, 1.0, 3.0, 4.0, 6.0, 5.0, 7.0]
    """
    if kv_heads and heads != kv_heads:
        heads = kv_heads
    rows = weights.shape[0]
    return (
        weights.reshape(heads, 2, rows // heads // 2, *weights.shape[1:])
        .swapaxes(1, 2)
        .reshape(weights.shape)
    )


def _pairs(state: dict[str, Any]) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """HF weight name → (A, B) from a peft state dict."""
    pairs: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for key in state:
        if ".lora_A." not in key:
            continue
        hf = key.removeprefix(PEFT_PREFIX).replace(".lora_A.weight", ".weight")
        b_key = key.replace(".lora_A.", ".lora_B.")
        if b_key not in state:
            raise ModelError(f"adapter has {key} but no matching {b_key}")
        pairs[hf] = (_array(state[key]), _array(state[b_key]))
    if not pairs:
        raise ModelError("no LoRA weights found in the adapter (expected lora_A/lora_B pairs)")
    return pairs


def _array(tensor: Any) -> np.ndarray:
    return tensor.float().numpy() if hasattr(tensor, "numpy") else np.asarray(tensor, np.float32)


def _gguf_name(hf_name: str, base: BaseShape) -> str:
    import gguf

    arch = next((a for a, n in gguf.MODEL_ARCH_NAMES.items() if n == base.arch), None)
    if arch is None:
        raise ModelError(f"architecture {base.arch!r} is not known to the gguf package")
    name = gguf.get_tensor_name_map(arch, base.blocks).get_name(hf_name, try_suffixes=(".weight",))
    if name is None or name not in base.tensors:
        raise ModelError(f"adapter weight {hf_name} has no counterpart in the base GGUF file")
    return name


def _oriented(name: str, a: np.ndarray, b: np.ndarray, base: BaseShape) -> np.ndarray:
    """B in the base file's row order, with the shapes checked against the base weight."""
    ne0, ne1 = base.tensors[name][:2]  # ggml: ne0 = inputs, ne1 = outputs
    if a.shape[1] != ne0 or b.shape[0] != ne1 or a.shape[0] != b.shape[1]:
        raise ModelError(f"adapter shapes A{a.shape} B{b.shape} do not fit {name} ({ne1}×{ne0})")
    if base.arch in PERMUTED_QK and name.endswith((".attn_q.weight", ".attn_k.weight")):
        kv = base.kv_heads if ".attn_k." in name else base.heads
        return permute_rows(b, base.heads, kv)
    return b


def convert_adapter(adapter_dir: Path, base_gguf: Path, out: Path) -> Path:
    """Write `out` (a GGUF LoRA for `base_gguf`) from a peft adapter folder; returns `out`."""
    import gguf
    from safetensors.numpy import load_file

    config = json.loads((adapter_dir / "adapter_config.json").read_text(encoding="utf-8"))
    if config.get("use_rslora") or config.get("use_dora"):
        raise ModelError("rsLoRA and DoRA adapters cannot be served as GGUF LoRA files")
    base = read_base(base_gguf)
    state = load_file(str(adapter_dir / "adapter_model.safetensors"))
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    writer = gguf.GGUFWriter(str(partial), base.arch)
    writer.add_string(gguf.Keys.General.TYPE, gguf.GGUFType.ADAPTER)
    writer.add_string(gguf.Keys.Adapter.TYPE, "lora")
    writer.add_float32(gguf.Keys.Adapter.LORA_ALPHA, float(config["lora_alpha"]))
    for hf_name, (a, b) in sorted(_pairs(state).items()):
        name = _gguf_name(hf_name, base)
        writer.add_tensor(f"{name}.lora_a", np.ascontiguousarray(a, np.float32))
        writer.add_tensor(f"{name}.lora_b", np.ascontiguousarray(_oriented(name, a, b, base)))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    partial.rename(out)
    return out
