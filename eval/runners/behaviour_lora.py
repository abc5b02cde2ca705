"""LoRA on the team's own input→output examples, measured against the same engine.

The adapter trains on the train split with answer-only loss and the SHORT zero-shot
prompt, then answers the held-out inputs with that same short prompt, so its prompt-token
and latency advantage over few-shot is measured, not asserted. The base model answers
the same inputs on the same transformers engine with the adapter switched off (the
`lora-base` control): the difference between the two is what the adapter adds, free
of any llama.cpp-vs-transformers difference. The forgetting probe follows.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from assistant.core.errors import ModelError
from assistant.core.models.hf import TransformersChat, load_causal_lm
from assistant.core.models.registry import chat_model_path
from eval.examples import Example
from eval.forgetting import load_probe, probe_scores
from eval.runners.base import BehaviourContext, TrialOutput, answer_examples
from eval.runners.lora_train import attach_lora, chat_example, save_adapter, train_lora
from eval.runners.shots import clip, shot_messages
from eval.stats import forgetting_measurable, mean_ci


def _train(ctx: BehaviourContext) -> tuple[Any, Any, dict[str, Any]]:
    if ctx.settings.chat_backend == "openai":
        raise ModelError(
            "the LoRA trial needs local weights: set chat_model to a GGUF file or an HF folder"
        )
    ctx.progress("loading model for LoRA", 0, 1)
    model, tokenizer = load_causal_lm(
        chat_model_path(ctx.settings), ctx.settings.data_path / "models", ctx.settings.device
    )
    cfg = ctx.config.lora
    chars = cfg.max_length * 3  # ~3 characters per token keeps the answer inside max_length
    examples = [
        chat_example(tokenizer, ctx.system, clip(ex.input, chars), ex.output, cfg.max_length)
        for ex in ctx.train
    ]
    examples = [e for e in examples if any(label != -100 for label in e["labels"])]
    planned = min(cfg.max_steps, math.ceil(cfg.epochs * len(examples) / cfg.batch_size))
    model = attach_lora(model, cfg)
    report = train_lora(
        model, tokenizer, examples, cfg, seed=ctx.config.seed, progress=ctx.progress,
        cancel=ctx.cancel, steps=planned,
    )  # fmt: skip
    adapter_mb = save_adapter(model, ctx.run_dir / "adapter")
    extra = {
        "train_seconds": round(report.seconds, 1),
        "steps": report.steps,
        "planned_steps": planned,
        "train_examples": report.examples,
        "stopped_by": report.stopped_by,
        "trainable_share": round(report.trainable_share, 5),
        "adapter_mb": adapter_mb,
        "loss_first": report.losses[0] if report.losses else None,
        "loss_last": report.losses[-1] if report.losses else None,
        "loss_curve": report.losses,
        "device": report.device,
    }
    return model, tokenizer, extra


def run_behaviour_lora(ctx: BehaviourContext, heldout: Sequence[Example]) -> TrialOutput:
    model, tokenizer, extra = _train(ctx)
    engine = TransformersChat(model, tokenizer, "lora-adapter", ctx.config.seed)
    adapted_ctx = ctx.with_chat(engine)

    def messages(example: Example):
        return shot_messages(ctx, [], example.input)

    items = answer_examples(adapted_ctx, heldout, "LoRA answers", messages)
    with model.disable_adapter():
        base_items = answer_examples(adapted_ctx, heldout, "base model, same engine", messages)
        base_probe = probe_scores(engine, load_probe(limit=ctx.config.probe_questions))
    adapted_probe = probe_scores(engine, load_probe(limit=ctx.config.probe_questions))
    extra |= forgetting_numbers(base_probe, adapted_probe)
    status, note = "finished", ""
    if extra["stopped_by"] == "time_budget":
        status = "partial"
        note = (
            f"the time budget stopped training at step {extra['steps']} of "
            f"{extra['planned_steps']}: raise --lora-budget for a full run"
        )
    if len(ctx.train) < 30:
        note = (
            note + "; " if note else ""
        ) + "fewer than 30 training examples: not a test of fine-tuning"
    control = TrialOutput(base_items, {"device": extra["device"]})
    return TrialOutput(items, extra, status, note, control=control)


def forgetting_numbers(base: list[float], adapted: list[float]) -> dict[str, Any]:
    """Probe scores before and after; the drop only when the base can show one."""
    base_mean = sum(base) / len(base) if base else 0.0
    adapted_mean = sum(adapted) / len(adapted) if adapted else 0.0
    out: dict[str, Any] = {
        "probe_base": round(base_mean, 4),
        "probe_adapted": round(adapted_mean, 4),
        "probe_questions": len(base),
    }
    if forgetting_measurable(base):
        diffs = [b - a for b, a in zip(base, adapted, strict=True)]
        out["forgetting_drop"] = round(base_mean - adapted_mean, 4)
        out["forgetting_ci95"] = list(mean_ci(diffs))
    else:
        out["forgetting_note"] = (
            f"forgetting not measurable with this model: the base scores {base_mean:.2f} on the "
            "general probe, too low for a drop to show"
        )
    return out
