"""Fakes for unit tests: a scripted chat model and a deterministic embedder.

They implement the same protocols as the real backends, so code under test cannot
tell the difference; unit tests stay fast and exact.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Callable, Iterator, Sequence

from assistant.core.models.base import ChatResult, Message


class ScriptedChat:
    """Replies from a queue (or a function of the messages); records every call."""

    def __init__(
        self,
        replies: Sequence[str] = (),
        *,
        respond: Callable[[Sequence[Message]], str] | None = None,
        name: str = "scripted",
    ) -> None:
        self.replies = list(replies)
        self.respond = respond
        self.name = name
        self.calls: list[list[Message]] = []
        self.temperatures: list[float] = []  # the sampling temperature of every chat call

    def _next(self, messages: Sequence[Message]) -> str:
        self.calls.append(list(messages))
        if self.respond is not None:
            return self.respond(messages)
        if not self.replies:
            raise AssertionError("ScriptedChat ran out of replies")
        return self.replies.pop(0)

    def chat(
        self, messages, *, max_tokens=256, temperature=0.0, stop=(), json_schema=None
    ) -> ChatResult:
        self.temperatures.append(temperature)
        text = self._next(messages)
        prompt_tokens = sum(len(m["content"].split()) for m in messages)
        return ChatResult(text, prompt_tokens, len(text.split()), 0.01, self.name)

    def stream(self, messages, *, max_tokens=256, temperature=0.0, stop=()) -> Iterator[str]:
        yield from re.findall(r"\S+\s*", self._next(messages))


class HashEmbedder:
    """Bag-of-words vectors from hashed tokens: same text, same vector; shared words, closer."""

    def __init__(self, dim: int = 256) -> None:
        self.name = "hash-embedder"
        self.dim = dim
        self.max_tokens = 256
        self.calls = 0
        self.texts_embedded = 0

    def _vector(self, text: str) -> list[float]:
        vec = [0.0] * self.dim
        for token in re.findall(r"\w+", text.lower()):
            digest = hashlib.md5(token.encode()).digest()
            vec[int.from_bytes(digest[:4], "little") % self.dim] += 1.0
        norm = math.sqrt(sum(x * x for x in vec)) or 1.0
        return [x / norm for x in vec]

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        self.calls += 1
        self.texts_embedded += len(texts)
        return [self._vector(t) for t in texts]

    def count_tokens(self, text: str) -> int:
        return len(re.findall(r"\w+|[^\w\s]", text))
