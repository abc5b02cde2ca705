"""Free chat with the configured model: prompt assembly and streaming, UI-agnostic."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from assistant.models.base import ChatModel, Message

SYSTEM_PROMPT = (
    "You are Adaptation Advisor. You help teams decide whether to improve an LLM with "
    "prompting, retrieval (RAG) or fine-tuning. Answer briefly and plainly."
)
MAX_TURNS = 6  # small local models have small context windows: keep the recent turns only


def build_messages(history: Sequence[Message], message: str) -> list[Message]:
    """System prompt + the last MAX_TURNS exchanges + the new user message."""
    recent = [
        {"role": m["role"], "content": str(m["content"])}
        for m in history
        if m.get("role") in ("user", "assistant") and isinstance(m.get("content"), str)
    ][-2 * MAX_TURNS :]
    return [
        {"role": "system", "content": SYSTEM_PROMPT},
        *recent,
        {"role": "user", "content": message},
    ]


def stream_reply(
    model: ChatModel, history: Sequence[Message], message: str, max_tokens: int = 256
) -> Iterator[str]:
    """Yield the growing reply text, as a chat UI wants to display it."""
    text = ""
    for delta in model.stream(build_messages(history, message), max_tokens=max_tokens):
        text += delta
        yield text
    if not text.strip():
        yield "(The model returned an empty answer. Try rephrasing the question.)"
