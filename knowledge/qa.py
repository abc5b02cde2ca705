"""Cited answers from an index: retrieve, pick the best sentences, answer only from them.

Tiny local models are weak readers: given whole chunks they drift, given the few
sentences that match the question they stay on topic. So the prompt carries only
the best-matching sentences, the answer quotes them first, and the model's summary
follows only as far as each of its sentences is grounded in them and says something
(no repeated or circular sentence). Either way the user sees where it came from.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from assistant.core.models.base import ChatModel
from knowledge.index import VectorIndex
from knowledge.retrieval import select_sentences
from knowledge.text import content_tokens, groundedness
from knowledge.types import Hit

NO_GUIDANCE = "I don't have guidance on that in my knowledge base."
SYSTEM = (
    "You answer questions using only the notes given. Answer in one to three sentences. "
    "If the notes do not answer the question, say you don't know."
)


@dataclass(frozen=True)
class Citation:
    source: str
    heading: str


@dataclass(frozen=True)
class Answer:
    text: str
    citations: list[Citation] = field(default_factory=list)
    hits: list[Hit] = field(default_factory=list)
    generated: bool = True  # False when the answer is only the quoted guidance

    def to_dict(self) -> dict[str, object]:
        return {
            "answer": self.text,
            "citations": [{"source": c.source, "heading": c.heading} for c in self.citations],
        }


@dataclass(frozen=True)
class QAConfig:
    """Retrieval and prompt budget for cited answers; small defaults suit tiny models."""

    k: int = 4
    min_score: float = 0.3
    sentences: int = 4
    max_tokens: int = 160
    temperature: float = 0.0
    min_groundedness: float = 0.6


def _citations(picked: list[tuple[str, Hit]], prefix: str) -> list[Citation]:
    seen: dict[tuple[str, str], None] = {}
    for _, hit in picked:
        seen.setdefault((prefix + hit.name, hit.chunk.heading), None)  # the user's name
    return [Citation(source, heading) for source, heading in seen]


_SENTENCE_END = re.compile(r"[.!?](?=\s)")
_COPULA = re.compile(r"\b(?:is|are|was|were|means|refers to|involves)\b", re.IGNORECASE)


def verified_prefix(text: str, notes: str, min_groundedness: float) -> str:
    """The reply's complete sentences up to the first one that is not grounded in the
    notes, or is grounded but says nothing: one whose words were all said already (a
    repeat) or one that defines a term by itself (`circular`). A tiny model's
    "fine-tuning is a process of fine-tuning a model", three times over, used only
    words of the notes and passed the grounding check.

    >>> verified_prefix("LoRA trains adapters. LoBERT made it. ", "LoRA trains adapters", 0.6)
    'LoRA trains adapters.'
    >>> verified_prefix("LoRA trains adapters. LoRA trains adapters. ", "LoRA trains adapters", 0.6)
    'LoRA trains adapters.'
    """
    shown, said = 0, set()
    while end := _SENTENCE_END.search(text, shown):
        sentence = text[shown : end.end()]
        words = set(content_tokens(sentence))
        if groundedness(sentence, notes) < min_groundedness or circular(sentence):
            break
        if not words - said:
            break  # a repeat, or no content at all
        said |= words
        shown = end.end()
    return text[:shown].strip()


def circular(sentence: str) -> bool:
    """A sentence that defines its subject by itself, so it tells the reader nothing.

    >>> circular("Fine-tuning is a process of fine-tuning a model.")
    True
    >>> circular("LoRA is a way to train small adapter matrices.")
    False
    """
    copula = _COPULA.search(sentence)
    if copula is None:
        return False
    subject = set(content_tokens(sentence[: copula.start()]))
    return bool(subject) and subject <= set(content_tokens(sentence[copula.end() :]))


def _generate(chat: ChatModel, messages, config: QAConfig, on_text, notes: str) -> str:
    """The model's reply, cut at its first unverified sentence; streamed as it is verified.

    A tiny model can write a fluent falsehood ("LoRA adapts LoBERT") before it is
    checked, and a user who watched it cannot un-read it. So each sentence is shown
    only once it is complete and grounded in the notes, and nothing after the first
    sentence that is not: what is shown is never taken back, streamed or not.
    """
    options = {"max_tokens": config.max_tokens, "temperature": config.temperature}
    if on_text is None:
        text = chat.chat(messages, **options).text
    else:
        text, shown = "", ""
        for delta in chat.stream(messages, **options):
            text += delta
            verified = verified_prefix(text, notes, config.min_groundedness)
            if verified != shown:
                shown = verified
                on_text(shown)
    return verified_prefix(text.strip() + " ", notes, config.min_groundedness)


def with_summary(quoted: str, reply: str) -> str:
    """The answer as shown: the guidance quoted first, then the model's verified summary."""
    return f"{quoted}\n\nIn short: {reply}" if reply else quoted


def answer_question(
    question: str,
    index: VectorIndex,
    chat: ChatModel,
    config: QAConfig = QAConfig(),
    source_prefix: str = "",
    on_text: Callable[[str], None] | None = None,
) -> Answer:
    """Answer from the index only, with citations; say so when nothing relevant is found.

    The answer leads with the guidance sentences themselves, shown through `on_text` as
    soon as they are found (no model needed, so well under a second even when other
    visitors' questions queue on the one chat model), then the model's summary of them,
    streamed sentence by sentence as each one is verified against them.
    """
    hits = [h for h in index.search(question, config.k) if h.score >= config.min_score]
    picked = select_sentences(question, hits, index.short_texts, config.sentences)
    return answer_from(question, picked, hits, chat, config, source_prefix, on_text)


def answer_from(
    question: str,
    picked: list[tuple[str, Hit]],
    hits: list[Hit],
    chat: ChatModel,
    config: QAConfig = QAConfig(),
    source_prefix: str = "",
    on_text: Callable[[str], None] | None = None,
) -> Answer:
    """The cited answer from sentences already picked, however they were found: the
    quotes first, then the model's verified summary of them."""
    if not picked:
        return Answer(NO_GUIDANCE, [], hits, generated=False)
    quoted = "From the guidance: " + " ".join(sentence for sentence, _ in picked)
    if on_text is not None:
        on_text(quoted)
    notes = "\n".join(f"- {sentence}" for sentence, _ in picked)
    messages = [
        {"role": "system", "content": SYSTEM},
        {"role": "user", "content": f"Notes:\n{notes}\n\nQuestion: {question}"},
    ]
    stream_to = None if on_text is None else (lambda shown: on_text(with_summary(quoted, shown)))
    reply = _generate(chat, messages, config, stream_to, notes)
    return Answer(with_summary(quoted, reply), _citations(picked, source_prefix), hits, bool(reply))
