"""LoRA trial: adapt the transformers form of the chat model, then answer without retrieval.

Trained on the train split's Q/A pairs plus document chunks as plain text (knowledge
injection). A short CPU run usually learns the answer *format* but not the facts; the
scores show that honestly. `rag+lora` reuses the adapter and adds retrieval.
"""

from __future__ import annotations

import math
import resource
from collections.abc import Sequence
from typing import Any

from assistant.core.models.base import ModelError
from assistant.core.models.hf import TransformersChat, load_causal_lm
from assistant.core.models.registry import chat_model_path
from eval.dataset import EvalPair
from eval.forgetting import load_probe, probe_score
from eval.runners.base import TrialContext, TrialOutput, answer_all, item_from, question_messages
from eval.runners.lora_train import attach_lora, build_examples, save_adapter, train_lora
from eval.runners.rag import rag_answer


def _adapted_model(ctx: TrialContext) -> tuple[Any, Any, dict[str, Any]]:
    """Load, attach LoRA, train within the budget, save; cached on the context."""
    cached = getattr(ctx, "_lora_cache", None)
    if cached:
        return cached
    if ctx.settings.chat_backend == "openai":
        raise ModelError(
            "the LoRA trial needs local weights: set chat_model to a GGUF file or an HF folder"
        )
    ctx.progress("loading model for LoRA", 0, 1)
    model, tokenizer = load_causal_lm(
        chat_model_path(ctx.settings), ctx.settings.data_path / "models", ctx.settings.device
    )
    cfg = ctx.config.lora
    examples = build_examples(tokenizer, ctx.train, ctx.chunks, cfg, ctx.config.seed)
    model = attach_lora(model, cfg)
    planned = math.ceil(cfg.epochs * len(examples) / cfg.batch_size)
    report = train_lora(
        model, tokenizer, examples, cfg, seed=ctx.config.seed,
        progress=ctx.progress, cancel=ctx.cancel, steps=planned,
    )  # fmt: skip
    adapter_mb = save_adapter(model, ctx.run_dir / "adapter")
    extra = {
        "train_seconds": round(report.seconds, 1),
        "steps": report.steps,
        "train_examples": report.examples,
        "stopped_by": report.stopped_by,
        "trainable_share": round(report.trainable_share, 5),
        "trainable_params": report.trainable_params,
        "adapter_mb": adapter_mb,
        "loss_curve": report.losses,
        "loss_first": report.losses[0] if report.losses else None,
        "loss_last": report.losses[-1] if report.losses else None,
        "device": report.device,
        "adapter_path": str(ctx.run_dir / "adapter"),
    }
    ctx._lora_cache = (model, tokenizer, extra)  # type: ignore[attr-defined]
    return model, tokenizer, extra


def _forgetting(ctx: TrialContext, chat: TransformersChat) -> dict[str, float]:
    """Probe score with the adapter switched off (base) and on (adapted)."""
    items = load_probe(limit=ctx.config.probe_questions)
    ctx.progress("forgetting probe", 0, 2)
    with chat.model.disable_adapter():
        base = probe_score(chat, items)
    ctx.progress("forgetting probe", 1, 2)
    adapted = probe_score(chat, items)
    ctx.progress("forgetting probe", 2, 2)
    return {
        "probe_base": round(base, 4),
        "probe_adapted": round(adapted, 4),
        "forgetting_drop": round(base - adapted, 4),
        "probe_questions": len(items),
    }


# Below this many Q/A pairs an adapter learns nothing a team could judge fine-tuning by.
MIN_TRAIN_PAIRS = 30


def _peak_memory_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def run_lora(ctx: TrialContext, heldout: Sequence[EvalPair]) -> TrialOutput:
    model, tokenizer, extra = _adapted_model(ctx)
    chat = TransformersChat(model, tokenizer, "lora-adapter", ctx.config.seed)

    def answer(pair: EvalPair):
        result = chat.chat(
            question_messages(pair.question), max_tokens=ctx.config.max_answer_tokens
        )
        return item_from(pair, result)

    items = answer_all(ctx, heldout, "LoRA answers", answer)
    # The adapter's gain is read against this engine with the adapter off, so a
    # difference between llama.cpp and transformers is never credited to fine-tuning.
    with chat.model.disable_adapter():
        base_items = answer_all(ctx, heldout, "base model, same engine", answer)
    extra = {**extra, **_forgetting(ctx, chat), "peak_memory_mb": _peak_memory_mb()}
    # Stopping at the budget is the normal CPU case; less than one pass over the data is not.
    one_pass = extra["steps"] * ctx.config.lora.batch_size >= extra["train_examples"]
    status = "finished" if one_pass else "partial"
    notes = [] if one_pass else ["the time budget ended training before one pass over the data"]
    if len(ctx.train) < MIN_TRAIN_PAIRS:
        notes.append(f"fewer than {MIN_TRAIN_PAIRS} training pairs: not a test of fine-tuning")
    control = TrialOutput(base_items, {"device": extra.get("device", "cpu")})
    return TrialOutput(items, extra, status, "; ".join(notes), control=control)


def run_rag_lora(ctx: TrialContext, heldout: Sequence[EvalPair]) -> TrialOutput:
    model, tokenizer, extra = _adapted_model(ctx)
    chat = TransformersChat(model, tokenizer, "lora-adapter", ctx.config.seed)

    def generate(messages, max_tokens):
        return chat.chat(messages, max_tokens=max_tokens)

    items = answer_all(ctx, heldout, "RAG+LoRA answers", lambda p: rag_answer(ctx, p, generate))
    keep = ("train_seconds", "steps", "adapter_mb", "trainable_share")
    return TrialOutput(items, {k: extra[k] for k in keep})
