"""Fill a workspace's vector index from files: the one entry point uploads, trials and the CLI use.

`index_paths` guarantees, per file: unchanged files (same name, same bytes) are neither
parsed nor embedded again; a changed file replaces its old chunks only after its new
version parsed and was completely written; a file counts as indexed only once all its
chunks are in (a kill or a full disk part-way is redone on the next run, never counted);
junk is left out before embedding and one upload embeds at most `max_chunks` chunks.
A full disk becomes one message naming the folder and roughly the space needed.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.core.errors import DatasetError, IndexFull
from assistant.core.models.base import Embedder
from assistant.core.settings import Settings
from knowledge.chroma import check_workspace, collection_name, is_disk_full
from knowledge.chunking import ChunkConfig, chunk_documents
from knowledge.reading.ingest import DEFAULT_LIMITS, IngestLimits, IngestResult, ingest_paths
from knowledge.types import Document, QAPair, Skipped
from knowledge.vector_index import VectorIndex
from knowledge.writing import FileChunks

__all__ = [
    "FileChunks", "IndexReport", "VectorIndex", "check_workspace", "collection_name",
    "index_paths", "open_index",
]  # fmt: skip

Progress = Callable[[str, int, int], None]
MB = 1024 * 1024


@dataclass
class IndexReport:
    """What one ingest call did to a workspace (the CLI prints `summary()` as JSON)."""

    ingest: IngestResult
    chunks: int = 0
    replaced: list[str] = field(default_factory=list)
    seconds: float = 0.0
    chunking: ChunkConfig | None = None  # the index's chunking, for the run to name

    @property
    def qa_pairs(self) -> list[QAPair]:
        return self.ingest.qa_pairs

    @property
    def sources(self) -> list[str]:
        """Every document source this call covered: newly read or already indexed."""
        return sorted({d.source for d in self.ingest.documents} | set(self.ingest.unchanged))

    def summary(self) -> dict[str, Any]:
        data = self.ingest.summary()
        data.update(chunks=self.chunks, replaced=self.replaced, seconds=round(self.seconds, 3))
        data["notes"] = list(self.ingest.notes)
        if self.chunking is not None:
            data["chunking"] = {
                "chunk_size": self.chunking.chunk_size,
                "chunk_overlap": self.chunking.chunk_overlap,
            }
        return data


def open_index(
    workspace: str, settings: Settings, embedder: Embedder, chunking: ChunkConfig | None = None
) -> VectorIndex:
    """The workspace's index at `chunking` (default ChunkConfig()): embedded Chroma under
    data_dir, or the configured server. Another chunking opens an index of its own."""
    base = chunking or ChunkConfig()
    return VectorIndex(
        workspace,
        embedder,
        ChunkConfig(base.chunk_size, base.chunk_overlap, embedder.name),
        persist_dir=settings.data_path / "chroma",
        host=settings.chroma_host,
        port=settings.chroma_port,
    )


def check_paths(paths: Sequence[str | Path], files: Sequence[str | Path | None] = ()) -> None:
    """Refuse paths that are not there and empty folders, naming them, before any model
    loads: found out after loading the embedder, they cost seconds and said less."""
    missing = [str(p) for p in paths if not Path(p).exists()]
    missing += [str(f) for f in files if f and not Path(f).is_file()]
    if missing:
        raise DatasetError(f"not found: {', '.join(missing)} (check the path)")
    empty = [str(p) for p in paths if Path(p).is_dir() and not any(Path(p).iterdir())]
    if empty:
        raise DatasetError(f"empty folder: {', '.join(empty)} (put your documents in it)")


def index_paths(
    paths: Sequence[str | Path],
    index: VectorIndex,
    *,
    limits: IngestLimits = DEFAULT_LIMITS,
    progress: Progress | None = None,
) -> IndexReport:
    """Ingest files/folders into `index`; see the module docstring for the guarantees."""
    start = time.perf_counter()
    notify = progress or (lambda stage, done, total: None)
    index.recover()
    known = index.sources()
    notify("reading files", 0, len(paths))
    result = ingest_paths(paths, indexed=known, limits=limits)
    report = IndexReport(result, chunking=index.chunking)
    files = _plan(result, index, limits.max_chunks)
    report.replaced = sorted(f.source for f in files if f.source in known)
    total = sum(len(f.chunks) for f in files)
    done = [0]

    def step(n: int) -> None:
        done[0] += n
        notify("embedding chunks", done[0], total)

    notify("embedding chunks", 0, total)
    try:
        index.write_files(files, step)
    except Exception as err:
        if is_disk_full(err, index.persist_dir, _space_needed(index, files, done[0])):
            raise IndexFull(disk_full_message(index, files, done[0])) from None
        raise
    report.chunks = total
    report.seconds = time.perf_counter() - start
    return report


def _plan(result: IngestResult, index: VectorIndex, max_chunks: int) -> list[FileChunks]:
    """Each read file's chunks, in order, up to `max_chunks` in all; the rest are skipped.

    A file over the cap is skipped whole (never cut), with what to do about it.
    """
    by_source: dict[str, list[Document]] = {}
    for doc in result.documents:
        by_source.setdefault(doc.source, []).append(doc)
    files: list[FileChunks] = []
    left_out: set[str] = set()
    total = 0
    for source, docs in by_source.items():
        chunks = chunk_documents(docs, index.config, index.embedder.count_tokens)
        name = docs[0].name or source
        reason = ""
        if not chunks:
            reason = "no text to index once it was cleaned"
        elif total + len(chunks) > max_chunks:
            reason = _over_cap(len(chunks), total, max_chunks)
        if reason:
            result.skipped.append(Skipped(source, reason, name))
            left_out.add(source)
            continue
        total += len(chunks)
        files.append(FileChunks(source, name, docs[0].content_hash, chunks))
    result.documents = [d for d in result.documents if d.source not in left_out]
    return files


def _over_cap(n: int, used: int, cap: int) -> str:
    if n > cap:
        return (
            f"would make {n:,} chunks, over the limit of {cap:,} per upload (embedding "
            "them would hold this machine for long): split it into smaller files"
        )
    return (
        f"not indexed: the limit is {cap:,} chunks per upload, earlier files use {used:,} "
        f"and this one adds {n:,}; upload it on its own"
    )


def _finished(files: Sequence[FileChunks], written: int) -> int:
    """How many of `files` were completely written when `written` chunks were."""
    total = finished = 0
    for f in files:
        total += len(f.chunks)
        if total > written:
            break
        finished += 1
    return finished


def _space_needed(index: VectorIndex, files: Sequence[FileChunks], written: int) -> int:
    """Rough bytes the unfinished files need, as measured on embedded Chroma 1.5: the text
    three times (document, full-text index, log), the vector twice (SQLite and HNSW) and
    about 2 KB of metadata and index pages per chunk."""
    dim = int(getattr(index.embedder, "dim", 384))
    rest = [c for f in files[_finished(files, written) :] for c in f.chunks]
    return sum(3 * len(c.text.encode("utf-8")) + 8 * dim + 2048 for c in rest)


def disk_full_message(index: VectorIndex, files: Sequence[FileChunks], written: int) -> str:
    """One line: which folder is full, what was kept, roughly how much more space is needed."""
    finished = _finished(files, written)
    current = files[finished].name if finished < len(files) else "the last file"
    need = _space_needed(index, files, written)
    return (
        f"Ran out of disk space in {index.location} while indexing {current}: "
        f"{finished} of {len(files)} file(s) finished and kept; {current} was not counted "
        f"and is redone next time. About {max(1, round(need / MB))} MB more is needed: "
        "free that much there (or set ADVISOR_DATA_DIR to a larger disk) and try again."
    )
