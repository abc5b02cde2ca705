"""Which files an index holds, one record each, kept beside the chunks as a journal.

A file used to count as indexed as soon as any chunk carried its hash: after a kill -9
at chunk 256 of 900, or a full disk, the re-upload said "unchanged" and the other 644
chunks never came. Now a file counts only once its record says so, and that record is
written after its last chunk. While a version is being written the record names it as
`pending` (and, once committed, the replaced version as `stale` until its chunks are
gone), with the writer and the time; a write whose writer is gone is undone on the next
open, so a restart redoes what was cut short instead of trusting it. The table is also
what lists an index's files, so no listing ever reads every chunk.
"""

from __future__ import annotations

import os
import socket
import threading
import time
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from assistant.core.processes import pid_alive
from knowledge.chroma import pages

STALE_AFTER = 600.0  # seconds without a heartbeat after which another process's write is dead
_HOST = socket.gethostname()
_ACTIVE: set[str] = set()  # tokens of the writes running in this process
_ACTIVE_LOCK = threading.Lock()


@dataclass(frozen=True)
class FileRecord:
    """One file of an index. `content_hash` is the complete version ('' while there is none)."""

    source: str
    name: str = ""
    content_hash: str = ""
    chunks: int = 0
    pending: str = ""  # hash of a version being written
    stale: str = ""  # hash of a replaced version whose chunks are still to delete
    writer: str = ""  # host:pid:token of the write that set pending/stale
    updated: float = 0.0

    @property
    def unfinished(self) -> bool:
        return bool(self.pending or self.stale)


def _record(meta: dict[str, Any]) -> FileRecord:
    known = {k: meta[k] for k in FileRecord.__dataclass_fields__ if k in meta}
    return FileRecord(**known)


class FileTable:
    """The records of one chunk collection, in a small collection of their own."""

    def __init__(self, collection: Any) -> None:
        self.collection = collection

    def all(self) -> dict[str, FileRecord]:
        return {
            m["source"]: _record(m)
            for rows in pages(self.collection, include=["metadatas"])
            for m in rows["metadatas"] or []
        }

    def get(self, sources: Iterable[str]) -> dict[str, FileRecord]:
        ids = sorted(set(sources))
        found: dict[str, FileRecord] = {}
        for start in range(0, len(ids), 1000):
            rows = self.collection.get(ids=ids[start : start + 1000], include=["metadatas"])
            found.update({m["source"]: _record(m) for m in rows["metadatas"] or []})
        return found

    def unfinished(self) -> list[FileRecord]:
        where = {"$or": [{"pending": {"$ne": ""}}, {"stale": {"$ne": ""}}]}
        return [_record(m) for rows in pages(self.collection, where, ["metadatas"])
                for m in rows["metadatas"] or []]  # fmt: skip

    def put(self, records: Sequence[FileRecord]) -> None:
        """Write records 1,000 at a time: Chroma refuses one write of more than its
        max batch size (5,461 embedded), as when the drill copies a 34,000-file table."""
        for start in range(0, len(records), 1000):
            part = records[start : start + 1000]
            self.collection.upsert(
                ids=[r.source for r in part],
                embeddings=[[1.0]] * len(part),  # records are looked up, never searched
                metadatas=[asdict(r) for r in part],
            )

    def remove(self, sources: Sequence[str]) -> None:
        for start in range(0, len(sources), 1000):
            self.collection.delete(ids=list(sources[start : start + 1000]))


def start_writer() -> str:
    """A token naming one write (host, process, random part), registered as running."""
    token = f"{_HOST}:{os.getpid()}:{uuid.uuid4().hex[:12]}"
    with _ACTIVE_LOCK:
        _ACTIVE.add(token)
    return token


def end_writer(token: str) -> None:
    with _ACTIVE_LOCK:
        _ACTIVE.discard(token)


def abandoned(record: FileRecord, now: float | None = None) -> bool:
    """True when a record's unfinished write has no live writer left to finish it."""
    if not record.unfinished:
        return False
    with _ACTIVE_LOCK:
        if record.writer in _ACTIVE:
            return False
    host, _, rest = record.writer.partition(":")
    pid_text = rest.partition(":")[0]
    fresh = (now or time.time()) - record.updated < STALE_AFTER
    if host != _HOST or not pid_text.isdigit():
        return not fresh  # another machine's process: only its silence tells
    pid = int(pid_text)
    if pid == os.getpid():
        return True  # ours, and not running: it failed and could not clean up
    return not (fresh and pid_alive(pid))
