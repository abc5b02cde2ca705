"""RAG: retrieve top-k chunks from the workspace index, answer from the best sentences.

Context selection is where a tiny model's RAG quality is won: three whole chunks
drown it, the few sentences that best match the question keep it on target. The
retrieved chunks (for recall@k) and the exact context (for groundedness) are kept.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from assistant.core.models.base import ChatResult, Message
from eval.dataset import EvalPair
from eval.runners.base import (
    ItemResult,
    TrialContext,
    TrialOutput,
    answer_all,
    item_from,
    question_messages,
)
from knowledge.retrieval import select_sentences

Generate = Callable[[list[Message], int], ChatResult]


def build_context(ctx: TrialContext, question: str) -> tuple[str, list[dict]]:
    """(context text, retrieved chunk records) for one question."""
    hits = ctx.index.search(question, ctx.config.retrieval.top_k, ctx.sources)
    picked = select_sentences(
        question, hits, ctx.index.short_texts, ctx.config.retrieval.context_sentences
    )
    context = "\n".join(sentence for sentence, _ in picked)
    retrieved = [
        {"id": h.chunk.id, "source": h.source, "page": h.page, "score": h.score, "text": h.text}
        for h in hits
    ]
    return context, retrieved


def rag_answer(ctx: TrialContext, pair: EvalPair, generate: Generate) -> ItemResult:
    context, retrieved = build_context(ctx, pair.question)
    result = generate(question_messages(pair.question, context), ctx.config.max_answer_tokens)
    return item_from(pair, result, context=context, retrieved=retrieved)


def run_rag(ctx: TrialContext, heldout: Sequence[EvalPair]) -> TrialOutput:
    def generate(messages: list[Message], max_tokens: int) -> ChatResult:
        return ctx.chat.chat(messages, max_tokens=max_tokens)

    items = answer_all(ctx, heldout, "RAG answers", lambda p: rag_answer(ctx, p, generate))
    return TrialOutput(items)
