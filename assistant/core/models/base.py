"""The one narrow model interface: chat (with streaming) and embeddings.

Every backend (llama.cpp, transformers, OpenAI-compatible) implements these two
protocols and nothing else, so trials, retrieval and the interview never know
which backend answered.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from assistant.core.errors import ModelError  # noqa: F401 (re-exported)

Message = dict[str, str]  # {"role": "system" | "user" | "assistant", "content": "..."}


@dataclass(frozen=True)
class ChatResult:
    """One completed chat answer with the numbers trials need."""

    text: str
    prompt_tokens: int
    completion_tokens: int
    seconds: float
    model: str = ""

    @property
    def tokens_per_second(self) -> float:
        return self.completion_tokens / self.seconds if self.seconds > 0 else 0.0


@runtime_checkable
class ChatModel(Protocol):
    """A chat model. `name` identifies it in stored results."""

    name: str

    def chat(
        self,
        messages: Sequence[Message],
        *,
        max_tokens: int = 256,
        temperature: float = 0.0,
        stop: Sequence[str] = (),
        json_schema: dict | None = None,
    ) -> ChatResult:
        """One answer. With `json_schema`, backends that can constrain decoding (llama.cpp
        grammars, OpenAI-style servers) return JSON of that shape; others just try."""
        ...

    def stream(
        self,
        messages: Sequence[Message],
        *,
        max_tokens: int = 256,
        temperature: float = 0.0,
        stop: Sequence[str] = (),
    ) -> Iterator[str]: ...


@runtime_checkable
class Embedder(Protocol):
    """A text embedder returning unit-length vectors (cosine = dot product)."""

    name: str
    dim: int
    max_tokens: int

    def embed(self, texts: Sequence[str]) -> list[list[float]]: ...

    def count_tokens(self, text: str) -> int: ...
