"""llama.cpp chat backend: any GGUF file, CPU threads = cores, GPU offload when built in."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

from assistant.core.models.base import ChatResult, Message, ModelError


def check_gguf(path: Path, setting: str = "chat_model") -> None:
    """Fail early, with the setting's name, on a missing or non-GGUF file."""
    if not path.is_file():
        raise ModelError(f"{setting}: file not found: {path} (set it to a GGUF file path)")
    with path.open("rb") as fh:
        magic = fh.read(4)
    if magic != b"GGUF":
        raise ModelError(f"{setting}: {path} is not a GGUF model file (corrupt or wrong format)")


def gpu_offload_supported() -> bool:
    """True when this llama.cpp build can place layers on a GPU."""
    import llama_cpp

    return bool(llama_cpp.llama_supports_gpu_offload())


class LlamaCppChat:
    """Chat through llama-cpp-python. One lock per model: a Llama context is not thread-safe."""

    def __init__(
        self,
        path: Path,
        *,
        context_size: int = 4096,
        threads: int = 0,
        gpu_layers: int = -1,
        seed: int = 0,
    ) -> None:
        check_gguf(path)
        from llama_cpp import Llama

        if gpu_layers < 0:
            gpu_layers = -1 if gpu_offload_supported() else 0
        self.path = path
        self.name = path.stem
        self.gpu_layers = gpu_layers
        self.threads = threads or os.cpu_count() or 1
        self._lock = threading.Lock()
        try:
            self.llm = Llama(
                model_path=str(path),
                n_ctx=context_size,
                n_threads=self.threads,
                n_threads_batch=self.threads,
                n_gpu_layers=gpu_layers,
                seed=seed,
                verbose=False,
            )
        except (ValueError, RuntimeError) as err:
            raise ModelError(f"chat_model: llama.cpp could not load {path}: {err}") from None

    def _args(self, messages: Sequence[Message], max_tokens: int, temperature: float, stop):
        return {
            "messages": list(messages),
            "max_tokens": max_tokens,
            "temperature": temperature,
            "stop": list(stop) or None,
        }

    @staticmethod
    def _format(json_schema: dict | None) -> dict:
        """llama.cpp turns a JSON schema into a grammar, so the reply always parses."""
        if json_schema is None:
            return {}
        return {"response_format": {"type": "json_object", "schema": json_schema}}

    def chat(
        self,
        messages: Sequence[Message],
        *,
        max_tokens: int = 256,
        temperature: float = 0.0,
        stop: Sequence[str] = (),
        json_schema: dict | None = None,
    ) -> ChatResult:
        with self._lock:
            start = time.perf_counter()
            out = self.llm.create_chat_completion(
                **self._args(messages, max_tokens, temperature, stop), **self._format(json_schema)
            )
            seconds = time.perf_counter() - start
        usage = out.get("usage") or {}
        return ChatResult(
            text=(out["choices"][0]["message"].get("content") or "").strip(),
            prompt_tokens=int(usage.get("prompt_tokens", 0)),
            completion_tokens=int(usage.get("completion_tokens", 0)),
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
        with self._lock:
            chunks = self.llm.create_chat_completion(
                stream=True, **self._args(messages, max_tokens, temperature, stop)
            )
            for chunk in chunks:
                delta = chunk["choices"][0].get("delta", {}).get("content")
                if delta:
                    yield delta
