"""Ingest files into a workspace's index: parse, chunk, embed, and report honestly.

Unchanged files (same bytes) are neither parsed nor embedded again; a changed file
replaces its old chunks only after its new version parsed, so a broken re-upload never
loses what was already indexed.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.models.base import Embedder
from assistant.settings import Settings
from knowledge.chunking import ChunkConfig, chunk_documents
from knowledge.index import VectorIndex
from knowledge.ingest import DEFAULT_LIMITS, IngestLimits, IngestResult, ingest_paths
from knowledge.types import QAPair

Progress = Callable[[str, int, int], None]


@dataclass
class IndexReport:
    """What one ingest call did to a workspace (the CLI prints `summary()` as JSON)."""

    ingest: IngestResult
    chunks: int = 0
    replaced: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def qa_pairs(self) -> list[QAPair]:
        return self.ingest.qa_pairs

    def summary(self) -> dict[str, Any]:
        data = self.ingest.summary()
        data.update(chunks=self.chunks, replaced=self.replaced, seconds=round(self.seconds, 3))
        data["notes"] = list(self.ingest.notes)
        return data


def chunk_config(settings: Settings, embedder: Embedder) -> ChunkConfig:
    return ChunkConfig(settings.chunk_size, settings.chunk_overlap, embedder.name)


def open_index(workspace: str, settings: Settings, embedder: Embedder) -> VectorIndex:
    """The workspace's index: embedded Chroma under data_dir, or the configured server."""
    return VectorIndex(
        workspace,
        embedder,
        chunk_config(settings, embedder),
        persist_dir=settings.data_path / "chroma",
        host=settings.chroma_host,
        port=settings.chroma_port,
    )


def index_paths(
    paths: Sequence[str | Path],
    index: VectorIndex,
    *,
    limits: IngestLimits = DEFAULT_LIMITS,
    progress: Progress | None = None,
) -> IndexReport:
    """Ingest files/folders into `index`; see the module docstring for the guarantees."""
    start = time.perf_counter()
    known = index.sources()
    unchanged_hashes = set(known.values())
    notify = progress or (lambda stage, done, total: None)
    notify("reading files", 0, len(paths))
    result = ingest_paths(paths, known_hashes=unchanged_hashes, limits=limits)
    report = IndexReport(result)
    fresh = {doc.source for doc in result.documents}
    report.replaced = sorted(s for s in fresh if s in known)
    chunks = chunk_documents(result.documents, index.config, index.embedder.count_tokens)
    index.delete_sources(report.replaced)
    step = 256  # large upserts: fewer Chroma writes; still a progress tick every few seconds
    for done in range(0, len(chunks), step):
        notify("embedding chunks", done, len(chunks))
        index.add(chunks[done : done + step])
    notify("embedding chunks", len(chunks), len(chunks))
    report.chunks = len(chunks)
    report.seconds = time.perf_counter() - start
    return report
