"""Where a run's numbers came from: model names and file hashes, stored with every run.

A score is only worth something when it can be traced to the exact model file and the
exact input files that produced it; hashing is cached per (path, size, mtime) so the
same model file is not re-read for every run.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from assistant.core.models.base import ChatModel, Embedder
from assistant.core.settings import Settings

MAX_HASHED_BYTES = 200 * 1024 * 1024
MAX_FILES = 2000


@lru_cache(maxsize=8)
def _file_sha256(path: str, size: int, mtime: float) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def model_ids(settings: Settings, chat: ChatModel, embedder: Embedder) -> dict[str, Any]:
    """Which models produced the numbers, with file hashes when they are local files."""
    from assistant.core.models.registry import chat_model_path

    info: dict[str, Any] = {"chat": chat.name, "embedder": embedder.name}
    if settings.chat_backend != "openai":
        path = chat_model_path(settings)
        if path.is_file():
            stat = path.stat()
            info["chat_sha256"] = _file_sha256(str(path), stat.st_size, stat.st_mtime)
    return info


def file_records(paths: Sequence[Path]) -> list[dict[str, str]]:
    """{name, sha256} for every input file (folders walked), largest files skipped."""
    files = []
    for root in paths:
        for path in [root] if root.is_file() else sorted(root.rglob("*")):
            if path.is_file() and path.stat().st_size < MAX_HASHED_BYTES:
                stat = path.stat()
                digest = _file_sha256(str(path), stat.st_size, stat.st_mtime)
                files.append({"name": path.name, "sha256": digest})
    return files[:MAX_FILES]
