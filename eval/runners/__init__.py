"""Trial runners, one registry, one signature: (TrialContext, held-out pairs) -> TrialOutput."""

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
