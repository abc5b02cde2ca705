"""The vector index: ChromaDB through langchain-chroma, behind our own small API.

One collection per workspace (a user's upload set, or the guidance base). Vectors
come from our Embedder, never from Chroma's default embedding function (which would
download a model). LangChain objects stay inside this module: callers get `Hit`s.

`index_paths` fills a workspace: unchanged files (same bytes) are neither parsed nor
embedded again; a changed file replaces its old chunks only after its new version
parsed, so a broken re-upload never loses what was already indexed.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.core.errors import IndexUnavailable
from assistant.core.models.base import Embedder
from assistant.core.models.cached import CachedEmbedder
from assistant.core.settings import Settings
from knowledge.chunking import ChunkConfig, chunk_documents
from knowledge.reading.ingest import DEFAULT_LIMITS, IngestLimits, IngestResult, ingest_paths
from knowledge.types import Chunk, Hit, QAPair

Progress = Callable[[str, int, int], None]

_WORKSPACE = re.compile(r"[^a-zA-Z0-9_-]+")
_UPSERT_BATCH = 256
_clients: dict[tuple, Any] = {}
_clients_lock = threading.Lock()
_WRITE_LOCK = threading.RLock()


def collection_name(workspace: str) -> str:
    """Chroma needs 3-512 chars of [a-zA-Z0-9._-], starting and ending alphanumeric."""
    name = _WORKSPACE.sub("-", workspace).strip("-_") or "default"
    return f"ws-{name}"[:60].rstrip("-_")


class _LangChainEmbeddings:
    """Adapter: our Embedder seen through LangChain's Embeddings interface."""

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embedder.embed(texts)

    def embed_query(self, text: str) -> list[float]:
        return self.embedder.embed([text])[0]


def _client(persist_dir: Path | None, host: str = "", port: int = 8000) -> Any:
    """One Chroma client per location, shared: Chroma forbids two clients on one folder
    with different settings, and opening a client is not free."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    key = (str(persist_dir), host, port)
    with _clients_lock:
        if key not in _clients:
            settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
            if host:
                _clients[key] = chromadb.HttpClient(host=host, port=port, settings=settings)
            else:
                assert persist_dir is not None
                persist_dir.mkdir(parents=True, exist_ok=True)
                _clients[key] = chromadb.PersistentClient(path=str(persist_dir), settings=settings)
        return _clients[key]


class VectorIndex:
    """A workspace's chunks and their vectors, with the chunking config stored alongside."""

    def __init__(
        self,
        workspace: str,
        embedder: Embedder,
        config: ChunkConfig,
        persist_dir: Path | None = None,
        host: str = "",
        port: int = 8000,
    ) -> None:
        self.workspace = workspace
        self.embedder = embedder
        # Queries and the sentences of retrieved chunks repeat across questions.
        self.short_texts = CachedEmbedder(embedder)
        self.config = config
        # One write lock for every index in the process: Chroma's embedded store is one
        # SQLite file, and ten sessions uploading at once could fail with a locked database.
        self._lock = _WRITE_LOCK
        metadata = {
            "hnsw:space": "cosine",
            "embedder": embedder.name,
            "chunk_size": config.chunk_size,
            "chunk_overlap": config.chunk_overlap,
        }
        where = f"{host}:{port}" if host else str(persist_dir)
        try:
            self._client = _client(persist_dir, host, port)
            with self._lock:  # creating a collection writes to the shared store too
                self.store = self._open(metadata)
                if self._config_changed(metadata):
                    self.clear()
                    self.store = self._open(metadata)
        except Exception as err:  # chromadb raises plain Exception subclasses on connect
            detail = str(err).splitlines()[0][:160] if str(err) else type(err).__name__
            raise IndexUnavailable(
                f"cannot open the vector index at {where}: {detail} "
                "(check ADVISOR_CHROMA_HOST/ADVISOR_CHROMA_PORT or ADVISOR_DATA_DIR)"
            ) from None

    def _open(self, metadata: dict[str, Any]) -> Any:
        from langchain_chroma import Chroma

        return Chroma(
            collection_name=collection_name(self.workspace),
            embedding_function=_LangChainEmbeddings(self.embedder),
            client=self._client,
            collection_metadata=metadata,
        )

    @property
    def collection(self) -> Any:
        return self.store._collection

    def _config_changed(self, wanted: dict[str, Any]) -> bool:
        """Vectors from another embedder or chunking are not comparable: rebuild then."""
        stored = self.collection.metadata or {}
        keys = ("embedder", "chunk_size", "chunk_overlap")
        return any(stored.get(k) != wanted[k] for k in keys) and self.count() > 0

    def count(self) -> int:
        return int(self.collection.count())

    def sources(self) -> dict[str, str]:
        """{source name: content hash} of everything indexed."""
        rows = self.collection.get(include=["metadatas"])
        return {m["source"]: m.get("content_hash", "") for m in rows["metadatas"] or []}

    def add(self, chunks: Sequence[Chunk]) -> int:
        """Embed and store chunks (upsert by stable id); returns how many were written."""
        with self._lock:
            for start in range(0, len(chunks), _UPSERT_BATCH):
                batch = chunks[start : start + _UPSERT_BATCH]
                self.store.add_texts(
                    [c.text for c in batch],
                    metadatas=[_metadata(c) for c in batch],
                    ids=[c.id for c in batch],
                )
        return len(chunks)

    def delete_sources(self, sources: Sequence[str]) -> None:
        """Drop every chunk of these sources (a changed or removed file)."""
        if sources:
            with self._lock:
                self.collection.delete(where={"source": {"$in": list(sources)}})

    def clear(self) -> None:
        with self._lock:
            self.store.delete_collection()

    def search(self, query: str, k: int = 4, sources: Sequence[str] = ()) -> list[Hit]:
        """The k nearest chunks with cosine similarity as score (higher is closer).

        `sources` limits the search to those files: a trial retrieves only from its own
        documents, not from everything the workspace ever indexed.
        """
        if not query.strip() or self.count() == 0:
            return []
        vector = self.short_texts.embed([query])[0]
        pairs = self.store.similarity_search_by_vector_with_relevance_scores(
            vector, k=k, filter=_only(sources)
        )
        return [Hit(_chunk(doc), round(1.0 - float(dist), 4)) for doc, dist in pairs]

    def all_chunks(self, limit: int = 5000, sources: Sequence[str] = ()) -> list[Chunk]:
        """Chunks in a stable order (by id), for Q/A generation and LoRA training data."""
        rows = self.collection.get(limit=limit, include=[], where=_only(sources))
        return self.get_chunks(sorted(rows["ids"]))

    def get_chunks(self, ids: Sequence[str]) -> list[Chunk]:
        if not ids:
            return []  # Chroma rejects an empty id list
        rows = self.collection.get(ids=list(ids), include=["documents", "metadatas"])
        by_id = {
            i: Chunk(i, d, m["source"], int(m.get("page", 0)), m.get("heading", ""),
                     m.get("content_hash", ""))
            for i, d, m in zip(rows["ids"], rows["documents"], rows["metadatas"], strict=True)
        }  # fmt: skip
        return [by_id[i] for i in ids if i in by_id]


def _only(sources: Sequence[str]) -> dict[str, Any] | None:
    """A Chroma filter for these source files; None (no filter) when none are named."""
    return {"source": {"$in": sorted(set(sources))}} if sources else None


def _metadata(chunk: Chunk) -> dict[str, Any]:
    return {
        "source": chunk.source,
        "page": chunk.page,
        "heading": chunk.heading,
        "content_hash": chunk.content_hash,
        "chunk_id": chunk.id,
    }


def _chunk(doc: Any) -> Chunk:
    meta = doc.metadata or {}
    return Chunk(
        id=str(meta.get("chunk_id", doc.id or "")),
        text=doc.page_content,
        source=str(meta.get("source", "")),
        page=int(meta.get("page", 0)),
        heading=str(meta.get("heading", "")),
        content_hash=str(meta.get("content_hash", "")),
    )


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

    @property
    def sources(self) -> list[str]:
        """Every document source this call covered: newly read or already indexed."""
        return sorted({d.source for d in self.ingest.documents} | set(self.ingest.unchanged))

    def summary(self) -> dict[str, Any]:
        data = self.ingest.summary()
        data.update(chunks=self.chunks, replaced=self.replaced, seconds=round(self.seconds, 3))
        data["notes"] = list(self.ingest.notes)
        return data


def open_index(
    workspace: str, settings: Settings, embedder: Embedder, chunking: ChunkConfig | None = None
) -> VectorIndex:
    """The workspace's index: embedded Chroma under data_dir, or the configured server.

    `chunking` defaults to ChunkConfig(); a different size rebuilds the index on open.
    """
    base = chunking or ChunkConfig()
    return VectorIndex(
        workspace,
        embedder,
        ChunkConfig(base.chunk_size, base.chunk_overlap, embedder.name),
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
