"""Trial runners in registries, one signature each: (context, held-out items) -> TrialOutput.

`RUNNERS` answer questions about documents (knowledge trials); `BEHAVIOUR_RUNNERS` answer
input→output examples (behaviour trials). Heavy imports happen inside each entry.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from eval.dataset import EvalPair
from eval.runners.base import TrialContext, TrialOutput

Runner = Callable[[TrialContext, Sequence[EvalPair]], TrialOutput]


def _lora(ctx: TrialContext, heldout: Sequence[EvalPair]) -> TrialOutput:
    from eval.runners.lora import run_lora  # torch/peft load only when LoRA runs

    return run_lora(ctx, heldout)


def _rag_lora(ctx: TrialContext, heldout: Sequence[EvalPair]) -> TrialOutput:
    from eval.runners.lora import run_rag_lora

    return run_rag_lora(ctx, heldout)


def _prompt(ctx: TrialContext, heldout: Sequence[EvalPair]) -> TrialOutput:
    from eval.runners.prompt import run_prompt

    return run_prompt(ctx, heldout)


def _rag(ctx: TrialContext, heldout: Sequence[EvalPair]) -> TrialOutput:
    from eval.runners.rag import run_rag

    return run_rag(ctx, heldout)


RUNNERS: dict[str, Runner] = {"prompt": _prompt, "rag": _rag, "lora": _lora, "rag+lora": _rag_lora}


def get_runner(name: str) -> Runner:
    if name not in RUNNERS:
        raise KeyError(f"unknown trial {name!r}; available: {', '.join(RUNNERS)}")
    return RUNNERS[name]


def _zero_shot(ctx, heldout):
    from eval.runners.shots import run_zero_shot

    return run_zero_shot(ctx, heldout)


def _few_shot(ctx, heldout):
    from eval.runners.shots import run_few_shot

    return run_few_shot(ctx, heldout)


def _retrieved_shots(ctx, heldout):
    from eval.runners.shots import run_retrieved_shots

    return run_retrieved_shots(ctx, heldout)


def _behaviour_lora(ctx, heldout):
    from eval.runners.behaviour_lora import run_behaviour_lora  # torch/peft only when needed

    return run_behaviour_lora(ctx, heldout)


# Behaviour trials (input→output examples): same shape, (BehaviourContext, examples).
BEHAVIOUR_RUNNERS: dict[str, Callable] = {
    "prompt": _zero_shot,
    "few-shot": _few_shot,
    "retrieved-shots": _retrieved_shots,
    "lora": _behaviour_lora,
}
