"""Split documents into embedder-sized chunks with stable ids.

Sizes are counted in the embedding model's own tokens (not characters), so a chunk
never overflows the embedder's window and silently loses its tail. Markdown is cut
at headings first, so every guidance chunk knows the heading it belongs to (that is
what citations show). LangChain's recursive splitter does the cutting.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass

from knowledge.types import Chunk, Document

HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$", re.MULTILINE)
SEPARATORS = ["\n\n", "\n", ". ", "? ", "! ", "; ", ", ", " ", ""]


@dataclass(frozen=True)
class ChunkConfig:
    """How chunks were made; each chunking of a workspace is an index of its own."""

    chunk_size: int = 200
    chunk_overlap: int = 30
    tokenizer: str = ""

    def __post_init__(self) -> None:
        if self.chunk_size < 1 or not 0 <= self.chunk_overlap < self.chunk_size:
            raise ValueError(
                f"chunk_overlap ({self.chunk_overlap}) must be >= 0 and smaller than "
                f"chunk_size ({self.chunk_size})"
            )

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def markdown_sections(text: str) -> list[tuple[str, str]]:
    """(nearest heading, body) pairs; text before any heading gets ''.

    >>> markdown_sections("# T\\nintro\\n## A\\nbody")
    [('T', 'intro'), ('A', 'body')]
    """
    sections: list[tuple[str, str]] = []
    last_end, current = 0, ""
    for match in HEADING.finditer(text):
        body = text[last_end : match.start()].strip()
        if body:
            sections.append((current, body))
        current = match.group(2).strip()
        last_end = match.end()
    tail = text[last_end:].strip()
    if tail:
        sections.append((current, tail))
    return sections


def _is_markdown(doc: Document) -> bool:
    return doc.source.lower().endswith((".md", ".markdown"))


def _splitter(config: ChunkConfig, count_tokens: Callable[[str], int]):
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    return RecursiveCharacterTextSplitter(
        chunk_size=config.chunk_size,
        chunk_overlap=config.chunk_overlap,
        length_function=count_tokens,
        separators=SEPARATORS,
        keep_separator="end",
    )


def chunk_id(doc: Document, section: int, index: int, text: str) -> str:
    """Same file (name and bytes) + same config → same id, run after run.

    The name is part of it: two files with the same bytes under different names are two
    sources, and one must not overwrite the other's chunks.
    """
    basis = f"{doc.source}|{doc.content_hash}|{doc.page}|{section}|{index}|{text}"
    return hashlib.sha256(basis.encode("utf-8")).hexdigest()[:24]


def chunk_documents(
    docs: Iterable[Document], config: ChunkConfig, count_tokens: Callable[[str], int]
) -> list[Chunk]:
    """Chunks for every document, in document order."""
    splitter = _splitter(config, count_tokens)
    chunks: list[Chunk] = []
    for doc in docs:
        sections = markdown_sections(doc.text) if _is_markdown(doc) else [("", doc.text)]
        for s_index, (heading, body) in enumerate(sections):
            for i, piece in enumerate(splitter.split_text(body)):
                text = piece.strip()
                if text:
                    chunks.append(
                        Chunk(
                            id=chunk_id(doc, s_index, i, text),
                            text=text,
                            source=doc.source,
                            page=doc.page,
                            heading=heading,
                            content_hash=doc.content_hash,
                            name=doc.name,
                        )
                    )
    return chunks
