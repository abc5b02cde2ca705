"""The trained adapter answered by the run's own engine, so every arm runs on one engine.

Why: a LoRA answering through transformers (dequantised fp32) while the other arms run on
llama.cpp (Q4) compares two engines, not two approaches: its latency was 7x the others'
and the cost table read that gap as the price of fine-tuning. So the adapter is served
where the zero-shot arm ran:

- llama.cpp (packaged model or a GGUF file): the peft adapter is converted to a GGUF LoRA
  and switched on in the same llama.cpp context as the base (`LlamaCppChat.with_lora`);
- transformers (an HF folder): the trained peft model answers through the same
  `TransformersChat` engine;
- an OpenAI-compatible server: the server answers with an adapter it serves under its own
  model name (`adapter_model`); nothing is trained in the run (see `served_adapter`).

On one engine the zero-shot arm *is* the adapter-off control, so no separate control runs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.core.errors import ConfigError, ModelError
from assistant.core.models.base import ChatModel
from assistant.core.models.registry import chat_model_path
from eval.runners.context import RunContext
from eval.runners.lora.load import Adapter


@dataclass
class Served:
    """An engine answering with the adapter, what to record about it, and how to let go."""

    chat: ChatModel
    record: dict[str, Any]
    close: Callable[[], None] = lambda: None


def _llamacpp(ctx: RunContext, adapter: Adapter) -> Served:
    from eval.runners.lora.convert import convert_adapter

    ctx.progress("converting the adapter for llama.cpp", 0, 1)
    folder = Path(adapter.extra["adapter_path"])
    gguf = convert_adapter(folder, chat_model_path(ctx.settings), folder.with_suffix(".gguf"))
    view = ctx.chat.with_lora(gguf, name=f"{ctx.chat.name}+lora")  # type: ignore[attr-defined]
    record = {"engine": "llama.cpp", "adapter_gguf": str(gguf),
              "adapter_gguf_mb": round(gguf.stat().st_size / 1e6, 2)}  # fmt: skip
    return Served(view, record, view.close)


def _transformers(ctx: RunContext, adapter: Adapter) -> Served:
    return Served(adapter.engine, {"engine": "transformers"})


ENGINES: dict[str, Callable[[RunContext, Adapter], Served]] = {
    "llamacpp": _llamacpp,
    "transformers": _transformers,
}


def serve(ctx: RunContext, adapter: Adapter) -> Served:
    """The run's engine with the trained adapter switched on."""
    backend = ctx.settings.chat_backend
    if backend not in ENGINES:
        raise ModelError(f"no way to serve a trained adapter on the {backend} backend")
    return ENGINES[backend](ctx, adapter)


def served_adapter(ctx: RunContext) -> Served:
    """An adapter the OpenAI-compatible server already serves, under `config.adapter_model`.

    A server cannot take weights trained here mid-run (llama.cpp's server loads adapters
    at start), so the adapter is trained on local weights (`--model PATH`), exported
    (`app.py export RUN`), served, and then measured through the server with the same
    prompts as the other arms.
    """
    from assistant.core.models.openai_compat import OpenAIChat

    name = ctx.config.adapter_model
    if not name:
        raise ConfigError(
            "the LoRA arm on a served model needs the name the server gives the adapter: "
            "train it on the model's local weights first, export it, serve it, then run the "
            "trial again with that name"
        )
    s = ctx.settings
    chat = OpenAIChat(
        name, s.openai_base_url, s.openai_api_key, s.openai_timeout,
        repeat_penalty=s.openai_repeat_penalty or None,
    )  # fmt: skip
    return Served(chat, {"engine": "openai-compatible server", "adapter_model": name})
