"""transformers backend: an HF model folder, or a GGUF file dequantized by transformers.

This is also the form the LoRA trial trains. Converting a GGUF file takes ~35 s on
2 cores, so the converted model is saved once under `data/models/` and later loads
take about a second.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from assistant.core.models.base import ChatResult, Message, ModelError


def resolve_device(device: str = "auto") -> str:
    """'auto' becomes cuda or mps when present, else cpu."""
    if device != "auto":
        return device
    import torch

    if torch.cuda.is_available():
        return "cuda"
    if torch.backends.mps.is_available():
        return "mps"
    return "cpu"


def _gguf_cache_dir(gguf: Path, cache_root: Path) -> Path:
    stat = gguf.stat()
    key = hashlib.sha256(f"{gguf.resolve()}:{stat.st_size}:{stat.st_mtime_ns}".encode()).hexdigest()
    return cache_root / f"{gguf.stem}-{key[:12]}"


def _convert_gguf(gguf: Path, target: Path) -> None:
    """Dequantize a GGUF file through transformers and save it as a plain HF folder."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    model = AutoModelForCausalLM.from_pretrained(str(gguf.parent), gguf_file=gguf.name)
    tokenizer = AutoTokenizer.from_pretrained(str(gguf.parent), gguf_file=gguf.name)
    # The weights are plain floats now, but the model still carries the GGUF quantizer
    # marker, which makes save_pretrained refuse ("not serializable"): clear it.
    model.hf_quantizer = None
    model.is_quantized = False
    if hasattr(model.config, "quantization_config"):
        del model.config.quantization_config
    partial = target.with_name(target.name + ".partial")
    model.save_pretrained(partial)
    tokenizer.save_pretrained(partial)
    partial.rename(target)


def hf_model_dir(spec: str | Path, cache_root: Path) -> Path:
    """An HF folder for `spec`: the folder itself, or the cached conversion of a GGUF file."""
    path = Path(spec)
    if path.is_dir():
        if not (path / "config.json").is_file():
            raise ModelError(f"chat_model: {path} has no config.json (not a Hugging Face model)")
        return path
    if path.suffix.lower() == ".gguf":
        from assistant.core.models.llamacpp import check_gguf

        check_gguf(path)
        target = _gguf_cache_dir(path, cache_root)
        if not (target / "config.json").is_file():
            cache_root.mkdir(parents=True, exist_ok=True)
            _convert_gguf(path, target)
        return target
    raise ModelError(f"chat_model: {path} is neither an HF model folder nor a .gguf file")


def load_causal_lm(spec: str | Path, cache_root: Path, device: str = "auto") -> tuple[Any, Any]:
    """(model, tokenizer) ready for generation or LoRA training; bf16 on capable GPUs."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    folder = hf_model_dir(spec, cache_root)
    device = resolve_device(device)
    dtype = torch.float32
    if device == "cuda" and torch.cuda.is_bf16_supported():
        dtype = torch.bfloat16
    try:
        model = AutoModelForCausalLM.from_pretrained(str(folder), dtype=dtype).to(device)
        tokenizer = AutoTokenizer.from_pretrained(str(folder))
    except (OSError, ValueError) as err:
        raise ModelError(f"chat_model: transformers could not load {folder}: {err}") from None
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    model.eval()
    return model, tokenizer


class TransformersChat:
    """Greedy or sampled chat through `generate`, with the tokenizer's chat template."""

    def __init__(self, model: Any, tokenizer: Any, name: str, seed: int = 0) -> None:
        self.model, self.tokenizer, self.name, self.seed = model, tokenizer, name, seed
        self._lock = threading.Lock()

    @classmethod
    def load(
        cls, spec: str | Path, cache_root: Path, device: str = "auto", seed: int = 0
    ) -> TransformersChat:
        """Load an HF folder or GGUF file (converted once, then cached)."""
        model, tokenizer = load_causal_lm(spec, cache_root, device)
        name = Path(spec).stem if str(spec).endswith(".gguf") else Path(spec).name
        return cls(model, tokenizer, name, seed)

    def _inputs(self, messages: Sequence[Message]) -> Any:
        return self.tokenizer.apply_chat_template(
            list(messages), add_generation_prompt=True, return_tensors="pt", return_dict=True
        ).to(self.model.device)

    def _gen_kwargs(self, max_tokens: int, temperature: float, stop: Sequence[str]) -> dict:
        kwargs: dict[str, Any] = {
            "max_new_tokens": max_tokens,
            "do_sample": temperature > 0,
            "pad_token_id": self.tokenizer.pad_token_id,
        }
        if temperature > 0:
            kwargs["temperature"] = temperature
        if stop:
            kwargs["stop_strings"] = list(stop)
            kwargs["tokenizer"] = self.tokenizer
        return kwargs

    def chat(
        self,
        messages: Sequence[Message],
        *,
        max_tokens: int = 256,
        temperature: float = 0.0,
        stop: Sequence[str] = (),
        json_schema: dict | None = None,  # no constrained decoding here; the prompt asks
    ) -> ChatResult:
        import torch

        inputs = self._inputs(messages)
        with self._lock, torch.no_grad():
            torch.manual_seed(self.seed)
            start = time.perf_counter()
            out = self.model.generate(**inputs, **self._gen_kwargs(max_tokens, temperature, stop))
            seconds = time.perf_counter() - start
        prompt_len = inputs["input_ids"].shape[1]
        new = out[0][prompt_len:]
        return ChatResult(
            text=self.tokenizer.decode(new, skip_special_tokens=True).strip(),
            prompt_tokens=int(prompt_len),
            completion_tokens=int(new.shape[0]),
            seconds=seconds,
            model=self.name,
        )

    def stream(
        self,
        messages: Sequence[Message],
        *,
        max_tokens: int = 256,
        temperature: float = 0.0,
        stop: Sequence[str] = (),
    ) -> Iterator[str]:
        from transformers import TextIteratorStreamer

        inputs = self._inputs(messages)
        streamer = TextIteratorStreamer(self.tokenizer, skip_prompt=True, skip_special_tokens=True)
        kwargs = {**inputs, **self._gen_kwargs(max_tokens, temperature, stop), "streamer": streamer}
        with self._lock:
            worker = threading.Thread(target=self.model.generate, kwargs=kwargs, daemon=True)
            worker.start()
            yield from (text for text in streamer if text)
            worker.join()
