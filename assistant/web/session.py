"""One browser session's state: plain data kept per visitor in `gr.State`.

Nothing here is shared between visitors: uploads, workspace, interview and runs are all
keyed by the session, which is what keeps one visitor's documents out of another's.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.advice.profile import Profile
from assistant.core.settings import Settings
from assistant.interview.state import InterviewState

_SAFE_ID = re.compile(r"[a-z0-9]{1,16}")


@dataclass
class SessionState:
    """Everything one visitor has: interview, uploads, runs. Plain data (deep-copyable)."""

    session_id: str = ""
    interview: InterviewState = field(default_factory=InterviewState)
    started: bool = False
    choices: list[str] = field(default_factory=list)
    uploads: list[str] = field(default_factory=list)  # stored file paths in the workspace
    qa_file: str = ""
    examples_file: str = ""  # the behaviour trial's input→output examples, once previewed
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
    """Gradio's per-tab session hash as a workspace-safe id (a-z, 0-9, at most 16).

    A hash that already is one is kept; any other (capitals, dashes, too long) becomes a
    digest of it, so two different hashes never squeeze into one visitor's workspace.
    """
    raw = session_hash or ""
    if _SAFE_ID.fullmatch(raw):
        return raw
    return (
        hashlib.sha256(raw.encode("utf-8", "surrogateescape")).hexdigest()[:16] if raw else "local"
    )


def bind_session(state: SessionState, session_hash: str) -> SessionState:
    """Give the state its id on first use."""
    if not state.session_id:
        state.session_id = session_key(session_hash)
    return state


def upload_dir(settings: Settings, state: SessionState) -> Path:
    return settings.data_path / "uploads" / state.workspace
