"""The built-in guidance base: our own Markdown notes, indexed on first use.

The files in `knowledge/guidance/` are the assistant's knowledge. They are indexed
into the `guidance` workspace the first time they are needed and re-indexed when a
file changes (same content hash → nothing is re-embedded); a deleted file's chunks
are removed.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from assistant.core.models.base import ChatModel, Embedder
from assistant.core.settings import Settings
from knowledge.index import IndexReport, VectorIndex, index_paths, open_index
from knowledge.qa import Answer, QAConfig, answer_from, answer_question
from knowledge.retrieval import split_sentences

GUIDANCE_DIR = Path(__file__).resolve().parent  # the notes sit beside this module
GUIDANCE_WORKSPACE = "guidance"
SOURCE_PREFIX = "knowledge/guidance/"


def guidance_files() -> list[Path]:
    return sorted(GUIDANCE_DIR.glob("*.md"))


def sync_guidance(index: VectorIndex) -> IndexReport:
    """Bring the guidance index up to date with the files on disk."""
    report = index_paths(guidance_files(), index)
    present = {p.name for p in guidance_files()}
    gone = [source for source in index.sources() if source not in present]
    index.delete_sources(gone)
    return report


def open_guidance(settings: Settings, embedder: Embedder) -> VectorIndex:
    """The guidance index, synced with the files (cheap when nothing changed)."""
    index = open_index(GUIDANCE_WORKSPACE, settings, embedder)
    sync_guidance(index)
    return index


def warm_sentences(index: VectorIndex) -> int:
    """Embed every guidance sentence into the index's cache; returns how many.

    About 400 sentences, ~3 s on 2 cores, paid once in the background instead of
    0.2-0.5 s inside each of the first side questions.
    """
    sentences = [s for chunk in index.all_chunks() for s in split_sentences(chunk.text)]
    index.short_texts.embed(sentences)
    return len(sentences)


def ask_guidance(
    question: str,
    index: VectorIndex,
    chat: ChatModel,
    config: QAConfig = QAConfig(),
    on_text: Callable[[str], None] | None = None,
) -> Answer:
    """A cited answer from the guidance base; citations name knowledge/guidance/<file>."""
    return answer_question(question, index, chat, config, SOURCE_PREFIX, on_text)


@lru_cache(maxsize=1)
def _sentences() -> list:
    """The guidance files' sentences for the word-overlap picker (read once: they ship
    with the code and change only with it)."""
    from knowledge.lexical import sections, sentence_table

    return sentence_table([c for path in guidance_files() for c in sections(path)])


def quick_guidance(
    question: str,
    chat: ChatModel,
    config: QAConfig = QAConfig(),
    on_text: Callable[[str], None] | None = None,
) -> Answer:
    """A cited answer whose quotes are picked by shared words, with no embedder or index:
    what a side question gets while they are still loading after a cold start."""
    from knowledge.lexical import pick

    picked = pick(question, _sentences(), config.sentences)
    return answer_from(question, picked, [], chat, config, SOURCE_PREFIX, on_text)
