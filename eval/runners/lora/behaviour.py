"""LoRA on the team's own input→output examples.

The adapter trains on the train split with answer-only loss and the SHORT zero-shot
prompt, then answers the held-out inputs with that same short prompt on the run's own
engine, so its prompt-token and latency advantage over few-shot is measured, not
asserted, and the zero-shot arm is its adapter-off control.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eval.runners.context import BehaviourContext, Prompt, TrialOutput
from eval.runners.lora.arm import adapter_arm
from eval.runners.lora.load import Examples
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
    def prompt(example: Any) -> Prompt:
        return Prompt(shot_messages(ctx, [], example.input))

    return adapter_arm(ctx, heldout, lambda tok: behaviour_examples(ctx, tok), prompt, seeds=True)
