"""Temporary files a visitor is shown (chart images, report downloads), and their removal.

Gradio copies every file a callback returns into its own cache before the browser sees
it, so our copy is needed only until the callback has returned. Chart images used to
stay in one `/tmp/advisor-charts-*` folder per trial view, and reports under
`data/reports/` until a later report of the same session, for as long as the machine
ran. Now each visitor has one scratch folder, `<tmp>/advisor-session-<session id>/`,
holding at most one folder per kind of file: the next chart view replaces the last,
and the whole folder goes, with the visitor's report folders, when the tab closes
(Gradio's unload event) or when Gradio drops the session's state (an API client never
sends the close event).
"""

from __future__ import annotations

import secrets
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

PREFIX = "advisor-session-"


def scratch_root(session_id: str) -> Path:
    if not session_id or not session_id.isalnum():  # ids are hex; never a path
        raise ValueError(f"not a session id: {session_id!r}")
    return Path(tempfile.gettempdir()) / f"{PREFIX}{session_id}"


def fresh_folder(session_id: str, kind: str) -> Path:
    """An empty folder for this visitor's files of one kind; the last one of that kind goes."""
    root = scratch_root(session_id)
    if root.is_dir():
        for old in root.glob(f"{kind}-*"):
            shutil.rmtree(old, ignore_errors=True)
    folder = root / f"{kind}-{secrets.token_hex(8)}"
    folder.mkdir(parents=True)
    return folder


def adopt(session_id: str, kind: str, paths: Sequence[str | None]) -> list[str | None]:
    """Move files made elsewhere (a `mkdtemp` folder each) into the visitor's scratch folder.

    The folders they came from are removed once empty; None entries stay None.
    """
    if not any(paths):
        return list(paths)
    folder = fresh_folder(session_id, kind)
    out: list[str | None] = []
    for i, path in enumerate(paths):
        if not path or not Path(path).is_file():
            out.append(path or None)
            continue
        source = Path(path)
        target = folder / f"{i}-{source.name}"
        shutil.move(source, target)
        _remove_if_empty(source.parent)
        out.append(str(target))
    return out


def _remove_if_empty(folder: Path) -> None:
    if folder.name.startswith("advisor-") and not any(folder.iterdir()):
        folder.rmdir()


def remove_visitor_files(data_path: Path, session_id: str, workspace: str) -> None:
    """Everything temporary a closed session leaves: its scratch folder and, for a
    per-session workspace, its report folders (a login's reports outlive one tab)."""
    if session_id:
        shutil.rmtree(scratch_root(session_id), ignore_errors=True)
    if workspace.startswith("session-"):
        shutil.rmtree(data_path / "reports" / workspace, ignore_errors=True)
