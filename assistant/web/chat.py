"""The Advisor tab: each chat message through the interview, with streamed side answers.

The interview step runs in a worker thread; side questions reach the model, whose tokens
arrive through a queue and are shown as they come, so the UI thread never blocks.
"""

from __future__ import annotations

import json
import queue
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.advice.profile import Profile
from assistant.core.errors import ProfileError, describe_error
from assistant.interview.conversation import (
    Turn,
    current_recommendation,
    handle_reply,
    next_question,
    start_interview,
)
from assistant.interview.messages import describe_recommendation
from assistant.web.safe import inert
from assistant.web.services import Services
from assistant.web.session import SessionState, bind_session
from assistant.web.uploads import file_path, ingest_files

THINKING = "…"
ECHO_CHARS = 200  # how much of a refused, oversized message is shown back


@dataclass
class ChatStep:
    """The reply to one chat message: text blocks and the next quick-reply choices."""

    messages: list[str]
    choices: list[str]


def _apply_turn(state: SessionState, turn: Turn) -> ChatStep:
    state.interview = turn.state
    state.choices = list(turn.question.choices) if turn.question else []
    return ChatStep(list(turn.messages), state.choices)


def chat_step(state: SessionState, text: str, ask: Callable[[str], Any] | None) -> ChatStep:
    """Start the interview on first contact, then route every message through it."""
    if not state.started:
        state.started = True
        greeting = _apply_turn(state, start_interview(state.interview))
        if not text.strip() or text.strip().lower() in ("hi", "hello", "hey", "start"):
            return greeting
        reply = _apply_turn(state, handle_reply(state.interview, text, ask))
        return ChatStep(greeting.messages[:1] + reply.messages, reply.choices)
    return _apply_turn(state, handle_reply(state.interview, text, ask))


def edit_profile(state: SessionState, text: str) -> str:
    """Replace the profile with edited JSON; returns a message (error names the field)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        return f"That is not valid JSON: {err.msg} (line {err.lineno})."
    except (ValueError, RecursionError):  # a 5,000-digit number, or [[[[... nested too deep
        return "That is not a profile: numbers that long or nesting that deep cannot be read."
    try:
        profile = Profile.from_dict(data)
    except ProfileError as err:
        return f"Not saved: {inert(err)}"  # the message quotes the value as typed
    state.interview.profile = profile
    for name in data:
        if name not in state.interview.answered:
            state.interview.answered.append(name)
    return "Profile saved; the recommendation below is updated."


def recommendation_markdown(state: SessionState) -> str:
    """The side panel: current recommendation, reasons with citations, prerequisites."""
    if not state.started and not state.interview.evidence:
        return "_Answer a few questions in the chat and the recommendation appears here._"
    return describe_recommendation(current_recommendation(state.interview), "Current advice")


def post_to_chat(history: list | None, message: str) -> list:
    """The chat history with one assistant message added (unchanged for no message)."""
    history = list(history or [])
    return [*history, {"role": "assistant", "content": message}] if message else history


def profile_json(state: SessionState) -> str:
    return json.dumps(state.profile.to_dict(), indent=2)


def chat_turn(
    services: Services, session: SessionState, message: dict | None, history: list,
    session_hash: str,
) -> Iterator[tuple[list, SessionState, list[str]]]:  # fmt: skip
    """Show the user's message at once, then the reply; model answers stream as generated.

    A message longer than `max_message_kb` is not read: the visitor sees its start, one
    line saying the limit and what to do, and the question still open (files sent with
    it are still added).
    """
    bind_session(session, session_hash)
    message = message or {}
    text = str(message.get("text") or "").strip()
    files = [file_path(f) for f in message.get("files") or []]
    refusal = too_long(text, services.settings.max_message_kb)
    if refusal:  # show its start only: echoing 1 MB back helps nobody
        shown, text = inert(text[:ECHO_CHARS]) + f"… ({len(text):,} characters)", ""
    else:
        shown = inert(text or ", ".join(Path(f).name for f in files) or "(empty message)")
    history = [*history, {"role": "user", "content": shown}]
    yield [*history, {"role": "assistant", "content": THINKING}], session, session.choices
    replies: list[str] = [refusal] if refusal else []
    question = next_question(session.interview) if refusal and session.started else None
    if question:  # the interview is where it was: say so, with its choices still offered
        replies.append(f"Back to my question: {question.text}")
    if files:
        replies += ingest_files(services, session, files)
    if text or not session.started:
        for partial in _streamed_step(services, session, text, replies):
            yield [*history, {"role": "assistant", "content": partial}], session, []
    reply = "\n\n".join(replies) or "Your files are in; ask me anything or run a trial."
    yield [*history, {"role": "assistant", "content": reply}], session, session.choices


def too_long(text: str, max_kb: float) -> str:
    """Empty for a message we read, else the line saying why not and what to do instead.

    >>> too_long("hi", 8.0)
    ''
    >>> too_long("x" * 9000, 8.0)[:53]
    'That message is 8.8 KB, longer than the 8.0 KB I read'
    """
    size = len(text.encode("utf-8", "surrogatepass"))
    if size <= max_kb * 1024:
        return ""
    return (
        f"That message is {size / 1024:,.1f} KB, longer than the {max_kb:.1f} KB I read, so "
        "I couldn't read it. Send a shorter message or question, or add long text as a "
        "document (drop the file here or use the Trials tab)."
    )


def _streamed_step(
    services: Services, session: SessionState, text: str, replies: list[str]
) -> Iterator[str]:
    """Run the interview step in a worker; yield the model's text while it is generated.

    Only side questions reach the model; their tokens arrive through `on_text` and are
    shown as they come. The step's final messages are appended to `replies`. Both pass
    through `inert`: a model answer (or the document text it quotes) may hold markup or
    an image that would make the browser fetch a URL.
    """
    updates: queue.Queue[str] = queue.Queue()

    def ask(question: str) -> Any:
        return services.ask(question, on_text=updates.put)

    def work() -> None:
        try:
            replies.extend(inert(m) for m in chat_step(session, text, ask).messages)
        except Exception as err:  # the chat must answer even when a step fails
            problem = inert(describe_error(err))
            replies.append(f"Sorry, something went wrong answering that: {problem}")

    worker = threading.Thread(target=work, daemon=True)
    worker.start()
    while worker.is_alive() or not updates.empty():
        try:
            yield inert(updates.get(timeout=0.1))
        except queue.Empty:
            continue
    worker.join()
