"""A workspace past 40,000 chunks keeps working: ingest, list, search, replace, delete.

At 32,767+ chunks embedded Chroma refused `VectorIndex.sources()` ("too many SQL
variables"): it read every chunk's metadata in one `get()`, and every later ingest of that
workspace failed. Tiny vectors from a deterministic fake keep this to a minute or two.
"""

from __future__ import annotations

import pytest

from knowledge.chunking import ChunkConfig
from knowledge.index import VectorIndex, index_paths
from knowledge.reading.ingest import IngestLimits
from tests.fakes import HashEmbedder

LIMITS = IngestLimits(max_chunks=100_000)


def lines(tag: str, n: int) -> str:
    """n paragraphs that each make one chunk at chunk size 10."""
    return "\n\n".join(f"{tag} item {i} ships from dock {i % 97}." for i in range(n))


@pytest.mark.slow
def test_a_workspace_past_40000_chunks_ingests_lists_and_searches(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "big.txt").write_text(lines("bulk", 33_000))  # one source past the SQL limit
    for n in range(8):
        (docs / f"part{n}.txt").write_text(lines(f"part{n}", 1_000))
    index = VectorIndex("large", HashEmbedder(dim=8), ChunkConfig(10, 0), tmp_path / "chroma")
    first = index_paths([docs], index, limits=LIMITS)
    assert first.chunks == index.count() > 40_000

    (docs / "late.txt").write_text(lines("late", 50))  # the ingest that used to fail
    second = index_paths([docs], index, limits=LIMITS)
    assert second.chunks == 50 and len(second.ingest.unchanged) == 9
    assert len(index.sources()) == 10 and index.names()["big.txt"] == "big.txt"

    [hit] = index.search("late item 7 ships from dock 7", k=1, sources=["late.txt"])
    assert hit.source == "late.txt"
    assert len(index.all_chunks(limit=None)) == index.count() == first.chunks + 50

    (docs / "big.txt").write_text(lines("bulk v2", 33_000))  # replacing 33,000 chunks
    third = index_paths([docs], index, limits=LIMITS)
    assert third.replaced == ["big.txt"] and index.count() == first.chunks + 50
    index.delete_sources(["big.txt"])
    assert index.count() == 8_050 and "big.txt" not in index.sources()
