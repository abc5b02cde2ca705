"""A full disk on demand: one chosen store write fails as DuckDB fails on ENOSPC.

The failure is raised inside the store's real transaction, so everything after it is
the real code: the rollback, the one-line `DiskFull`, the reserve being freed. After
the failed write the disk has exactly the room the reserve held, as on a real disk.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import duckdb

from eval.store import Store

ENOSPC_COMMIT = (
    'TransactionContext Error: Failed to commit: Could not write file "{path}.wal": '
    "No space left on device"
)


class DiskFiller:
    """Makes call number `nth` of `store.<method>` fail with DuckDB's disk-full error."""

    def __init__(self, store: Store, method: str, nth: int = 1) -> None:
        self.store, self.method, self.nth = store, method, nth
        self.calls = 0
        self.failed = False
        self._armed: int | None = None  # the thread making the chosen call
        original = getattr(store, method)
        tx = store._tx
        setattr(store, method, self._counting(original))
        if method == "_beat":  # the heartbeat thread holds the bound method it was given
            store._heartbeat._beat = getattr(store, method)
        store._tx = self._failing(tx)  # type: ignore[method-assign]

    def _counting(self, original: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            self.calls += 1
            if self.calls == self.nth:
                self._armed = threading.get_ident()
            try:
                return original(*args, **kwargs)
            finally:
                self._armed = None

        return call

    def _failing(self, tx: Callable[[], Any]) -> Callable[[], Any]:
        @contextmanager
        def failing() -> Iterator[duckdb.DuckDBPyConnection]:
            with tx() as con:
                if self._armed == threading.get_ident() and not self.failed:
                    self.failed = True
                    path = self.store.path
                    raise duckdb.TransactionException(ENOSPC_COMMIT.format(path=path))
                yield con

        return failing


def wait_for(done: Callable[[], bool], seconds: float = 60.0) -> None:
    """Poll until `done()`: a heartbeat thread on a busy machine may run late."""
    deadline = time.monotonic() + seconds
    while not done() and time.monotonic() < deadline:
        time.sleep(0.01)
