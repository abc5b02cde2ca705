"""LoRA on documents: an adapter trained on the train split's Q/A pairs plus document
chunks as plain text (knowledge injection), then asked without retrieval.

A short CPU run usually learns the answer *format* but not the facts; the scores show
that honestly. `rag+lora` reuses the same adapter and adds retrieval.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

from eval.runners.context import (
    ANSWER_SYSTEM,
    KnowledgeContext,
    Prompt,
    TrialOutput,
    question_messages,
)
from eval.runners.lora.arm import adapter_arm
from eval.runners.lora.load import Examples
from eval.runners.lora.train import chat_example, text_example
from eval.runners.rag import rag_prompt


def knowledge_examples(ctx: KnowledgeContext, tokenizer: Any) -> Examples:
    """Q/A pairs in the trial's answer prompt plus up to `doc_chunks` chunks as text."""
    cfg = ctx.config.lora
    rng = random.Random(ctx.config.seed)
    docs = list(ctx.chunks)
    rng.shuffle(docs)
    examples = [
        chat_example(tokenizer, ANSWER_SYSTEM, p.question, p.answer, cfg.max_length)
        for p in ctx.train
    ]
    examples += [text_example(tokenizer, c.text, cfg.max_length) for c in docs[: cfg.doc_chunks]]
    rng.shuffle(examples)
    return examples


def run_lora(ctx: KnowledgeContext, heldout: Sequence[Any]) -> TrialOutput:
    def prompt(pair: Any) -> Prompt:
        return Prompt(question_messages(pair.question))

    return adapter_arm(ctx, heldout, lambda tok: knowledge_examples(ctx, tok), prompt)


def run_rag_lora(ctx: KnowledgeContext, heldout: Sequence[Any]) -> TrialOutput:
    return adapter_arm(
        ctx, heldout, lambda tok: knowledge_examples(ctx, tok), lambda p: rag_prompt(ctx, p),
        "RAG+LoRA answers",
    )  # fmt: skip
