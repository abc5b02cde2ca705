"""The short-text embedding cache: same vectors, fewer model calls, bounded memory."""

from __future__ import annotations

import pytest

from assistant.core.models.cached import CachedEmbedder
from tests.fakes import HashEmbedder


def test_vectors_are_the_inner_ones_and_repeats_are_not_embedded_again():
    inner = HashEmbedder()
    cached = CachedEmbedder(inner)
    texts = ["LoRA needs examples.", "RAG needs documents.", "LoRA needs examples."]
    first = cached.embed(texts)
    assert first == [pytest.approx(v, abs=1e-6) for v in inner.embed(texts)]
    assert inner.texts_embedded == 2 + 3  # the duplicate was embedded once by the cache
    before = inner.texts_embedded
    assert cached.embed(["RAG needs documents.", "New sentence."])[0] == first[1]
    assert inner.texts_embedded == before + 1  # only the new sentence
    assert (cached.name, cached.dim, cached.max_tokens) == (inner.name, inner.dim, 256)


def test_the_cache_forgets_the_least_recently_used_beyond_its_size():
    inner = HashEmbedder()
    cached = CachedEmbedder(inner, max_items=2)
    cached.embed(["a one", "b two"])
    cached.embed(["a one"])  # a is now the most recently used
    cached.embed(["c three"])  # evicts b
    assert len(cached) == 2
    before = inner.texts_embedded
    cached.embed(["a one"])
    assert inner.texts_embedded == before
    cached.embed(["b two"])
    assert inner.texts_embedded == before + 1


def test_empty_input_asks_nothing():
    inner = HashEmbedder()
    assert CachedEmbedder(inner).embed([]) == []
    assert inner.calls == 0
