"""Reads, searches and deletes limited to more files than one Chroma filter may name.

A `$in` over 32,767+ file names failed in embedded Chroma ("too many SQL variables"), so
a trial whose documents covered that many files could not list or search them. Filters
now go in batches of `chroma.IN_BATCH` names; here the batch is 3 names, so a handful of
files takes the batched paths, and each answer must equal the one unbatched call's.
The slow test does the same at 34,000 real file names with the real batch size.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pytest

from knowledge import chroma
from knowledge.chunking import ChunkConfig
from knowledge.file_table import FileRecord
from knowledge.index import VectorIndex
from tests.fakes import HashEmbedder

QUERY = "which dock ships the late cargo"
DIM = 8


class Recording:
    """A collection that forwards every call and keeps each `get`/`query` filter seen."""

    def __init__(self, collection: Any) -> None:
        self._inner = collection
        self.filters: list[dict | None] = []

    def get(self, *args: Any, **kwargs: Any) -> Any:
        self.filters.append(kwargs.get("where"))
        return self._inner.get(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


def open_index(tmp_path, name: str = "many") -> VectorIndex:
    return VectorIndex(name, HashEmbedder(dim=DIM), ChunkConfig(10, 0), tmp_path / "chroma")


def fill(
    index: VectorIndex,
    files: int,
    per_file: Sequence[int] = (3,),
    far: Sequence[str] = (),
    seed: int = 7,
) -> list[str]:
    """`files` sources with random vectors given directly (nothing embedded); the sources
    in `far` lie in the half facing away from QUERY, the others in the half facing it, so
    an unfiltered search meets the far ones only after every other chunk."""
    rng = np.random.default_rng(seed)
    toward = np.asarray(index.short_texts.embed([QUERY])[0], dtype=np.float32)
    toward /= np.linalg.norm(toward)
    names = [f"doc{n:05d}.txt" for n in range(files)]
    far_set = set(far)
    ids, vectors, metas, records = [], [], [], []
    for n, name in enumerate(names):
        count = per_file[n % len(per_file)]
        records.append(FileRecord(name, name, f"h{n}", chunks=count))
        for c in range(count):
            vector = rng.normal(size=DIM).astype(np.float32)
            if (vector @ toward > 0) == (name in far_set):  # mirrored to its own half
                vector -= 2 * (vector @ toward) * toward
            vectors.append(vector)
            ids.append(f"{name}#{c}")
            metas.append({"source": name, "name": name, "chunk_id": ids[-1],
                          "content_hash": f"h{n}", "page": 0, "heading": ""})  # fmt: skip
    for start in range(0, len(ids), 5_000):
        stop = start + 5_000
        index.collection.add(
            ids=ids[start:stop], embeddings=[v.tolist() for v in vectors[start:stop]],
            documents=[f"text of {i}" for i in ids[start:stop]], metadatas=metas[start:stop],
        )  # fmt: skip
    index.files.put(records)
    return names


def unbatched(monkeypatch, call):
    """`call()` with one filter for every name, as before batching."""
    with monkeypatch.context() as m:
        m.setattr(chroma, "IN_BATCH", 10**9)
        return call()


def ids_of(hits) -> list[str]:
    return [h.chunk.id for h in hits]


def test_any_of_splits_names_into_disjoint_sorted_batches(monkeypatch):
    monkeypatch.setattr(chroma, "IN_BATCH", 3)
    batches = chroma.any_of("source", ["e", "a", "d", "b", "a", "c", "g", "f"])
    assert [b["source"]["$in"] for b in batches] == [["a", "b", "c"], ["d", "e", "f"], ["g"]]
    assert chroma.any_of("source", []) == []


@pytest.mark.parametrize("case", ["most files", "far files"])
def test_a_search_over_more_files_than_a_batch_matches_the_unbatched_top_k(
    tmp_path, monkeypatch, case
):
    index = open_index(tmp_path)
    far = [f"doc{n:05d}.txt" for n in range(0, 30, 4)]  # 8 files, 24 chunks
    names = fill(index, 30, far=far)
    sources = names[:25] if case == "most files" else far
    expected = unbatched(monkeypatch, lambda: index.search(QUERY, k=5, sources=sources))

    monkeypatch.setattr(chroma, "IN_BATCH", 3)
    graph = index._graph
    seen: list[dict | None] = []
    monkeypatch.setattr(
        index, "_graph", lambda v, n, where: seen.append(where) or graph(v, n, where)
    )
    hits = index.search(QUERY, k=5, sources=sources)

    assert len(hits) == 5 and {h.source for h in hits} <= set(sources)
    assert ids_of(hits) == ids_of(expected)
    assert [h.score for h in hits] == [h.score for h in expected]
    filtered = [w for w in seen if w is not None]
    if case == "most files":  # the unfiltered search found 5 of them at once
        assert seen == [None]
    else:  # none among the nearest 8k: one filtered search per batch of 3
        assert len(filtered) == 3 and all(len(w["source"]["$in"]) <= 3 for w in filtered)


def test_a_search_over_files_with_fewer_chunks_than_k_returns_them_all(tmp_path, monkeypatch):
    index = open_index(tmp_path)
    names = fill(index, 30, per_file=(1,))
    monkeypatch.setattr(chroma, "IN_BATCH", 3)
    hits = index.search(QUERY, k=10, sources=names[:7])
    assert sorted(h.source for h in hits) == names[:7]
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_all_chunks_of_more_files_than_a_batch_reads_each_batch(tmp_path, monkeypatch):
    index = open_index(tmp_path)
    names = fill(index, 30, per_file=(1, 2, 3))
    sources = names[3:20]
    expected = unbatched(monkeypatch, lambda: index.all_chunks(limit=None, sources=sources))

    monkeypatch.setattr(chroma, "IN_BATCH", 3)
    index.collection = Recording(index.collection)
    chunks = index.all_chunks(limit=None, sources=sources)

    assert chunks == expected and {c.source for c in chunks} == set(sources)
    assert len(chunks) == sum((1, 2, 3)[n % 3] for n in range(3, 20))
    batches = [w["source"]["$in"] for w in index.collection.filters if w]
    assert len(batches) == 6 and all(len(b) <= 3 for b in batches)
    assert sorted(n for b in batches for n in b) == sorted(sources)


def test_delete_sources_of_more_files_than_a_batch_removes_exactly_those(tmp_path, monkeypatch):
    index = open_index(tmp_path)
    names = fill(index, 30)
    doomed, kept = names[::3], [n for i, n in enumerate(names) if i % 3]
    monkeypatch.setattr(chroma, "IN_BATCH", 3)
    index.delete_sources(doomed)

    assert index.count() == 3 * len(kept)
    assert {c.source for c in index.all_chunks(limit=None)} == set(kept)
    assert sorted(index.sources()) == kept


def test_a_file_table_takes_more_records_than_chroma_writes_at_once(tmp_path):
    index = open_index(tmp_path)
    records = [FileRecord(f"f{n:05d}.txt", content_hash="h") for n in range(6_000)]
    index.files.put(records)  # one upsert of 6,000 failed: Chroma's limit is 5,461
    assert len(index.files.all()) == 6_000


def test_the_drill_copies_the_chunks_of_more_files_than_a_batch(tmp_path, monkeypatch):
    from eval.drill.arms import copy_chunks

    source = open_index(tmp_path, "from")
    names = fill(source, 30, per_file=(1, 2))
    target = open_index(tmp_path, "to")
    monkeypatch.setattr(chroma, "IN_BATCH", 3)
    copied = copy_chunks(source, target, names[5:15])

    assert copied == target.count() == 15
    assert target.all_chunks(limit=None) == source.all_chunks(limit=None, sources=names[5:15])
    assert sorted(target.sources()) == names[5:15]


@pytest.mark.slow
def test_34000_files_are_searched_listed_and_deleted_with_every_name(tmp_path):
    """The outside probe's shape: 34,000 file records and 40,000 chunks, given vectors."""
    index = open_index(tmp_path)
    names = [f"doc{n:05d}.txt" for n in range(34_000)]
    far = names[:33_000]  # past SQLite's 32,766 variables on their own
    fill(index, 34_000, per_file=(1,) * 14 + (2,) * 3, far=far)
    assert index.count() == 40_000 and len(index.sources()) == 34_000

    everything = index.search(QUERY, k=5, sources=names)
    assert ids_of(everything) == ids_of(index.search(QUERY, k=5))
    hits = index.search(QUERY, k=5, sources=far)  # none among the unfiltered nearest
    assert len(hits) == 5 and {h.source for h in hits} <= set(far)
    exact = index._exact(index.short_texts.embed([QUERY])[0], 5, far)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    # Each batch's graph search is approximate, as one filtered search over every name
    # would be: in one run 2 of the 33 batches missed their own nearest chunk.
    assert len(set(ids_of(hits)) & set(ids_of(exact))) >= 4

    chunks = index.all_chunks(limit=None, sources=far)
    assert len(chunks) == sum(1 + (n % 17 >= 14) for n in range(33_000))
    assert {c.source for c in chunks} == set(far)
    assert len(index.all_chunks(limit=None, sources=names)) == 40_000

    index.delete_sources(far)
    assert index.count() == 40_000 - len(chunks)
    assert sorted(index.sources()) == names[33_000:]
    assert {c.source for c in index.all_chunks(limit=None)} == set(names[33_000:])
