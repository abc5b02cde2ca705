"""An embedder that remembers the vectors of short texts it has already embedded.

Why: a cited answer re-embeds the sentences of every retrieved chunk to pick the few
that match the question (`knowledge.retrieval.select_sentences`). The guidance notes
never change, so the same few hundred sentences were embedded again for every side
question: 0.2-0.5 s quiet, 1-3 s when five visitors and a trial share two cores, which
was most of the wait before the first words of an answer appeared.
"""

from __future__ import annotations

import threading
from array import array
from collections import OrderedDict
from collections.abc import Sequence

from assistant.core.models.base import Embedder


class CachedEmbedder:
    """Wraps an Embedder; a bounded LRU of text → vector (float32, ~1.5 KB per 384 dims)."""

    def __init__(self, inner: Embedder, max_items: int = 4096) -> None:
        self.inner = inner
        self.name, self.dim, self.max_tokens = inner.name, inner.dim, inner.max_tokens
        self.max_items = max_items
        self._vectors: OrderedDict[str, array] = OrderedDict()
        self._lock = threading.Lock()

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        with self._lock:
            known = {t: self._vectors[t] for t in texts if t in self._vectors}
            for text in known:
                self._vectors.move_to_end(text)
        missing = [t for t in dict.fromkeys(texts) if t not in known]
        fresh = {}
        if missing:  # embedded outside the lock: other callers' hits need not wait
            vectors = self.inner.embed(missing)
            fresh = {t: array("f", v) for t, v in zip(missing, vectors, strict=True)}
            with self._lock:
                self._vectors.update(fresh)
                while len(self._vectors) > self.max_items:
                    self._vectors.popitem(last=False)
        found = known | fresh
        return [found[t].tolist() for t in texts]

    def count_tokens(self, text: str) -> int:
        return self.inner.count_tokens(text)

    def __len__(self) -> int:
        return len(self._vectors)
