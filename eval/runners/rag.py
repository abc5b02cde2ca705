"""RAG: retrieve top-k chunks from the workspace index, answer from the best sentences.

Context selection is where a tiny model's RAG quality is won: three whole chunks
drown it, the few sentences that best match the question keep it on target. The
retrieved chunks (for recall@k) and the exact context (for groundedness) are kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eval.runners.context import (
    KnowledgeContext,
    Prompt,
    TrialOutput,
    answer_each,
    question_messages,
)
from knowledge.retrieval import select_sentences


def build_context(ctx: KnowledgeContext, question: str) -> tuple[str, list[dict]]:
    """(context text, retrieved chunk records) for one question."""
    hits = ctx.index.search(question, ctx.config.retrieval.top_k, ctx.sources)
    retrieval = ctx.config.retrieval
    picked = select_sentences(
        question, hits, ctx.index.short_texts, retrieval.context_sentences,
        retrieval.context_relevance,
    )  # fmt: skip
    context = "\n".join(sentence for sentence, _ in picked)
    retrieved = [
        {"id": h.chunk.id, "source": h.source, "page": h.page, "score": h.score, "text": h.text}
        for h in hits
    ]
    return context, retrieved


def rag_prompt(ctx: KnowledgeContext, pair: Any) -> Prompt:
    """The question with the best sentences of its top-k chunks as context."""
    context, retrieved = build_context(ctx, pair.question)
    return Prompt(question_messages(pair.question, context), context, retrieved)


def run_rag(ctx: KnowledgeContext, heldout: Sequence[Any]) -> TrialOutput:
    items = answer_each(ctx, heldout, "RAG answers", lambda p: rag_prompt(ctx, p))
    return TrialOutput(items)
