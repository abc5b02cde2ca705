"""LoRA on the team's own input→output examples, measured against the same engine.

The adapter trains on the train split with answer-only loss and the SHORT zero-shot
prompt, then answers the held-out inputs with that same short prompt, so its prompt-token
and latency advantage over few-shot is measured, not asserted. The base model answers
the same inputs on the same engine with the adapter switched off (the `lora-base`
control): the difference between the two is what the adapter adds, free of any
engine difference. The forgetting probe follows.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eval.runners.context import BehaviourContext, Prompt, TrialOutput, answer_each
from eval.runners.lora.load import (
    Examples,
    adapter_status,
    peak_memory_mb,
    probe_forgetting,
    train_adapter,
)
from eval.runners.lora.train import chat_example
from eval.runners.shots import clip, shot_messages


def behaviour_examples(ctx: BehaviourContext, tokenizer: Any) -> Examples:
    """Each training row under the zero-shot prompt, input clipped to fit max_length."""
    cfg = ctx.config.lora
    chars = cfg.max_length * 3  # ~3 characters per token keeps the answer inside max_length
    return [
        chat_example(tokenizer, ctx.system, clip(ex.input, chars), ex.output, cfg.max_length)
        for ex in ctx.train
    ]


def run_behaviour_lora(ctx: BehaviourContext, heldout: Sequence[Any]) -> TrialOutput:
    adapter = train_adapter(ctx, lambda tok: behaviour_examples(ctx, tok))

    def prompt(example: Any) -> Prompt:
        return Prompt(shot_messages(ctx, [], example.input))

    items = answer_each(ctx, heldout, "LoRA answers", prompt, adapter.engine)
    with adapter.model.disable_adapter():
        base_items = answer_each(ctx, heldout, "base model, same engine", prompt, adapter.engine)
    extra = adapter.extra | probe_forgetting(ctx, adapter) | {"peak_memory_mb": peak_memory_mb()}
    status, note = adapter_status(ctx, adapter)
    control = TrialOutput(base_items, {"device": extra["device"]})
    return TrialOutput(items, extra, status, note, control=control)
