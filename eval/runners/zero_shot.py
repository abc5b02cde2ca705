"""Zero-shot: the chat model alone, with nothing but the task prompt. The bar to beat.

For a knowledge trial that is the question alone, no documents; for a behaviour trial the
team's instruction (and label list or output shape), no worked examples.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eval.runners.context import (
    BehaviourContext,
    KnowledgeContext,
    Prompt,
    TrialOutput,
    answer_each,
    question_messages,
)
from eval.runners.shots import shot_messages


def run_prompt(ctx: KnowledgeContext, heldout: Sequence[Any]) -> TrialOutput:
    """Knowledge: each question asked with no context."""
    items = answer_each(
        ctx, heldout, "prompt-only answers", lambda p: Prompt(question_messages(p.question))
    )
    return TrialOutput(items)


def run_zero_shot(ctx: BehaviourContext, heldout: Sequence[Any]) -> TrialOutput:
    """Behaviour: each input under the task prompt, no worked examples."""
    items = answer_each(
        ctx, heldout, "zero-shot answers", lambda ex: Prompt(shot_messages(ctx, [], ex.input))
    )
    return TrialOutput(items)
