"""Writing files into an index so that each counts only once all its chunks are in.

Per batch of chunks (which may span several small files): vectors are computed first,
outside the write lock; then, under it, the journal records of the files in the batch
(`pending`, with a heartbeat), the chunks, and the commit of the files whose last chunk
was in the batch. A replaced version's chunks are deleted after the commit (`stale`
until they are gone). `VectorIndex.recover` undoes whatever a dead writer left.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from knowledge import chroma
from knowledge.file_table import FileRecord
from knowledge.types import Chunk

BATCH = 256  # chunks per embedding call and per write


@dataclass(frozen=True)
class FileChunks:
    """One file's chunks, written all together or not counted at all."""

    source: str
    name: str
    content_hash: str
    chunks: Sequence[Chunk]


class Writer:
    """One VectorIndex.write_files call: journal, chunks, commit, batch by batch."""

    def __init__(self, index: Any, files: Sequence[FileChunks], writer: str) -> None:
        """`index` is the VectorIndex written to (its collection, file table and lock)."""
        self.index, self.files, self.writer = index, list(files), writer
        with index.lock:
            self.records = index.files.get(f.source for f in self.files)

    def run(self, progress: Callable[[int], None]) -> None:
        queue = [(n, c) for n, f in enumerate(self.files) for c in f.chunks]  # files contiguous
        last = {n: i for i, (n, _) in enumerate(queue)}
        for start in range(0, len(queue), BATCH):
            batch = queue[start : start + BATCH]
            vectors = self.index.embedder.embed([c.text for _, c in batch])  # outside the lock
            present = sorted({n for n, _ in batch})
            ending = [n for n in present if last[n] < start + BATCH]
            with self.index.lock:
                self.index.files.put([self._pending(n) for n in present])  # journal first
                _upsert(self.index.collection, [c for _, c in batch], vectors)
                self.index.files.put([self._committed(n) for n in ending])  # then the commit
            self._drop_replaced(ending)
            progress(len(batch))

    def _pending(self, n: int) -> FileRecord:
        f = self.files[n]
        old = self.records.get(f.source, FileRecord(f.source))
        return replace(old, pending=f.content_hash, writer=self.writer, updated=time.time())

    def _committed(self, n: int) -> FileRecord:
        f = self.files[n]
        old = self.records.get(f.source, FileRecord(f.source)).content_hash
        stale = old if old and old != f.content_hash else ""
        record = FileRecord(f.source, f.name, f.content_hash, len(f.chunks), "", stale,
                            self.writer if stale else "", time.time())  # fmt: skip
        self.records[f.source] = record
        return record

    def _drop_replaced(self, ending: list[int]) -> None:
        for n in ending:
            record = self.records[self.files[n].source]
            if record.stale:
                with self.index.lock:
                    chroma.delete_where(
                        self.index.collection, version_filter(record.source, record.stale)
                    )
                    done = replace(record, stale="", writer="")
                    self.index.files.put([done])
                self.records[record.source] = done


def _upsert(collection: Any, chunks: Sequence[Chunk], vectors: list[list[float]]) -> None:
    collection.upsert(
        ids=[c.id for c in chunks],
        embeddings=vectors,
        documents=[c.text for c in chunks],
        metadatas=[chunk_metadata(c) for c in chunks],
    )


def version_filter(source: str, content_hash: str) -> dict[str, Any]:
    """A Chroma filter for one version of one file's chunks."""
    return {"$and": [{"source": source}, {"content_hash": content_hash}]}


def chunk_metadata(chunk: Chunk) -> dict[str, Any]:
    return {
        "source": chunk.source,
        "name": chunk.name or chunk.source,
        "page": chunk.page,
        "heading": chunk.heading,
        "content_hash": chunk.content_hash,
        "chunk_id": chunk.id,
    }
