"""llama.cpp chat backend: any GGUF file, CPU threads shared out, GPU offload when built in."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
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


class CoreShare:
    """The machine's cores split between the llama.cpp generations running at once.

    llama.cpp's worker threads spin at every barrier, so a thread that loses its core
    stalls the rest. Measured on 2 cores (bench/threads.py, packaged model, tokens/s per
    generation): alone, 2 threads 131 vs 1 thread 82; the chat copy and the trial copy
    generating together, 2 threads each 55 vs 1 thread each 81. So each generation takes
    its share of the cores for the generations running now, and a streamed answer asks
    again as it goes, shrinking when a second one starts. A busy neighbour process is
    beyond what we can see (2 threads beside one fell to 34, 1 thread kept 79): on a shared
    machine set `threads` (ADVISOR_THREADS) to the cores that are really free.
    """

    def __init__(self, cores: int) -> None:
        self.cores, self.active = max(1, cores), 0
        self._lock = threading.Lock()

    @contextmanager
    def running(self) -> Iterator[None]:
        with self._lock:
            self.active += 1
        try:
            yield
        finally:
            with self._lock:
                self.active -= 1

    def threads(self) -> int:
        return max(1, self.cores // max(1, self.active))


CORES = CoreShare(os.cpu_count() or 1)
RESIZE_EVERY = 8  # streamed tokens between two looks at how many generations run


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
        self.shared = threads <= 0  # 0 = share the cores with other generations (CORES)
        self._lock = threading.Lock()
        self._active: object | None = None  # the LoRA adapter the context applies now
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
        return self.complete(None, messages, max_tokens, temperature, stop, json_schema)

    def complete(
        self,
        adapter: object | None,
        messages: Sequence[Message],
        max_tokens: int = 256,
        temperature: float = 0.0,
        stop: Sequence[str] = (),
        json_schema: dict | None = None,
        name: str = "",
    ) -> ChatResult:
        """One completion with `adapter` applied (None = the base weights)."""
        with self._lock, CORES.running():
            self._apply(adapter)
            self._size_threads()
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
            model=name or self.name,
        )

    def stream(
        self,
        messages: Sequence[Message],
        *,
        max_tokens: int = 256,
        temperature: float = 0.0,
        stop: Sequence[str] = (),
    ) -> Iterator[str]:
        with self._lock, CORES.running():
            self._apply(None)
            self._size_threads()
            chunks = self.llm.create_chat_completion(
                stream=True, **self._args(messages, max_tokens, temperature, stop)
            )
            for i, chunk in enumerate(chunks):
                if i % RESIZE_EVERY == RESIZE_EVERY - 1:
                    self._size_threads()
                delta = chunk["choices"][0].get("delta", {}).get("content")
                if delta:
                    yield delta

    def _size_threads(self) -> None:
        """Use this generation's share of the cores (caller holds the lock); a fixed
        `threads` setting is left alone."""
        if not self.shared:
            return
        import llama_cpp

        n = min(self.threads, CORES.threads())
        llama_cpp.llama_set_n_threads(self.llm.ctx, n, n)

    def _apply(self, adapter: object | None) -> None:
        """Make the context apply `adapter` (caller holds the lock).

        The prompt cache is dropped on a switch: tokens evaluated under the other
        weights would otherwise be reused as the start of the next prompt.
        """
        if adapter is self._active:
            return
        import ctypes

        import llama_cpp

        if adapter is None:
            failed = llama_cpp.llama_set_adapters_lora(self.llm.ctx, None, 0, None)
        else:
            handles = (llama_cpp.llama_adapter_lora_p_ctypes * 1)(adapter)
            scales = (ctypes.c_float * 1)(1.0)
            failed = llama_cpp.llama_set_adapters_lora(self.llm.ctx, handles, 1, scales)
        if failed:
            raise ModelError("llama.cpp could not switch the LoRA adapter")
        self.llm.reset()
        self._active = adapter

    def with_lora(self, path: Path, name: str = "") -> LlamaCppLora:
        """This model with a GGUF LoRA adapter applied: the same engine, weights and threads."""
        check_gguf(path, "LoRA adapter")
        import llama_cpp

        with self._lock:
            handle = llama_cpp.llama_adapter_lora_init(self.llm.model, str(path).encode("utf-8"))
        if not handle:
            raise ModelError(f"llama.cpp could not load the LoRA adapter {path.name}")
        return LlamaCppLora(self, handle, name or f"{self.name}+{path.stem}")


class LlamaCppLora:
    """A view of a LlamaCppChat that answers with one LoRA adapter switched on."""

    def __init__(self, base: LlamaCppChat, handle: object, name: str) -> None:
        self.base, self.handle, self.name = base, handle, name

    def chat(
        self,
        messages: Sequence[Message],
        *,
        max_tokens: int = 256,
        temperature: float = 0.0,
        stop: Sequence[str] = (),
        json_schema: dict | None = None,
    ) -> ChatResult:
        return self.base.complete(
            self.handle, messages, max_tokens, temperature, stop, json_schema, self.name
        )

    def stream(self, messages: Sequence[Message], **options: object) -> Iterator[str]:
        yield self.chat(messages, **options).text  # type: ignore[arg-type]

    def close(self) -> None:
        """Switch the adapter off and free it; the base model stays loaded."""
        import llama_cpp

        with self.base._lock:
            self.base._apply(None)
            if self.handle is not None:
                llama_cpp.llama_adapter_lora_free(self.handle)
                self.handle = None
