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
    answer_each,
    question_messages,
)
from eval.runners.lora.load import (
    Examples,
    adapter_status,
    peak_memory_mb,
    probe_forgetting,
    train_adapter,
)
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
    adapter = train_adapter(ctx, lambda tok: knowledge_examples(ctx, tok))

    def prompt(pair: Any) -> Prompt:
        return Prompt(question_messages(pair.question))

    items = answer_each(ctx, heldout, "LoRA answers", prompt, adapter.engine)
    # The adapter's gain is read against this engine with the adapter off, so a
    # difference between llama.cpp and transformers is never credited to fine-tuning.
    with adapter.model.disable_adapter():
        base_items = answer_each(ctx, heldout, "base model, same engine", prompt, adapter.engine)
    extra = adapter.extra | probe_forgetting(ctx, adapter) | {"peak_memory_mb": peak_memory_mb()}
    status, note = adapter_status(ctx, adapter)
    control = TrialOutput(base_items, {"device": extra["device"]})
    return TrialOutput(items, extra, status, note, control=control)


def run_rag_lora(ctx: KnowledgeContext, heldout: Sequence[Any]) -> TrialOutput:
    adapter = train_adapter(ctx, lambda tok: knowledge_examples(ctx, tok))
    items = answer_each(
        ctx, heldout, "RAG+LoRA answers", lambda p: rag_prompt(ctx, p), adapter.engine
    )
    keep = ("train_seconds", "steps", "adapter_mb", "trainable_share", "device")
    status, note = adapter_status(ctx, adapter)
    return TrialOutput(items, {k: adapter.extra[k] for k in keep}, status, note)
