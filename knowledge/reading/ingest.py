"""Turn uploaded files and folders into Documents and Q/A pairs, never failing as a whole.

Users drop whole folders with junk, huge scans, password-protected PDFs and odd names.
Every file gets either parsed or a Skipped entry with a reason they can act on; one bad
file never stops the rest, and nothing larger than the limits is read into memory.
"""

from __future__ import annotations

import hashlib
import stat
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from knowledge.reading.decode import UnreadableFile, decode, describe_nul_lines
from knowledge.reading.junk import junk_reason, remove_encoded
from knowledge.reading.loaders import LOADERS, QA_LOADERS, QALoad
from knowledge.reading.names import safe_source
from knowledge.reading.walk import Candidate, candidates
from knowledge.types import Document, QAPair, Skipped

__all__ = ["DEFAULT_LIMITS", "IngestLimits", "IngestResult", "ingest_paths", "safe_source"]

MB = 1024 * 1024
BINARY_FORMATS = frozenset({".pdf", ".docx"})  # NUL bytes are normal inside these


@dataclass(frozen=True)
class IngestLimits:
    """Upper bounds that keep one upload from exhausting memory or time on a small machine."""

    max_file_bytes: int = 50 * MB
    max_files: int = 2000
    max_total_bytes: int = 500 * MB
    max_chars_per_file: int = 5_000_000
    # Embedding is the slow part: ~8 chunks a second on 2 cores with the default model.
    max_chunks: int = 5_000

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
                raise ValueError(f"{f.name} must be a positive integer, got {value!r}")


DEFAULT_LIMITS = IngestLimits()


@dataclass
class IngestResult:
    """Everything an upload produced, including what was skipped and why."""

    documents: list[Document] = field(default_factory=list)
    qa_pairs: list[QAPair] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)  # already indexed: not parsed again
    files: int = 0
    notes: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        """JSON-ready counts and reasons for the UI and the API."""
        return {
            "files": self.files,
            "documents": len(self.documents),
            "qa_pairs": len(self.qa_pairs),
            "skipped": [{"file": s.shown, "reason": s.reason} for s in self.skipped],
            "unchanged": list(self.unchanged),
        }


def supported_extensions() -> list[str]:
    """File types the loaders understand, for upload widgets and error messages."""
    return sorted(LOADERS)


def ingest_paths(
    paths: Sequence[str | Path],
    *,
    indexed: Mapping[str, str] | None = None,
    limits: IngestLimits = DEFAULT_LIMITS,
) -> IngestResult:
    """Parse every supported file under `paths` (files or folders) into Documents/Q/A pairs.

    `indexed` maps files already indexed to their sha256: a file with the same key and
    the same bytes is listed as `unchanged` and not parsed.
    """
    result = IngestResult()
    budget = _Budget(known=dict(indexed or {}))
    for found in candidates(paths):
        result.files += 1
        if found.problem:
            result.skipped.append(Skipped(found.source, found.problem, found.name))
        elif result.files > limits.max_files:
            reason = f"over the limit of {limits.max_files} files"
            result.skipped.append(Skipped(found.source, reason, found.name))
        else:
            _ingest_one(found, limits, budget, result)
    return result


def _ingest_one(
    found: Candidate, limits: IngestLimits, budget: _Budget, result: IngestResult
) -> None:
    """Ingest one file, turning any failure into a Skipped entry (never an exception)."""
    try:
        _ingest_file(found, limits, budget, result)
    except UnreadableFile as exc:
        result.skipped.append(Skipped(found.source, str(exc), found.name))
    except Exception as exc:  # one bad file must never stop the others
        reason = f"could not read: {_describe(exc, found.path, found.source)}"
        result.skipped.append(Skipped(found.source, reason, found.name))


def _describe(exc: Exception, path: Path, name: str) -> str:
    """'Type: message' without the server-side path (which may also hold unsafe characters)."""
    message = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    return f"{type(exc).__name__}: {message.replace(str(path), name)}"


@dataclass
class _Budget:
    """Running state across files: bytes parsed so far and hashes already seen."""

    known: dict[str, str]  # key -> sha256 of what is indexed under it
    total_bytes: int = 0
    seen: dict[str, str] = field(default_factory=dict)  # sha256 -> first name with it


def _ingest_file(
    found: Candidate, limits: IngestLimits, budget: _Budget, result: IngestResult
) -> None:
    """Check, read, hash and parse one file; problems raise UnreadableFile with the reason."""
    key, name = found.source, found.name
    ext = found.path.suffix.lower()
    if ext not in LOADERS:
        raise UnreadableFile(_unsupported(ext))
    data = _read_limited(found.path, limits.max_file_bytes)
    digest = hashlib.sha256(data).hexdigest()
    if budget.known.get(key) == digest:
        result.unchanged.append(key)
        return
    if digest in budget.seen:
        raise UnreadableFile(f"same content as {budget.seen[digest]}")
    if budget.total_bytes + len(data) > limits.max_total_bytes:
        raise UnreadableFile(f"over the total upload limit of {_size(limits.max_total_bytes)}")
    budget.total_bytes += len(data)
    budget.seen[digest] = name
    data = _without_nul_lines(data, ext, name, result.notes)
    qa_loader = QA_LOADERS.get(ext)
    qa = qa_loader(data, key) if qa_loader else None
    if qa is not None:
        _add_qa(qa, name, result)
        return
    docs = [d for d in LOADERS[ext](data, key) if d.text.strip()]
    if not docs:
        raise UnreadableFile(_no_text(ext))
    docs = _without_encoded(docs, name, result.notes)
    docs = [replace(d, content_hash=digest, name=name) for d in docs]
    result.documents.extend(_truncate(docs, name, limits.max_chars_per_file, result.notes))


def _without_nul_lines(data: bytes, ext: str, name: str, notes: list[str]) -> bytes:
    """A text file's bytes with the lines that hold a NUL byte emptied, and a note naming them.

    One damaged line must not cost the whole file; the loaders then read clean UTF-8.
    PDF and DOCX are binary formats, where NUL bytes are normal.
    """
    if ext in BINARY_FORMATS or b"\x00" not in data:
        return data
    decoded = decode(data)  # UTF-16 has NULs too; binary data raises here
    if not decoded.nul_lines:
        return data
    notes.append(f"{name}: {describe_nul_lines(decoded.nul_lines)}")
    return decoded.text.encode("utf-8")


def _without_encoded(docs: list[Document], name: str, notes: list[str]) -> list[Document]:
    """The documents with base64/hex runs left out; junk files raise UnreadableFile.

    Decided before anything is chunked or embedded, so junk never costs embedding time.
    """
    cleaned = [remove_encoded(d.text) for d in docs]
    reason = junk_reason(cleaned)
    if reason:
        raise UnreadableFile(reason)
    removed = sum(c.removed_chars for c in cleaned)
    if removed:
        notes.append(f"{name}: left out {removed:,} characters of encoded data (base64 or hex)")
    return [replace(d, text=c.text) for d, c in zip(docs, cleaned, strict=True) if c.text.strip()]


def _read_limited(path: Path, max_bytes: int) -> bytes:
    """The file's bytes, refusing special files and anything over `max_bytes` before reading."""
    info = path.stat()
    if not stat.S_ISREG(info.st_mode):
        raise UnreadableFile("not a regular file")
    if info.st_size == 0:
        raise UnreadableFile("empty file")
    if info.st_size > max_bytes:
        raise UnreadableFile(f"too large: {_size(info.st_size)} (limit {_size(max_bytes)})")
    with path.open("rb") as handle:
        data = handle.read(max_bytes + 1)  # the file may have grown since stat()
    if len(data) > max_bytes:
        raise UnreadableFile(f"too large: over the limit of {_size(max_bytes)}")
    if not data:
        raise UnreadableFile("empty file")
    return data


def _add_qa(qa: QALoad, name: str, result: IngestResult) -> None:
    """Keep the pairs and tell the user how many rows were dropped and why."""
    if not qa.pairs:
        drops = qa.describe_drops()
        raise UnreadableFile("Q/A file has no usable rows" + (f" ({drops})" if drops else ""))
    result.qa_pairs.extend(qa.pairs)
    if qa.describe_drops():
        result.notes.append(f"{name}: {qa.describe_drops()}")


def _truncate(docs: list[Document], name: str, max_chars: int, notes: list[str]) -> list[Document]:
    """Cut the file's text at `max_chars` so one giant file cannot swamp the index."""
    total = sum(len(d.text) for d in docs)
    if total <= max_chars:
        return docs
    kept, budget = [], max_chars
    for doc in docs:
        if budget <= 0:
            break
        kept.append(doc if len(doc.text) <= budget else replace(doc, text=doc.text[:budget]))
        budget -= len(doc.text)
    notes.append(f"{name}: text truncated to {max_chars:,} characters (file has {total:,})")
    return kept


def _unsupported(ext: str) -> str:
    hint = {".doc": " (save it as .docx or PDF)", ".xlsx": " (save it as .csv)"}.get(ext, "")
    kind = f"unsupported file type {ext}" if ext else "no file extension"
    return f"{kind}{hint}; supported: {', '.join(supported_extensions())}"


def _no_text(ext: str) -> str:
    if ext == ".pdf":
        return "no text found (a scanned PDF needs OCR, which is not supported)"
    return "no text found (the file is empty after parsing)"


def _size(n: int) -> str:
    return f"{n / MB:.1f} MB" if n >= MB else f"{n:,} bytes"
