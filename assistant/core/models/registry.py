"""Factories that turn Settings into a ChatModel or Embedder, loaded lazily and shared.

Models are heavy and read-only, so one instance per configuration serves every
user; each backend guards its own generation with a lock. Registries are plain
dicts: adding a backend is one entry.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from assistant.core.models import packaged
from assistant.core.models.base import ChatModel, Embedder, ModelError
from assistant.core.settings import Settings


def chat_model_path(settings: Settings) -> Path:
    """The local file or folder behind the chat model setting (packaged SmolLM2 if empty)."""
    if settings.chat_model:
        return Path(settings.chat_model).expanduser()
    return packaged.locate(packaged.DEFAULT_CHAT)


def embed_model_path(settings: Settings) -> Path:
    if settings.embed_model:
        return Path(settings.embed_model).expanduser()
    return packaged.locate(packaged.DEFAULT_EMBED)


def _llamacpp(settings: Settings) -> ChatModel:
    from assistant.core.models.llamacpp import LlamaCppChat

    return LlamaCppChat(
        chat_model_path(settings),
        context_size=settings.context_size,
        threads=settings.threads,
        gpu_layers=settings.gpu_layers,
        seed=settings.seed,
    )


def _transformers(settings: Settings) -> ChatModel:
    from assistant.core.models.hf import TransformersChat

    cache = settings.data_path / "models"
    return TransformersChat.load(chat_model_path(settings), cache, settings.device, settings.seed)


def _openai_chat(settings: Settings) -> ChatModel:
    from assistant.core.models.openai_compat import OpenAIChat

    return OpenAIChat(
        settings.chat_model,
        settings.openai_base_url,
        settings.openai_api_key,
        settings.openai_timeout,
        repeat_penalty=settings.openai_repeat_penalty or None,
    )


def _st_embedder(settings: Settings) -> Embedder:
    from assistant.core.models.st_embed import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder(
        embed_model_path(settings), settings.device, settings.embed_batch_size
    )


def _openai_embedder(settings: Settings) -> Embedder:
    from assistant.core.models.openai_compat import OpenAIEmbedder

    return OpenAIEmbedder(
        settings.embed_model or "text-embedding",
        settings.openai_base_url,
        settings.openai_api_key,
        settings.openai_timeout,
    )


CHAT_FACTORIES: dict[str, Callable[[Settings], ChatModel]] = {
    "llamacpp": _llamacpp,
    "transformers": _transformers,
    "openai": _openai_chat,
}
EMBED_FACTORIES: dict[str, Callable[[Settings], Embedder]] = {
    "sentence-transformers": _st_embedder,
    "openai": _openai_embedder,
}

_CHAT_KEYS = (
    "chat_backend",
    "chat_model",
    "context_size",
    "threads",
    "gpu_layers",
    "device",
    "seed",
    "openai_base_url",
    "openai_api_key",
    "openai_repeat_penalty",
    "data_dir",
)
_EMBED_KEYS = (
    "embed_backend",
    "embed_model",
    "device",
    "embed_batch_size",
    "openai_base_url",
    "openai_api_key",
)
_cache: dict[tuple, object] = {}
_lock = threading.Lock()


def _cached(kind: str, keys: tuple[str, ...], settings: Settings, build: Callable) -> object:
    key: tuple = (kind, *(getattr(settings, k) for k in keys))
    with _lock:
        if key not in _cache:
            _cache[key] = build(settings)
        return _cache[key]


# Backends whose in-process model serialises calls behind a lock and is small enough to
# load twice: a trial gets its own copy, so a chat reply never waits for a whole trial.
SEPARATE_TRIAL_COPY = ("llamacpp",)


def load_chat_model(settings: Settings, purpose: str = "chat") -> ChatModel:
    """The chat model for these settings, loaded on first use and then shared.

    `purpose="trial"` gives trials their own llama.cpp instance (one small GGUF file
    mapped twice): with one shared instance, every visitor's chat waited behind the
    trial's generations (first text p95 10-14 s in bench/load.py). Other backends share.
    """
    factory = CHAT_FACTORIES.get(settings.chat_backend)
    if factory is None:
        raise ModelError(
            f"unknown chat_backend {settings.chat_backend!r}; "
            f"available: {', '.join(CHAT_FACTORIES)}"
        )
    separate = purpose != "chat" and settings.chat_backend in SEPARATE_TRIAL_COPY
    kind = f"chat:{purpose}" if separate else "chat"
    return _cached(kind, _CHAT_KEYS, settings, factory)  # type: ignore[return-value]


def load_embedder(settings: Settings) -> Embedder:
    """The embedder for these settings, loaded on first use and then shared."""
    factory = EMBED_FACTORIES.get(settings.embed_backend)
    if factory is None:
        raise ModelError(
            f"unknown embed_backend {settings.embed_backend!r}; "
            f"available: {', '.join(EMBED_FACTORIES)}"
        )
    return _cached("embed", _EMBED_KEYS, settings, factory)  # type: ignore[return-value]
