"""Can we write where we keep our data? Asked once, at start, so the answer is one line.

Indexes, uploads, adapters, reports and the database all live under ``data_dir``. If it
cannot be written, finding out mid-trial means a half-recorded run and an error from deep
inside a library; checking before anything starts turns it into one sentence naming the
folder and the setting to change.

We try a real write rather than ask ``os.access``: running as root (as in most
containers) the permission bits say "read-only" while writes succeed, and on a read-only
mount they say "writable" while writes fail. Only a write tells the truth.
"""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

from assistant.core.errors import SettingsError
from assistant.core.settings import ENV_PREFIX, Settings


def _probe(folder: Path) -> None:
    """Create ``folder`` if missing, then create and delete a file in it (raises OSError)."""
    folder.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=".write-test-", dir=folder)
    os.close(fd)
    os.unlink(name)


def unwritable_reason(folder: Path) -> str:
    """``""`` when files can be created in ``folder`` (made if missing), else why not."""
    try:
        _probe(folder)
    except OSError as err:
        return _reason(err)
    return ""


def _reason(err: OSError) -> str:
    if isinstance(err, FileExistsError | NotADirectoryError):
        return "it is a file, not a folder"
    if err.errno == errno.EROFS:
        return "the file system is read-only"
    if isinstance(err, PermissionError):
        return "permission denied"
    if err.errno == errno.ENOSPC:
        return "the disk is full"
    return err.strerror or type(err).__name__


def data_dir_problems(settings: Settings) -> list[str]:
    """One line per folder we must write (the data folder, the database's folder)."""
    folders = {settings.data_path: "DATA_DIR"}
    folders.setdefault(settings.db_file.parent, "DB_PATH")
    out = []
    for folder, setting in folders.items():
        reason = unwritable_reason(folder)
        if reason:
            out.append(
                f"cannot write to the data folder {folder} ({reason}): make it writable, "
                f"or set {ENV_PREFIX}{setting} to a folder you can write"
            )
    return out


def check_data_dir(settings: Settings) -> None:
    """Raise `SettingsError` (one line per problem) unless the data folders are writable."""
    problems = data_dir_problems(settings)
    if problems:
        raise SettingsError("; ".join(problems), problems)
