"""One workspace's chunks at one chunking: ChromaDB through langchain-chroma, our own API.

Each chunking (size, overlap, embedder) of a workspace is a collection of its own, so a
trial at another chunk size builds a second index beside the first instead of wiping it
(a 55-chunk workspace was left with 4 chunks, silently). A small file table beside each
collection says which files are completely indexed (see `file_table`). Embedding happens
outside the process-wide write lock, which is taken only for each batch's writes, so one
visitor's minutes-long upload never holds up everyone else's.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from assistant.core.errors import AdvisorError, IndexFull, IndexUnavailable
from assistant.core.models.base import Embedder
from assistant.core.models.cached import CachedEmbedder
from knowledge import chroma
from knowledge.chunking import ChunkConfig
from knowledge.file_table import FileTable, abandoned, end_writer, start_writer
from knowledge.types import Chunk, Hit
from knowledge.writing import FileChunks, Writer, version_filter

_WRITE_LOCK = threading.RLock()  # one SQLite file behind every embedded collection
OVERFETCH = 8  # a search over many files first asks the unfiltered graph for 8k chunks
Scored = tuple[float, Chunk]  # cosine similarity (unrounded) and chunk


class _LangChainEmbeddings:
    """Adapter: our Embedder seen through LangChain's Embeddings interface."""

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embedder.embed(texts)

    def embed_query(self, text: str) -> list[float]:
        return self.embedder.embed([text])[0]


class VectorIndex:
    """A workspace's chunks and vectors at one chunking, plus the table of its files."""

    def __init__(
        self,
        workspace: str,
        embedder: Embedder,
        config: ChunkConfig,
        persist_dir: Path | None = None,
        host: str = "",
        port: int = 8000,
    ) -> None:
        self.workspace = chroma.check_workspace(workspace)
        self.embedder = embedder
        # Queries and the sentences of retrieved chunks repeat across questions.
        self.short_texts = CachedEmbedder(embedder)
        self.config = config
        self.persist_dir = None if host else persist_dir
        self.location = f"the Chroma server at {host}:{port}" if host else str(persist_dir)
        self.name = chroma.collection_name(
            workspace, config.chunk_size, config.chunk_overlap, embedder.name
        )
        self.lock = _WRITE_LOCK  # one SQLite file behind every embedded collection
        try:
            self._client = chroma.client(persist_dir, host, port)
            with self.lock:  # creating a collection writes to the shared store too
                self.store = self._open()  # LangChain's view, for similarity search
                self.collection = self.store._collection  # reads and writes go direct
                self.files = FileTable(self._client.get_or_create_collection(
                    self.name + ".files", embedding_function=None, metadata={"kind": "files"}
                ))  # fmt: skip
                self.recover()
        except AdvisorError:
            raise
        except Exception as err:  # chromadb raises plain Exception subclasses on connect
            if chroma.is_disk_full(err, self.persist_dir):
                raise IndexFull(
                    f"cannot open the vector index at {self.location}: its disk is full "
                    f"({(chroma.free_bytes(self.persist_dir) or 0) // 1024:,} KB free); free "
                    "space there (or set ADVISOR_DATA_DIR to a larger disk) and try again"
                ) from None
            detail = str(err).splitlines()[0][:160] if str(err) else type(err).__name__
            raise IndexUnavailable(
                f"cannot open the vector index at {self.location}: {detail} "
                "(check ADVISOR_CHROMA_HOST/ADVISOR_CHROMA_PORT or ADVISOR_DATA_DIR)"
            ) from None

    def _open(self) -> Any:
        from langchain_chroma import Chroma

        metadata = {
            "hnsw:space": "cosine",
            "workspace": self.workspace,
            "embedder": self.embedder.name,
            "chunk_size": self.config.chunk_size,
            "chunk_overlap": self.config.chunk_overlap,
        }
        return Chroma(
            collection_name=self.name,
            embedding_function=_LangChainEmbeddings(self.embedder),
            client=self._client,
            collection_metadata=metadata,
        )

    @property
    def chunking(self) -> ChunkConfig:
        """The chunking this index was built with (a run names it in its report)."""
        return self.config

    def describe(self) -> str:
        c = self.config
        return (
            f"chunks of {c.chunk_size} tokens ({c.chunk_overlap} overlapping), "
            f"embedded by {self.embedder.name}"
        )

    def other_chunkings(self) -> list[tuple[ChunkConfig, int]]:
        """The workspace's indexes at other chunkings, with their chunk counts (left as is)."""
        prefix = chroma.collection_name(self.workspace) + ".c"
        found = []
        for collection in self._client.list_collections():
            name = collection.name if hasattr(collection, "name") else str(collection)
            if name.startswith(prefix) and not name.endswith(".files") and name != self.name:
                other = self._client.get_collection(name, embedding_function=None)
                meta = other.metadata or {}
                size, overlap = int(meta.get("chunk_size", 1)), int(meta.get("chunk_overlap", 0))
                config = ChunkConfig(size, overlap, str(meta.get("embedder", "")))
                found.append((config, int(other.count())))
        return sorted(found, key=lambda item: (item[0].chunk_size, item[0].chunk_overlap))

    # -- reads ---------------------------------------------------------------------------

    def count(self) -> int:
        return int(self.collection.count())

    def sources(self) -> dict[str, str]:
        """{source key: content hash} of every completely indexed file."""
        return {s: r.content_hash for s, r in self.files.all().items() if r.content_hash}

    def names(self) -> dict[str, str]:
        """{source key: the name the user gave the file} of every completely indexed file."""
        return {s: r.name or s for s, r in self.files.all().items() if r.content_hash}

    def search(self, query: str, k: int = 4, sources: Sequence[str] = ()) -> list[Hit]:
        """The k nearest chunks with cosine similarity as score (higher is closer).

        `sources` limits the search to those files: a trial retrieves only from its own
        documents, not from everything the workspace ever indexed.
        """
        if not query.strip() or self.count() == 0:
            return []
        vector = self.short_texts.embed([query])[0]
        if not sources:
            found = self._graph(vector, k, None)
        elif len(set(sources)) <= chroma.IN_BATCH:
            found = self._within(vector, k, sources)
        else:
            found = self._within_many(vector, k, sources)
        return [Hit(chunk, round(score, 4)) for score, chunk in found]

    def _graph(self, vector: Sequence[float], n: int, where: dict | None) -> list[Scored]:
        """Chroma's own (HNSW) nearest n under `where`, best first."""
        pairs = self.store.similarity_search_by_vector_with_relevance_scores(
            vector, k=n, filter=where
        )
        return [(1.0 - float(dist), _chunk_of(doc)) for doc, dist in pairs]

    def _within(self, vector: Sequence[float], k: int, sources: Sequence[str]) -> list[Scored]:
        """The k nearest chunks of at most IN_BATCH named files: one filtered query."""
        [where] = _only(sources) or [None]
        found = self._graph(vector, k, where)
        if len(found) < k:  # the graph search can miss a small filtered set
            return self._exact_scored(vector, k, sources) or found
        return found

    def _within_many(self, vector: Sequence[float], k: int, sources: Sequence[str]) -> list[Scored]:
        """The k nearest chunks of more files than one filter may name.

        A `$in` over 32,767+ names fails in SQLite. When the files are most of the
        workspace (a trial over all of it), the unfiltered graph's nearest OVERFETCH * k
        hold k of theirs, and the first k of those are their k nearest. Otherwise each
        batch of names is searched on its own and the batches' best k merged: the overall
        best k are each among their own batch's best k. Asking the graph for ever more
        instead was tried and is wrong: its far tail is approximate, and at 40,000 chunks
        it returned allowed chunks from there that were not the nearest.
        """
        allowed = set(sources)
        nearest = self._graph(vector, min(self.count(), OVERFETCH * k), None)
        found = [(score, chunk) for score, chunk in nearest if chunk.source in allowed]
        if len(found) >= k:
            return found[:k]
        merged = [hit for where in _only(sources) or [] for hit in
                  self._within(vector, k, where["source"]["$in"])]  # fmt: skip
        return sorted(merged, key=lambda hit: -hit[0])[:k]

    def _exact(self, vector: Sequence[float], k: int, sources: Sequence[str]) -> list[Hit]:
        """`_exact_scored` as hits (scores rounded like the graph search's)."""
        return [Hit(c, round(s, 4)) for s, c in self._exact_scored(vector, k, sources)]

    def _exact_scored(
        self, vector: Sequence[float], k: int, sources: Sequence[str]
    ) -> list[Scored]:
        """Every chunk of `sources` scored by cosine similarity, best k first.

        Chroma's HNSW search with a filter walks the graph and keeps what matches: when
        the named files hold 50 of 41,000 chunks it can come back empty (seen in the
        41k-chunk test), and a trial's RAG arm would then answer with no context at all.
        """
        import numpy as np

        rows = [r for r in chroma.pages(self.collection, _only(sources), ["embeddings",
                "documents", "metadatas"])]  # fmt: skip
        ids = [i for r in rows for i in r["ids"]]
        if not ids:
            return []
        matrix = np.vstack([np.asarray(r["embeddings"], dtype=np.float32) for r in rows])
        query = np.asarray(vector, dtype=np.float32)
        norms = np.linalg.norm(matrix, axis=1) * (np.linalg.norm(query) or 1.0)
        scores = matrix @ query / np.where(norms == 0, 1.0, norms)
        texts = [t for r in rows for t in r["documents"]]
        metas = [m for r in rows for m in r["metadatas"]]
        best = np.argsort(-scores, kind="stable")[:k]
        return [(float(scores[i]), _chunk_from(ids[i], texts[i], metas[i])) for i in best]

    def all_chunks(self, limit: int | None = 5000, sources: Sequence[str] = ()) -> list[Chunk]:
        """Chunks in a stable order (by id), for Q/A generation and LoRA training data."""
        ids = sorted(chroma.all_ids(self.collection, _only(sources)))
        return self.get_chunks(ids if limit is None else ids[:limit])

    def get_chunks(self, ids: Sequence[str]) -> list[Chunk]:
        by_id = {}
        for rows in chroma.get_by_ids(self.collection, ids, ["documents", "metadatas"]):
            for i, text, meta in zip(
                rows["ids"], rows["documents"], rows["metadatas"], strict=True
            ):
                by_id[i] = _chunk_from(i, text, meta)
        return [by_id[i] for i in ids if i in by_id]

    # -- writes --------------------------------------------------------------------------

    def write_files(self, files: Sequence[FileChunks], progress: Callable[[int], None]) -> None:
        """Embed and store each file's chunks; a file counts as indexed only after its last.

        Batches span small files; vectors are computed outside the lock. On any failure
        the unfinished files are undone (as far as the store allows) and the error raised.
        """
        writer = start_writer()
        try:
            Writer(self, files, writer).run(progress)
        except BaseException:
            end_writer(writer)
            with contextlib.suppress(Exception):  # the store may still fail: next open retries
                self.recover()
            raise
        end_writer(writer)

    def recover(self) -> list[str]:
        """Undo writes cut short (killed process, full disk); returns the files undone."""
        undone = []
        with self.lock:
            for record in self.files.unfinished():
                if not abandoned(record):
                    continue
                for gone in (record.pending, record.stale):
                    if gone:
                        chroma.delete_where(self.collection, version_filter(record.source, gone))
                if record.content_hash:
                    self.files.put([replace(record, pending="", stale="", writer="")])
                else:
                    self.files.remove([record.source])
                undone.append(record.source)
        return undone

    def delete_sources(self, sources: Sequence[str]) -> None:
        """Drop every chunk and the record of these sources (a removed file)."""
        if sources:
            with self.lock:
                chroma.delete_where(self.collection, _only(sources))
                self.files.remove(list(sources))

    def clear(self) -> None:
        """Drop this chunking's index of the workspace (never called implicitly)."""
        with self.lock:
            self.store.delete_collection()
            self._client.delete_collection(self.name + ".files")


def _only(sources: Sequence[str]) -> list[dict[str, Any]] | None:
    """Chroma filters for these source files, in batches (see `chroma.any_of`); None (no
    filter at all) when none are named."""
    return chroma.any_of("source", sources) if sources else None


def _chunk_from(chunk_id: str, text: str, meta: dict[str, Any]) -> Chunk:
    return Chunk(
        id=str(meta.get("chunk_id", chunk_id)),
        text=text,
        source=str(meta.get("source", "")),
        page=int(meta.get("page", 0)),
        heading=str(meta.get("heading", "")),
        content_hash=str(meta.get("content_hash", "")),
        name=str(meta.get("name", "")),
    )


def _chunk_of(doc: Any) -> Chunk:
    return _chunk_from(str(doc.id or ""), doc.page_content, doc.metadata or {})
