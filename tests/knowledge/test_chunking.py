"""Chunking: token-bounded pieces, stable ids, Markdown headings carried along."""

from __future__ import annotations

import pytest

from knowledge.chunking import ChunkConfig, chunk_documents, markdown_sections
from knowledge.types import Document
from tests.fakes import HashEmbedder

COUNT = HashEmbedder().count_tokens


def _doc(text: str, source: str = "notes.txt", digest: str = "abc") -> Document:
    return Document(text=text, source=source, page=1, content_hash=digest)


def test_chunks_respect_the_token_budget_and_cover_the_text():
    words = [f"word{i}" for i in range(500)]
    text = ". ".join(" ".join(words[i : i + 10]) for i in range(0, 500, 10))
    chunks = chunk_documents([_doc(text)], ChunkConfig(50, 10), COUNT)
    assert len(chunks) > 10
    assert all(COUNT(c.text) <= 50 for c in chunks)
    joined = " ".join(c.text for c in chunks)
    assert all(w in joined for w in ("word0", "word250", "word499"))


def test_neighbouring_chunks_overlap():
    text = " ".join(f"w{i}" for i in range(300))
    first, second = chunk_documents([_doc(text)], ChunkConfig(40, 10), COUNT)[:2]
    assert set(first.text.split()[-5:]) & set(second.text.split())


def test_ids_are_stable_and_change_with_the_content():
    text = "Alpha beta gamma. " * 40
    one = chunk_documents([_doc(text)], ChunkConfig(30, 5), COUNT)
    two = chunk_documents([_doc(text)], ChunkConfig(30, 5), COUNT)
    assert [c.id for c in one] == [c.id for c in two]
    assert len({c.id for c in one}) == len(one)
    other = chunk_documents([_doc(text, digest="changed")], ChunkConfig(30, 5), COUNT)
    assert {c.id for c in other}.isdisjoint({c.id for c in one})


def test_markdown_is_split_at_headings_and_keeps_them():
    text = "# Guide\nIntro text here.\n## Costs\nRAG takes weeks.\n## LoRA\nRank sixteen first."
    chunks = chunk_documents([_doc(text, "guide.md")], ChunkConfig(100, 10), COUNT)
    assert [(c.heading, c.text) for c in chunks] == [
        ("Guide", "Intro text here."),
        ("Costs", "RAG takes weeks."),
        ("LoRA", "Rank sixteen first."),
    ]


def test_plain_text_is_not_split_at_hash_lines():
    chunks = chunk_documents([_doc("# not a heading in a txt\nbody")], ChunkConfig(100, 0), COUNT)
    assert len(chunks) == 1 and chunks[0].heading == ""


def test_markdown_sections_ignore_empty_bodies():
    assert markdown_sections("# A\n## B\ntext\n") == [("B", "text")]


@pytest.mark.parametrize("size, overlap", [(0, 0), (10, 10), (10, -1)])
def test_bad_config_is_rejected(size, overlap):
    with pytest.raises(ValueError, match="chunk_overlap"):
        ChunkConfig(size, overlap)
