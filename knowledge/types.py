"""Plain dataclasses shared by ingestion, chunking, the index and the trials.

They are our own types so that no LangChain or Chroma object leaks past the
thin adapters that talk to those libraries.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Document:
    """One unit of parsed text: a PDF page, a whole DOCX/TXT/MD/HTML file, or a CSV/JSONL row group.

    `page` is 1-based for paged formats and 0 where pages do not exist.
    `content_hash` is the sha256 of the *file's bytes*, so an unchanged file can be
    recognised without parsing it again. `source` is the file's key (unique, safe to
    print); `name` the name the user gave it, for citations ('' means the same as source).
    """

    text: str
    source: str
    page: int = 0
    content_hash: str = ""
    metadata: dict[str, str] = field(default_factory=dict)
    name: str = ""


@dataclass(frozen=True)
class QAPair:
    """A question with its reference answer, from a user's Q/A file or generated."""

    question: str
    answer: str
    id: str = ""
    source: str = ""


@dataclass(frozen=True)
class Skipped:
    """A file that was not ingested, with a reason a user can act on.

    `file` is the file's key (as in Document.source), `name` the name the user gave it.
    """

    file: str
    reason: str
    name: str = ""

    @property
    def shown(self) -> str:
        return self.name or self.file


@dataclass(frozen=True)
class Chunk:
    """A piece of a document sized for the embedder; `id` is stable across runs."""

    id: str
    text: str
    source: str
    page: int = 0
    heading: str = ""
    content_hash: str = ""
    name: str = ""  # the file's name as the user gave it; '' means the same as source


@dataclass(frozen=True)
class Hit:
    """A retrieved chunk with its similarity score (higher is better, 0..1)."""

    chunk: Chunk
    score: float

    @property
    def text(self) -> str:
        return self.chunk.text

    @property
    def source(self) -> str:
        return self.chunk.source

    @property
    def page(self) -> int:
        return self.chunk.page

    @property
    def name(self) -> str:
        """The file's name as the user gave it: what a citation shows."""
        return self.chunk.name or self.chunk.source
