"""Behaviour trials without training: few-shot and retrieved shots (zero-shot is in
`eval.runners.zero_shot`).

These are the baselines a LoRA adapter must beat on the team's own input→output
examples. `few-shot` is prompt engineering done properly (the instruction, the label
list or output shape, and k fixed worked examples); `retrieved-shots` picks, for each
input, the k training examples most similar to it, which is retrieval applied to
behaviour rather than to facts.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from assistant.core.models.base import Message
from eval.data.examples import Example
from eval.runners.context import BehaviourContext, Prompt, TrialOutput, answer_each

DEFAULT_INSTRUCTION = {
    "classification": "Classify the input.",
    "json": "Extract the information in the input as JSON.",
    "generation": "Respond to the input.",
}


def task_system(task: str, instruction: str, labels: Sequence[str]) -> str:
    """The system prompt: the team's instruction plus what a valid answer looks like."""
    parts = [instruction.strip() or DEFAULT_INSTRUCTION[task]]
    if task == "classification":
        parts.append(
            "Answer with exactly one of these labels and nothing else: " + ", ".join(labels)
        )
    elif task == "json":
        parts.append("Reply with one JSON object only, no other text.")
    return " ".join(parts)


def clip(text: str, chars: int) -> str:
    """Cut text to a character budget so a prompt always fits the model's context."""
    return text if len(text) <= chars else text[: max(0, chars - 1)].rstrip() + "…"


def shot_messages(ctx: BehaviourContext, shots: Sequence[Example], text: str) -> list[Message]:
    """System prompt, worked examples as earlier turns, then the input to answer."""
    budget = ctx.input_chars // max(2, 2 * len(shots) + 1)
    messages: list[Message] = [{"role": "system", "content": ctx.system}]
    for shot in shots:
        messages.append({"role": "user", "content": clip(shot.input, budget)})
        messages.append({"role": "assistant", "content": clip(shot.output, budget)})
    messages.append({"role": "user", "content": clip(text, ctx.input_chars // 2)})
    return messages


def fixed_shots(train: Sequence[Example], task: str, k: int, seed: int) -> list[Example]:
    """k training examples chosen once; for labels, round-robin so each label is shown."""
    pool = list(train)
    random.Random(seed).shuffle(pool)
    if task != "classification":
        return pool[:k]
    by_label: dict[str, list[Example]] = {}
    for example in pool:
        by_label.setdefault(example.output, []).append(example)
    picked: list[Example] = []
    while len(picked) < min(k, len(pool)):
        for examples in by_label.values():
            if examples and len(picked) < k:
                picked.append(examples.pop())
    return picked


def nearest_shots(ctx: BehaviourContext, text: str, k: int) -> list[Example]:
    """The k training examples whose inputs are closest to `text`, closest last."""
    vectors = ctx.train_vectors()
    query = ctx.embedder.embed([text])[0]
    scores = [sum(a * b for a, b in zip(query, v, strict=True)) for v in vectors]
    best = sorted(range(len(scores)), key=lambda i: -scores[i])[:k]
    return [ctx.train[i] for i in reversed(best)]


def run_few_shot(ctx: BehaviourContext, heldout: Sequence[Example]) -> TrialOutput:
    shots = fixed_shots(ctx.train, ctx.task, ctx.config.shots, ctx.config.seed)

    def prompt(example: Example) -> Prompt:
        return Prompt(shot_messages(ctx, shots, example.input))

    items = answer_each(ctx, heldout, "few-shot answers", prompt)
    return TrialOutput(items, {"shots": len(shots)})


def run_retrieved_shots(ctx: BehaviourContext, heldout: Sequence[Example]) -> TrialOutput:
    def prompt(example: Example) -> Prompt:
        shots = nearest_shots(ctx, example.input, ctx.config.shots)
        return Prompt(shot_messages(ctx, shots, example.input))

    items = answer_each(ctx, heldout, "retrieved-shot answers", prompt)
    return TrialOutput(items, {"shots": min(ctx.config.shots, len(ctx.train))})
