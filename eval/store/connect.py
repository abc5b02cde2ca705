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

import json
import random
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb

from assistant.core.datadir import unwritable_reason
from assistant.core.errors import DiskFull, StoreError
from eval.store.reserve import MB, Reserve
from knowledge.chroma import is_disk_full

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


JSON_COLUMNS = {
    "config_json", "settings_json", "models_json", "files_json", "summary_json",
    "scores_json", "retrieved_json", "profile_json", "result_json", "compare_json",
    "drill_json", "sweep_json", "eval_set_json",
}  # fmt: skip


class Connection:
    """Thread-safe, per-operation access to one DuckDB file shared with other processes.

    ``busy_timeout``: seconds to wait for another process's operation before `StoreError`.
    A lock serialises this object's callers (the web app calls one store from several
    threads), so there are no lost rows and one connection at a time.
    """

    def __init__(self, path: str | Path, busy_timeout: float = BUSY_TIMEOUT) -> None:
        self.path = Path(path)
        self.busy_timeout = busy_timeout
        self._lock = threading.RLock()
        self._closed = False
        self._con: duckdb.DuckDBPyConnection | None = None  # open only during an operation
        self.reserve: Reserve | None = None
        self.full: DiskFull | None = None  # set at a disk-full write, until the reserve is back
        if str(path) == ":memory:":  # nothing to share; a new one per call would be empty
            self._con = duckdb.connect(":memory:")
        else:
            self._check_file()
            self.reserve = Reserve(self.path)

    def _check_file(self) -> None:
        """Fail now, in one line, if the file's folder cannot be written (not mid-trial)."""
        reason = unwritable_reason(self.path.parent)
        if reason:
            raise StoreError(
                f"cannot write to the database folder {self.path.parent} ({reason}): make it "
                f"writable, or set ADVISOR_DATA_DIR or {ENV_HINT} to a place you can write"
            )
        # A zero-byte file (e.g. from mktemp) holds no data; DuckDB refuses it otherwise.
        if self.path.is_file() and self.path.stat().st_size == 0:
            self.path.unlink()

    # -- lifecycle -------------------------------------------------------------------

    def close(self) -> None:
        """Later calls raise. (No connection stays open between operations.)"""
        with self._lock:
            self._closed = True
            if self._con is not None:
                self._con.close()
                self._con = None

    def __enter__(self) -> Any:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def batch(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """Hold one connection (and this store's lock) across several calls.

        Every call opens and closes its own connection (~30 ms); inside ``with
        store.batch():`` they share one. Other processes wait meanwhile, so keep it short.
        """
        with self._lock:
            if self._closed:
                raise RuntimeError(f"the store for {self.path} is closed")
            if self._con is not None:  # nested, or the in-memory database
                yield self._con
                return
            self._con = open_connection(self.path, self.busy_timeout)
            try:
                yield self._con
            except duckdb.Error as err:  # disk full, file gone read-only: one line
                self._release(failed=True)
                problem = self._write_problem(err)
                if problem is None:
                    raise
                raise problem from None
            except BaseException:
                self._release(failed=True)
                raise
            self._release(failed=False)

    def _release(self, *, failed: bool) -> None:
        con, self._con = self._con, None
        if con is None:
            return
        if failed:
            with suppress(duckdb.Error):  # never mask the error that got us here
                con.close()
            return
        try:
            con.close()  # writes the checkpoint: a full disk shows up here
        except duckdb.Error as err:
            raise self._write_problem(err) or StoreError(explain(self.path, err)) from None

    # -- a full disk -----------------------------------------------------------------

    def _write_problem(self, err: duckdb.Error) -> StoreError | None:
        """The one-line error for a failed operation; None for a bug (shown as one).

        DuckDB reports a full disk as an IOException or, when the WAL cannot be written
        at commit, a TransactionException: both are matched by their text.
        """
        if is_disk_full(err):
            return self.disk_full()
        if isinstance(err, duckdb.IOException):
            return StoreError(explain(self.path, err))
        return None

    def disk_full(self) -> DiskFull:
        """Remember the disk is full and free the reserve, so the writes that follow (the
        finished trials, the run's status) have room. Called at a failed write here, and
        by a run whose other files (a LoRA adapter) met the full disk."""
        if self.reserve is not None:
            self.reserve.release()
        self.full = DiskFull(self.disk_full_message())
        return self.full

    def disk_full_message(self) -> str:
        """One line: the folder, the space to free, what to do."""
        need = self.reserve.needed() if self.reserve is not None else MB
        return (
            f"disk full in {self.path.parent}: about {-(-need // MB)} MB more needed; free "
            "that much there (or set ADVISOR_DATA_DIR to a larger disk) and run again"
        )

    def keep_reserve(self) -> bool:
        """Make the reserve file again when the disk has room. True (and no longer `full`)
        when it is back or a run's records fit without it; False when the disk is full."""
        reserve = self.reserve
        if reserve is None or reserve.ensure() or reserve.roomy():
            self.full = None
            return True
        return False

    @contextmanager
    def _tx(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """One transaction on one connection; roll back on any error so nothing half-lands."""
        with self.batch() as con:
            con.execute("BEGIN TRANSACTION")
            try:
                yield con
            except BaseException:
                with suppress(duckdb.Error):  # never mask the real error
                    con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")

    def _query(self, sql: str, args: Sequence[Any] = ()) -> list[dict[str, Any]]:
        with self.batch() as con:
            return _dicts(con.execute(sql, list(args)))


def local_now() -> datetime:
    # Local wall-clock time, like the trial runner's started_at strings, so they compare.
    return datetime.now()


def _dicts(cursor: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Rows as dicts: JSON columns parsed (``x_json`` → ``x``), timestamps as ISO strings."""
    names = [d[0] for d in cursor.description or []]
    out = []
    for row in cursor.fetchall():
        record: dict[str, Any] = {}
        for name, value in zip(names, row, strict=True):
            if name in JSON_COLUMNS:
                record[name.removesuffix("_json")] = json.loads(value) if value else None
            elif isinstance(value, datetime):
                record[name] = value.isoformat(timespec="seconds")
            else:
                record[name] = value
        out.append(record)
    return out
