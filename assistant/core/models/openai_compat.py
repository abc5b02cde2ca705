"""OpenAI-compatible backend (vLLM, llama.cpp server, TGI, hosted APIs) over plain HTTP.

Teams whose models live on a serving cluster point `openai_base_url` at it. We
speak the two endpoints we need with httpx instead of a vendor SDK: fewer moving
parts, and errors we can turn into one clear line.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator, Sequence
from typing import Any

import httpx

from assistant.core.models.base import ChatResult, Message, ModelError


class Rejected(ModelError):
    """The server refused the request as malformed (HTTP 400/422); `body` says why."""

    def __init__(self, message: str, body: str) -> None:
        super().__init__(message)
        self.body = body


class _Client:
    """Shared HTTP plumbing: base URL, auth header, and errors that name the setting."""

    def __init__(self, base_url: str, api_key: str = "", timeout: float = 60.0) -> None:
        self.base_url = base_url.rstrip("/")
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self.http = httpx.Client(base_url=self.base_url, headers=headers, timeout=timeout)

    def _fail(self, err: Exception) -> ModelError:
        if isinstance(err, httpx.HTTPStatusError):
            status, body = err.response.status_code, err.response.text[:200]
            message = (
                f"openai_base_url: {self.base_url} answered HTTP {status}: "
                f"{body} (check the model name and API key settings)"
            )
            return Rejected(message, body) if status in (400, 422) else ModelError(message)
        return ModelError(
            f"openai_base_url: cannot reach {self.base_url} ({type(err).__name__}); "
            "check the server is running or fix ADVISOR_OPENAI_BASE_URL"
        )

    def post(self, path: str, payload: dict[str, Any]) -> dict[str, Any]:
        try:
            response = self.http.post(path, json=payload)
            response.raise_for_status()
            return response.json()
        except (httpx.HTTPError, json.JSONDecodeError) as err:
            raise self._fail(err) from None

    def stream_lines(self, path: str, payload: dict[str, Any]) -> Iterator[str]:
        try:
            with self.http.stream("POST", path, json=payload) as response:
                if response.is_error:
                    response.read()  # so the error message can quote the body
                response.raise_for_status()
                yield from response.iter_lines()
        except httpx.HTTPError as err:
            raise self._fail(err) from None


class OpenAIChat:
    """Chat completions from an OpenAI-compatible server.

    `repeat_penalty` is sent because llama-cpp-python's server defaults it to 1.1 while
    in-process llama.cpp uses 1.0: the same GGUF then gave different greedy answers
    (0 of 10 identical; RAG `contains` 0.20 vs 0.30). Servers that refuse the field
    (the hosted OpenAI API) get the request again without it, once and for good.
    """

    def __init__(
        self,
        model: str,
        base_url: str,
        api_key: str = "",
        timeout: float = 60.0,
        *,
        repeat_penalty: float | None = 1.0,
    ):
        self.name = model
        self.client = _Client(base_url, api_key, timeout)
        self.extra: dict[str, Any] = {}
        if repeat_penalty is not None:
            self.extra["repeat_penalty"] = repeat_penalty

    def _payload(self, messages, max_tokens, temperature, stop, stream=False) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "model": self.name,
            "messages": list(messages),
            "max_tokens": max_tokens,
            "temperature": temperature,
            "stream": stream,
        }
        if stop:
            payload["stop"] = list(stop)
        return payload

    def _refused_extra(self, err: Rejected) -> bool:
        """True (and the extras dropped) when the server's complaint names one of them."""
        if not any(name in err.body for name in self.extra):
            return False
        self.extra = {}
        return True

    def _post(self, payload: dict[str, Any]) -> dict[str, Any]:
        try:
            return self.client.post("/chat/completions", {**payload, **self.extra})
        except Rejected as err:
            if not self._refused_extra(err):
                raise
        return self.client.post("/chat/completions", payload)

    def chat(
        self,
        messages: Sequence[Message],
        *,
        max_tokens: int = 256,
        temperature: float = 0.0,
        stop: Sequence[str] = (),
        json_schema: dict | None = None,
    ) -> ChatResult:
        start = time.perf_counter()
        payload = self._payload(messages, max_tokens, temperature, stop)
        if json_schema is not None:
            payload["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": "reply", "schema": json_schema},
            }
        out = self._post(payload)
        seconds = time.perf_counter() - start
        try:
            text = out["choices"][0]["message"].get("content") or ""
        except (KeyError, IndexError, TypeError):
            raise ModelError(f"openai_base_url: unexpected reply shape: {str(out)[:200]}") from None
        usage = out.get("usage") or {}
        return ChatResult(
            text=text.strip(),
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
        payload = self._payload(messages, max_tokens, temperature, stop, stream=True)
        try:
            yield from self._deltas({**payload, **self.extra})
        except Rejected as err:
            if not self._refused_extra(err):
                raise
            yield from self._deltas(payload)

    def _deltas(self, payload: dict[str, Any]) -> Iterator[str]:
        """The text pieces of one streamed reply (a refusal raises before the first)."""
        for line in self.client.stream_lines("/chat/completions", payload):
            if not line.startswith("data:"):
                continue
            data = line[5:].strip()
            if data == "[DONE]":
                return
            try:
                delta = json.loads(data)["choices"][0].get("delta", {}).get("content")
            except (json.JSONDecodeError, KeyError, IndexError):
                continue
            if delta:
                yield delta


class OpenAIEmbedder:
    """Embeddings from an OpenAI-compatible server; vectors are re-normalised locally."""

    max_tokens = 8192

    def __init__(self, model: str, base_url: str, api_key: str = "", timeout: float = 60.0):
        self.name = model
        self.client = _Client(base_url, api_key, timeout)
        self.dim = len(self.embed(["dimension probe"])[0])

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        if not texts:
            return []
        out = self.client.post("/embeddings", {"model": self.name, "input": list(texts)})
        rows = sorted(out.get("data", []), key=lambda row: row.get("index", 0))
        vectors = [row["embedding"] for row in rows]
        if len(vectors) != len(texts):
            raise ModelError("openai_base_url: the server returned the wrong number of embeddings")
        return [_unit(v) for v in vectors]

    def count_tokens(self, text: str) -> int:
        """Servers do not expose their tokenizer; ~4 characters per token is the usual rule."""
        return max(1, len(text) // 4)


def _unit(vector: list[float]) -> list[float]:
    norm = sum(x * x for x in vector) ** 0.5 or 1.0
    return [x / norm for x in vector]
