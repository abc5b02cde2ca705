"""A search limited to some files finds their chunks even when the graph search misses."""

from __future__ import annotations

from knowledge.chunking import ChunkConfig
from knowledge.index import VectorIndex, index_paths
from tests.fakes import HashEmbedder


def build(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "bulk.txt").write_text("\n".join(f"bulk line {i} about cargo" for i in range(300)))
    (docs / "late.txt").write_text("Late item 7 ships from dock 7.\nLate item 8 waits.\n")
    index = VectorIndex("filtered", HashEmbedder(dim=8), ChunkConfig(10, 0), tmp_path / "c")
    index_paths([docs], index)
    return index


def test_the_exact_pass_ranks_the_named_files_like_the_graph_does(tmp_path):
    index = build(tmp_path)
    vector = index.short_texts.embed(["late item 7 ships from dock 7"])[0]
    exact = index._exact(vector, 2, ["late.txt"])
    graph = index.search("late item 7 ships from dock 7", k=2, sources=["late.txt"])
    assert exact and all(h.source == "late.txt" for h in exact)
    assert [h.chunk.id for h in exact] == [h.chunk.id for h in graph]
    assert [h.score for h in exact] == [round(h.score, 4) for h in graph]


def test_a_short_graph_answer_is_completed_by_the_exact_pass(tmp_path, monkeypatch):
    index = build(tmp_path)
    monkeypatch.setattr(  # the graph search finding nothing, as it did at 41,000 chunks
        index.store, "similarity_search_by_vector_with_relevance_scores", lambda *a, **k: []
    )
    [hit] = index.search("late item 7 ships from dock 7", k=1, sources=["late.txt"])
    assert hit.source == "late.txt" and "dock 7" in hit.text
    assert index.search("late item", k=1) == []  # no files named: the graph's word stands
