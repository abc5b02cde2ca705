"""A reserve file beside the database, so a full disk can still be written down.

When the disk fills mid-run, the write that fails is usually the next heartbeat or a
trial's rows; everything after it (the finished trials' rows, the run's "failed: disk
full" status) fails too, and the run is later found dead as if the process crashed.
So the store keeps a few MB of real blocks in ``<db>.reserve`` while space allows and
deletes the file at the first disk-full write: that frees exactly the room needed to keep
what finished and say why the run stopped. It is made again once the disk has room.
"""

from __future__ import annotations

import errno
import logging
import os
from pathlib import Path

from knowledge.chroma import free_bytes

MB = 1024 * 1024
RESERVE_BYTES = 4 * MB  # a run's status and a few trials' rows, plus DuckDB's checkpoint
_log = logging.getLogger("advisor.store")


class Reserve:
    """``<db>.reserve``: `ensure` makes it when the disk has room, `release` frees it."""

    def __init__(self, db_path: Path, size: int = RESERVE_BYTES) -> None:
        self.path = db_path.with_name(db_path.name + ".reserve")
        self.size = size

    @property
    def held(self) -> bool:
        return self.path.is_file() and self.path.stat().st_size >= self.size

    def ensure(self) -> bool:
        """Make the file unless the disk is nearly full (it must not be what fills it);
        True when it is in place."""
        if self.held:
            return True
        free = free_bytes(self.path.parent)
        if free is None or free < 3 * self.size:
            return False
        try:
            _fill(self.path, self.size)
        except OSError as err:  # never a reason to refuse the store
            _log.warning("could not make the disk reserve %s: %s", self.path, err)
            self.path.unlink(missing_ok=True)
            return False
        return True

    def needed(self) -> int:
        """Bytes still to free before `ensure` makes the file again (at least 1 MB)."""
        return max(MB, 3 * self.size - (free_bytes(self.path.parent) or 0))

    def roomy(self) -> bool:
        """Whether a run's records fit without the reserve: as much free as it holds."""
        free = free_bytes(self.path.parent)
        return free is None or free >= self.size

    def release(self) -> int:
        """Delete the file; returns the bytes freed (0 if it was not there)."""
        try:
            size = self.path.stat().st_size
            self.path.unlink()
        except OSError:
            return 0
        _log.warning("disk full: released the reserve %s (%d bytes)", self.path, size)
        return size


def _fill(path: Path, size: int) -> None:
    """Real blocks, not a sparse file: a hole would free nothing when deleted."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        try:
            os.posix_fallocate(fd, 0, size)
        except (AttributeError, OSError) as err:  # macOS, Windows, or no fallocate support
            if getattr(err, "errno", None) == errno.ENOSPC:
                raise
            for _ in range(0, size, MB):
                os.write(fd, b"\0" * MB)
    finally:
        os.close(fd)
