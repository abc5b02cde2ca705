"""sentence-transformers embedder (default: the packaged all-MiniLM-L6-v2)."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

from assistant.core.models.base import ModelError


class SentenceTransformerEmbedder:
    """Unit-length embeddings; `count_tokens` uses the model's own tokenizer for chunking.

    One instance serves every visitor, and a Hugging Face fast tokenizer is not safe to
    share between threads: its padding and truncation state is set per call, so two
    uploads embedding at once got each other's padding ("expected sequence of length 179
    (got 172)"). Every use of the model and tokenizer therefore takes one lock.
    """

    def __init__(self, path: Path, device: str = "auto", batch_size: int = 32) -> None:
        from assistant.core.models.hf import resolve_device

        if not (path / "modules.json").is_file() and not (path / "config.json").is_file():
            raise ModelError(
                f"embed_model: {path} is not a sentence-transformers model folder "
                "(set ADVISOR_EMBED_MODEL to one, or leave it empty for the packaged MiniLM)"
            )
        from sentence_transformers import SentenceTransformer

        try:
            self.model = SentenceTransformer(
                str(path), device=resolve_device(device), local_files_only=True
            )
        except (OSError, ValueError) as err:
            raise ModelError(f"embed_model: could not load {path}: {err}") from None
        self.name = path.name if path.name != "model" else path.parent.name
        self.batch_size = batch_size
        self.dim = int(self.model.get_embedding_dimension())
        self.max_tokens = int(self.model.max_seq_length)
        self._lock = threading.Lock()

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        if not texts:
            return []
        with self._lock:
            vectors = self.model.encode(
                list(texts),
                batch_size=self.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        return vectors.tolist()

    def count_tokens(self, text: str) -> int:
        with self._lock:
            return len(self.model.tokenizer.encode(text, add_special_tokens=False))
