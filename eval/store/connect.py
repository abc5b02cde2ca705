"""Opening the DuckDB file when another process may be using it.

DuckDB lets one process at a time open a file for writing and holds an OS lock on it for
as long as a connection is open. The web app and the CLI share one file, so `Store`
opens a connection per operation (open, do, close) instead of one for its lifetime, and
opening here waits, with backoff, while the other process finishes its operation. The
wait is bounded: past it the user gets one line saying the database is busy.

What the lock error looks like, checked with two processes on duckdb 2.0: `connect()`
raises ``duckdb.IOException`` (an ``OperationalError``) with ``IO Error: Could not set
lock on file "<path>": Conflicting lock is held in <exe> (PID n)``, both read-write and
read-only, after ~10 ms. Windows words it as a file "being used by another process".
"""

from __future__ import annotations

import random
import time
from pathlib import Path

import duckdb

from assistant.core.errors import StoreError

ENV_HINT = "ADVISOR_DB_PATH"
BUSY_TIMEOUT = 10.0  # seconds; a store operation takes well under one
FIRST_WAIT, MAX_WAIT = 0.02, 0.25  # backoff between attempts, jittered
_LOCK_MARKERS = ("could not set lock", "conflicting lock", "being used by another process")


def is_lock_error(err: BaseException) -> bool:
    """Whether `err` says another process holds the file (worth waiting for)."""
    text = str(err).lower()
    return isinstance(err, duckdb.Error) and any(m in text for m in _LOCK_MARKERS)


def busy_message(path: Path) -> str:
    return f"the database is busy: another process is writing to {path}; try again"


def open_connection(path: Path, busy_timeout: float = BUSY_TIMEOUT) -> duckdb.DuckDBPyConnection:
    """A connection to `path`, waiting up to `busy_timeout` s for another process's lock.

    Raises `StoreError` with one line: busy past the bound, or whatever else is wrong with
    the file (corrupt, unreadable) and how to get going again.
    """
    deadline = time.monotonic() + busy_timeout
    wait = FIRST_WAIT
    while True:
        try:
            return duckdb.connect(str(path))
        except duckdb.Error as err:
            if not is_lock_error(err):
                raise StoreError(explain(path, err)) from None
            left = deadline - time.monotonic()
            if left <= 0:
                raise StoreError(busy_message(path)) from None
            # Jitter so two waiting processes do not retry in lockstep.
            time.sleep(min(left, wait * random.uniform(0.5, 1.0)))
            wait = min(wait * 2, MAX_WAIT)


def explain(path: Path, err: Exception) -> str:
    """One line saying what is wrong with the file and how to get going again."""
    detail = str(err).splitlines()[0] if str(err) else type(err).__name__
    fix = f"set {ENV_HINT} (settings db_path) to another file"
    if is_lock_error(err):
        return busy_message(path)
    if "not a valid duckdb database" in detail.lower():
        return f"{path} is not a DuckDB database: move it aside, or {fix}"
    if "permission denied" in detail.lower() or "read-only" in detail.lower():
        return f"cannot write to database {path} (permission denied): make it writable, or {fix}"
    return f"cannot open database {path}: {detail}; {fix}"
