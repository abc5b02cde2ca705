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
    replicas_that_fit,
    train_adapter,
)
from eval.runners.lora.serve import serve, served_adapter


def adapter_arm(
    ctx: RunContext,
    heldout: Sequence[Any],
    build: Callable[[Any], Examples],
    prompt: Callable[[Any], Prompt],
    stage: str = "LoRA answers",
    seeds: bool = False,
) -> TrialOutput:
    """Answers with the adapter on, with its training and forgetting numbers; with `seeds`,
    also the answers of adapters trained with the next seeds, as the budget fits them."""
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
    output = TrialOutput(items, extra | {"peak_memory_mb": peak_memory_mb()}, status, note)
    if seeds and extra["trained_here"]:
        _replicate(ctx, heldout, build, prompt, adapter, output)
    return output


def _replicate(ctx, heldout, build, prompt, first, output: TrialOutput) -> None:
    """Train and answer with the next seeds while the budget fits (`replicas_that_fit`)."""
    fits, note = replicas_that_fit(ctx, first)
    for replica in range(1, fits + 1):
        adapter = train_adapter(ctx, build, replica)
        served = serve(ctx, adapter)
        try:
            stage = f"LoRA answers, seed {adapter.extra['seed']}"
            output.replicas.append(answer_each(ctx, heldout, stage, prompt, served.chat))
        finally:
            served.close()
    output.extra["seeds_trained"] = fits + 1
    if note:
        output.note = f"{output.note}; {note}" if output.note else note
