"""Commands that only read (`runs`, `report`, `recommend`, `ask`) on a read-only data folder.

A data folder on a read-only mount, or one the user may not write, still holds every run
worth reading. DuckDB writes even when asked only to read (migrations, sweeping dead
runs), and embedded Chroma writes its SQLite file on open, so opening either in place
fails. Instead, when the folder cannot be written (the same real-write probe `serve`
and `trial` use, `assistant.core.datadir`):

- the database is copied to a temporary folder and opened there: every read is the
  same as on the original, and anything written (a dead run swept, a recommendation
  logged) lands in the copy and is dropped, with one note on stderr;
- the guidance index is built in a temporary folder (the notes ship with the app, so
  nothing of the user's is lost; about 5 s on 2 cores).

Commands that write (`trial`, `ingest`, `serve`) still refuse in one line.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from assistant.core.datadir import data_dir_problems, unwritable_reason
from assistant.core.settings import Settings


def read_only(settings: Settings) -> bool:
    """Whether the data folder (or the database's folder) cannot be written."""
    return bool(data_dir_problems(settings))


def note(message: str) -> None:
    """One line on stderr: stdout stays the command's output (one JSON object with --json)."""
    print(f"note: {message}", file=sys.stderr, flush=True)


@contextmanager
def open_store(settings: Settings) -> Iterator[Any]:
    """The run database: in place when it can be written, else a temporary copy of it.

    Yields a `Store`; closed (and the copy removed) on leaving.
    """
    from eval.store import Store

    if not read_only(settings):
        with Store(settings.db_file) as store:
            yield store
        return
    with tempfile.TemporaryDirectory(prefix="advisor-readonly-") as tmp:
        copy = Path(tmp) / settings.db_file.name
        for suffix in ("", ".wal"):  # a .wal holds changes not yet in the file itself
            source = Path(f"{settings.db_file}{suffix}")
            if source.is_file():
                shutil.copyfile(source, f"{copy}{suffix}")
        if not copy.is_file():
            reason = unwritable_reason(settings.db_file.parent)
            note(f"no database at {settings.db_file} and its folder cannot be written ({reason})")
        with Store(copy) as store:
            yield store


def guidance_settings(settings: Settings) -> tuple[Settings, str]:
    """Settings to open the guidance index with, and a temporary folder to remove ("" if
    none): the data folder itself when it can be written or Chroma is a server."""
    if settings.chroma_host or not read_only(settings):
        return settings, ""
    tmp = tempfile.mkdtemp(prefix="advisor-guidance-")
    note(f"the data folder {settings.data_path} is read-only: the guidance index is built "
         "in a temporary folder for this command")  # fmt: skip
    return settings.with_(data_dir=tmp, db_path=str(settings.db_file)), tmp
