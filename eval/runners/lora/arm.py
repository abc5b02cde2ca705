"""The LoRA arm of either kind of trial: train (or take the served adapter), answer on the
run's own engine, probe forgetting there, and say whether the run is complete."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from eval.runners.context import Prompt, RunContext, TrialOutput, answer_each
from eval.runners.lora.load import (
    Examples,
    adapter_status,
    peak_memory_mb,
    probe_forgetting,
    train_adapter,
)
from eval.runners.lora.serve import serve, served_adapter


def adapter_arm(
    ctx: RunContext,
    heldout: Sequence[Any],
    build: Callable[[Any], Examples],
    prompt: Callable[[Any], Prompt],
    stage: str = "LoRA answers",
) -> TrialOutput:
    """Answers with the adapter on, with its training and forgetting numbers."""
    if ctx.settings.chat_backend == "openai":
        served = served_adapter(ctx)
        extra: dict[str, Any] = {"trained_here": False}
        status, note = "finished", f"the served adapter {ctx.config.adapter_model}, trained before"
    else:
        adapter = train_adapter(ctx, build)
        served = serve(ctx, adapter)
        extra = {**adapter.extra, "trained_here": True}
        status, note = adapter_status(ctx, adapter)
    try:
        items = answer_each(ctx, heldout, stage, prompt, served.chat)
        extra |= served.record | probe_forgetting(ctx, ctx.chat, served.chat)
    finally:
        served.close()
    return TrialOutput(items, extra | {"peak_memory_mb": peak_memory_mb()}, status, note)
