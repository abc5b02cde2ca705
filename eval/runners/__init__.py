"""Trial runners in one registry per kind, one signature: (context, held-out) -> TrialOutput.

Heavy imports (torch, peft) happen only when a LoRA entry runs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from importlib import import_module
from typing import Any

from eval.runners.context import RunContext, TrialOutput

Runner = Callable[[RunContext, Sequence[Any]], TrialOutput]

# kind → trial name → (module, function); looked up lazily by `get_runner`.
REGISTRY: dict[str, dict[str, tuple[str, str]]] = {
    "knowledge": {
        "prompt": ("eval.runners.zero_shot", "run_prompt"),
        "rag": ("eval.runners.rag", "run_rag"),
        "lora": ("eval.runners.lora.knowledge", "run_lora"),
        "rag+lora": ("eval.runners.lora.knowledge", "run_rag_lora"),
    },
    "behaviour": {
        "prompt": ("eval.runners.zero_shot", "run_zero_shot"),
        "few-shot": ("eval.runners.shots", "run_few_shot"),
        "retrieved-shots": ("eval.runners.shots", "run_retrieved_shots"),
        "lora": ("eval.runners.lora.behaviour", "run_behaviour_lora"),
    },
}


def get_runner(kind: str, name: str) -> Runner:
    """The runner of trial `name` in a run of `kind`; KeyError names what exists."""
    trials = REGISTRY.get(kind)
    if trials is None:
        raise KeyError(f"unknown run kind {kind!r}; available: {', '.join(REGISTRY)}")
    if name not in trials:
        raise KeyError(f"unknown {kind} trial {name!r}; available: {', '.join(trials)}")
    module, function = trials[name]
    return getattr(import_module(module), function)
