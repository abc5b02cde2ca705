"""Turn uploaded files and folders into Documents and Q/A pairs, never failing as a whole.

Users drop whole folders with junk, huge scans, password-protected PDFs and odd names.
Every file gets either parsed or a Skipped entry with a reason they can act on; one bad
file never stops the rest, and nothing larger than the limits is read into memory.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import unicodedata
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field, fields, replace
from pathlib import Path, PurePath
from typing import Any

from knowledge.reading.decode import UnreadableFile
from knowledge.reading.loaders import LOADERS, QA_LOADERS, QALoad
from knowledge.types import Document, QAPair, Skipped

MB = 1024 * 1024
_UNSAFE_CHARS = re.compile(r"[^A-Za-z0-9 ._()/-]")


@dataclass(frozen=True)
class IngestLimits:
    """Upper bounds that keep one upload from exhausting memory or time on a small machine."""

    max_file_bytes: int = 50 * MB
    max_files: int = 2000
    max_total_bytes: int = 500 * MB
    max_chars_per_file: int = 5_000_000

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
            "skipped": [{"file": s.file, "reason": s.reason} for s in self.skipped],
            "unchanged": list(self.unchanged),
        }


def safe_source(name: str | PurePath) -> str:
    """A display name that cannot climb out of a folder or inject markup into HTML.

    Accents are folded to ASCII first so 'résumé.pdf' stays readable as 'resume.pdf'.
    """
    parts = re.split(r"[/\\]+", str(name))
    kept = [p.strip() for p in parts if p.strip() not in ("", ".", "..")]
    folded = unicodedata.normalize("NFKD", "/".join(kept))
    ascii_only = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return _UNSAFE_CHARS.sub("_", ascii_only) or "unnamed"


def supported_extensions() -> list[str]:
    """File types the loaders understand, for upload widgets and error messages."""
    return sorted(LOADERS)


def ingest_paths(
    paths: Sequence[str | Path],
    *,
    known_hashes: Collection[str] = (),
    limits: IngestLimits = DEFAULT_LIMITS,
) -> IngestResult:
    """Parse every supported file under `paths` (files or folders) into Documents/Q/A pairs.

    Files whose sha256 is in `known_hashes` are listed as `unchanged` and not parsed.
    """
    result = IngestResult()
    budget = _Budget(known=set(known_hashes))
    for path, name, problem in _candidates(paths):
        result.files += 1
        if problem:
            result.skipped.append(Skipped(name, problem))
        elif result.files > limits.max_files:
            result.skipped.append(Skipped(name, f"over the limit of {limits.max_files} files"))
        else:
            _ingest_one(path, name, limits, budget, result)
    return result


def _ingest_one(
    path: Path, name: str, limits: IngestLimits, budget: _Budget, result: IngestResult
) -> None:
    """Ingest one file, turning any failure into a Skipped entry (never an exception)."""
    try:
        _ingest_file(path, name, limits, budget, result)
    except UnreadableFile as exc:
        result.skipped.append(Skipped(name, str(exc)))
    except Exception as exc:  # one bad file must never stop the others
        result.skipped.append(Skipped(name, f"could not read: {_describe(exc, path, name)}"))


def _describe(exc: Exception, path: Path, name: str) -> str:
    """'Type: message' without the server-side path (which may also hold unsafe characters)."""
    message = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    return f"{type(exc).__name__}: {message.replace(str(path), name)}"


@dataclass
class _Budget:
    """Running state across files: bytes parsed so far and hashes already seen."""

    known: set[str]
    total_bytes: int = 0
    seen: dict[str, str] = field(default_factory=dict)  # sha256 -> first name with it


def _candidates(paths: Sequence[str | Path]) -> Iterator[tuple[Path, str, str]]:
    """(path, safe display name, problem or "") for every file to consider, in a stable order."""
    for given in paths:
        path = Path(given)
        if path.is_dir():
            yield from _walk(path)
        elif path.exists():
            yield path, safe_source(path.name), ""
        else:
            problem = "broken link" if path.is_symlink() else "not found"
            yield path, safe_source(path.name), problem


def _walk(root: Path) -> Iterator[tuple[Path, str, str]]:
    """Files under `root`, sorted, skipping hidden entries and flagging links out of `root`.

    Linked folders are not followed (they can loop); linked files inside `root` are read.
    """
    real_root = root.resolve()
    found: list[tuple[str, Path]] = []
    for folder, dirs, files in os.walk(root, followlinks=False):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for filename in files:
            if not filename.startswith("."):
                path = Path(folder, filename)
                found.append((path.relative_to(root).as_posix(), path))
    for relative, path in sorted(found):
        outside = path.is_symlink() and not _inside(path, real_root)
        yield path, safe_source(relative), "link points outside the folder" if outside else ""


def _inside(path: Path, real_root: Path) -> bool:
    try:
        return path.resolve(strict=True).is_relative_to(real_root)
    except OSError:  # broken or looping link
        return False


def _ingest_file(
    path: Path, name: str, limits: IngestLimits, budget: _Budget, result: IngestResult
) -> None:
    """Check, read, hash and parse one file; problems raise UnreadableFile with the reason."""
    ext = path.suffix.lower()
    if ext not in LOADERS:
        raise UnreadableFile(_unsupported(ext))
    data = _read_limited(path, limits.max_file_bytes)
    digest = hashlib.sha256(data).hexdigest()
    if digest in budget.known:
        result.unchanged.append(name)
        return
    if digest in budget.seen:
        raise UnreadableFile(f"same content as {budget.seen[digest]}")
    if budget.total_bytes + len(data) > limits.max_total_bytes:
        raise UnreadableFile(f"over the total upload limit of {_size(limits.max_total_bytes)}")
    budget.total_bytes += len(data)
    budget.seen[digest] = name
    qa_loader = QA_LOADERS.get(ext)
    qa = qa_loader(data, name) if qa_loader else None
    if qa is not None:
        _add_qa(qa, name, result)
        return
    docs = [replace(d, content_hash=digest) for d in LOADERS[ext](data, name) if d.text.strip()]
    if not docs:
        raise UnreadableFile(_no_text(ext))
    result.documents.extend(_truncate(docs, name, limits.max_chars_per_file, result.notes))


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
