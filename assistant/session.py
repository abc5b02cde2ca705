"""One browser session's state and the pure steps the web UI performs on it.

The Gradio layer keeps a `SessionState` per visitor in `gr.State` and calls these
functions; nothing here imports Gradio, so every step is testable without a server.
Heavy shared objects (models, indexes, the store) come in through `Services`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.interview import InterviewState, Turn, handle_reply, start_interview
from assistant.interview_fields import Question
from assistant.profile import Profile, ProfileError
from assistant.settings import Settings

_SAFE_ID = re.compile(r"[^a-zA-Z0-9]")


@dataclass
class SessionState:
    """Everything one visitor has: interview, uploads, runs. Plain data (deep-copyable)."""

    session_id: str = ""
    interview: InterviewState = field(default_factory=InterviewState)
    started: bool = False
    choices: list[str] = field(default_factory=list)
    uploads: list[str] = field(default_factory=list)  # stored file paths in the workspace
    qa_file: str = ""
    run_ids: list[str] = field(default_factory=list)
    generated_pairs: list[dict[str, Any]] = field(default_factory=list)

    @property
    def workspace(self) -> str:
        return f"session-{self.session_id or 'anon'}"

    @property
    def profile(self) -> Profile:
        return self.interview.profile

    @property
    def last_run(self) -> str:
        return self.run_ids[-1] if self.run_ids else ""


def session_key(session_hash: str | None) -> str:
    """Gradio's per-tab session hash, reduced to characters safe in names and paths."""
    return _SAFE_ID.sub("", session_hash or "")[:16] or "local"


def bind_session(state: SessionState, session_hash: str) -> SessionState:
    """Give the state its id on first use."""
    if not state.session_id:
        state.session_id = session_key(session_hash)
    return state


def upload_dir(settings: Settings, state: SessionState) -> Path:
    return settings.data_path / "uploads" / state.workspace


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


def current_question(state: SessionState) -> Question | None:
    from assistant.interview import next_question

    return next_question(state.interview) if state.started else None


def edit_profile(state: SessionState, text: str) -> str:
    """Replace the profile with edited JSON; returns a message (error names the field)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        return f"That is not valid JSON: {err.msg} (line {err.lineno})."
    try:
        profile = Profile.from_dict(data)
    except ProfileError as err:
        return f"Not saved: {err}"
    state.interview.profile = profile
    for name in data:
        if name not in state.interview.answered:
            state.interview.answered.append(name)
    return "Profile saved; the recommendation below is updated."


def recommendation_markdown(state: SessionState) -> str:
    """The side panel: current recommendation, reasons with citations, prerequisites."""
    from assistant.interview import current_recommendation
    from assistant.interview_fields import describe_recommendation

    if not state.started:
        return "_Answer a few questions in the chat and the recommendation appears here._"
    return describe_recommendation(current_recommendation(state.interview), "Current advice")


def profile_json(state: SessionState) -> str:
    return json.dumps(state.profile.to_dict(), indent=2)
