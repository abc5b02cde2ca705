"""Prompt-only baseline: the chat model alone, no documents. The bar everything must beat."""

from __future__ import annotations

from collections.abc import Sequence

from eval.dataset import EvalPair
from eval.runners.base import TrialContext, TrialOutput, answer_all, item_from, question_messages


def run_prompt(ctx: TrialContext, heldout: Sequence[EvalPair]) -> TrialOutput:
    def answer(pair: EvalPair):
        result = ctx.chat.chat(
            question_messages(pair.question), max_tokens=ctx.config.max_answer_tokens
        )
        return item_from(pair, result)

    return TrialOutput(answer_all(ctx, heldout, "prompt-only answers", answer))
