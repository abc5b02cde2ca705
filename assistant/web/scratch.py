"""Temporary files a visitor is shown (chart images, report downloads), and their removal.

Gradio copies every file a callback returns into its own cache before the browser sees
it, so our copy is needed only until the callback has returned. Chart images used to
stay in one `/tmp/advisor-charts-*` folder per trial view, and reports under
`data/reports/` until a later report of the same session, for as long as the machine
ran. Now each visitor has one scratch folder, `<tmp>/advisor-scratch-<pid>/session-<id>/`,
holding at most one folder per kind of file: the next chart view replaces the last,
and the whole folder goes, with the visitor's report folders, when the tab closes
(Gradio's unload event) or when Gradio drops the session's state (an API client never
sends the close event). Neither happens when the server stops, so the server's own
`advisor-scratch-<pid>` folder goes when it exits (`remove_own`), and one left by a
server that was killed goes when the next one starts (`sweep_dead`).
"""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from assistant.core.processes import pid_alive

PREFIX = "advisor-scratch-"
OLD_PREFIX = "advisor-session-"  # versions before per-process folders: no owner recorded
OLD_AFTER_S = 2 * 3600.0  # Gradio keeps a closed session's files this long, so do we


def process_root(pid: int | None = None) -> Path:
    """This server's scratch folder: every visitor's scratch folder lives inside it."""
    return Path(tempfile.gettempdir()) / f"{PREFIX}{pid or os.getpid()}"


def scratch_root(session_id: str) -> Path:
    if not session_id or not session_id.isalnum():  # ids are hex; never a path
        raise ValueError(f"not a session id: {session_id!r}")
    return process_root() / f"session-{session_id}"


def keep_gradio_cache_inside() -> Path:
    """Gradio's cache (every upload, chart and report it serves) goes inside this server's
    scratch folder, unless GRADIO_TEMP_DIR is set. Why: Gradio's own clean-up runs only
    while a server runs, so a stopped server left visitors' uploaded documents in the
    shared `<tmp>/gradio` for good; inside our folder they go with it at exit, or at the
    next start after a kill."""
    cache = process_root() / "gradio"
    os.environ.setdefault("GRADIO_TEMP_DIR", str(cache))
    return Path(os.environ["GRADIO_TEMP_DIR"])


def remove_own() -> None:
    """At exit: the server's visitors' files, which no close event will remove now."""
    shutil.rmtree(process_root(), ignore_errors=True)


def sweep_dead(now: float | None = None) -> list[Path]:
    """At start: scratch folders of servers that died without `remove_own` (kill -9, a
    crash), and old-style ones untouched for `OLD_AFTER_S`. Returns what was removed."""
    tmp, removed = Path(tempfile.gettempdir()), []
    for folder in tmp.glob(f"{PREFIX}*"):
        pid = folder.name.removeprefix(PREFIX)
        if pid.isdigit() and not pid_alive(int(pid)):
            removed.append(folder)
    cutoff = (now or time.time()) - OLD_AFTER_S
    for folder in tmp.glob(f"{OLD_PREFIX}*"):
        if _newest_change(folder) < cutoff:
            removed.append(folder)
    for folder in removed:
        shutil.rmtree(folder, ignore_errors=True)
    return removed


def _newest_change(folder: Path) -> float:
    try:
        return max([folder.stat().st_mtime] + [p.stat().st_mtime for p in folder.rglob("*")])
    except OSError:
        return 0.0


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
