"""One browser session's state: plain data kept per visitor in `gr.State`.

Nothing here is shared between visitors: uploads, workspace, interview and runs are all
keyed by the visitor's own id, which is what keeps one visitor's documents out of
another's. That id is drawn by the server (`secrets.token_hex`) the first time a visitor
does anything, and lives only in their `gr.State`. It used to be Gradio's session hash,
which the *client* picks: reduced to safe characters, `victimAAAA000001` and
`victimAAAA000001!x` named one workspace, and every hash without letters or digits
landed in one shared `session-local`, whose History listed everyone's runs.

With a login, a visitor is the user name: their runs and uploads are theirs in every tab
(`user-` and a hash of the name, so two names never fold into one folder).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.advice.profile import Profile
from assistant.core.settings import Settings
from assistant.interview.state import InterviewState

ID_BYTES = 16  # 128 random bits: not guessable, and 32 hex characters are safe in any path


@dataclass
class SessionState:
    """Everything one visitor has: interview, uploads, runs. Plain data (deep-copyable)."""

    session_id: str = ""  # random, drawn by `bind_session`; never the client's session hash
    user: str = ""  # the login name, when the app asks for one
    interview: InterviewState = field(default_factory=InterviewState)
    started: bool = False
    choices: list[str] = field(default_factory=list)
    uploads: list[str] = field(default_factory=list)  # stored file paths in the workspace
    qa_file: str = ""  # the Q/A file uploaded last
    qa_files: list[str] = field(default_factory=list)  # every upload that held Q/A pairs
    eval_set: str = ""  # what the next knowledge run is scored on: "file", "pairs" or ""
    trial_defaults: dict[str, list[str]] = field(default_factory=dict)  # last pre-selected
    examples_file: str = ""  # the behaviour trial's input→output examples, once previewed
    run_ids: list[str] = field(default_factory=list)
    generated_pairs: list[dict[str, Any]] = field(default_factory=list)

    @property
    def bound(self) -> bool:
        """Whether this visitor has an identity yet (no identity owns nothing)."""
        return bool(self.session_id or self.user)

    @property
    def workspace(self) -> str:
        """The name of this visitor's index, upload folder and runs (the run's `workspace`)."""
        if self.user:
            return f"user-{user_key(self.user)}"
        return f"session-{self.session_id or 'unbound'}"

    @property
    def profile(self) -> Profile:
        return self.interview.profile

    @property
    def documents(self) -> list[str]:
        """Uploads that are documents: every Q/A file left out, not just the latest."""
        qa = {*self.qa_files, self.qa_file}
        return [p for p in self.uploads if p not in qa]

    @property
    def last_run(self) -> str:
        return self.run_ids[-1] if self.run_ids else ""


def new_session_id() -> str:
    """A fresh visitor id: 32 hex characters from the OS's random source."""
    return secrets.token_hex(ID_BYTES)


def user_key(username: str) -> str:
    """A folder-safe key for a login name that keeps distinct names distinct.

    >>> user_key("bob") != user_key("bob!") and len(user_key("bob")) == 32
    True
    """
    return hashlib.sha256(username.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def bind_session(
    state: SessionState, session_hash: str | None = None, user: str | None = None
) -> SessionState:
    """Give the state its own random id on first use, and the login name when there is one.

    `session_hash` is accepted from older callers and deliberately ignored: the client
    chooses it, so nothing may be keyed by it.
    """
    del session_hash
    if not state.session_id:
        state.session_id = new_session_id()
    if user and not state.user:
        state.user = user
    return state


def upload_dir(settings: Settings, state: SessionState) -> Path:
    return settings.data_path / "uploads" / state.workspace


def owns(state: SessionState, run: dict[str, Any]) -> bool:
    """Whether a run (a store row, or `get_run`'s {"run": row}) was made by this visitor."""
    row = run.get("run", run)
    return state.bound and row.get("workspace") == state.workspace
