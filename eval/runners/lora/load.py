"""Train one LoRA adapter for a run: load the base weights, train within the budget, save.

Both kinds of trial train the same way; they differ only in their training examples
(Q/A pairs plus document text, or the team's input→output rows), which the caller builds
from the tokenizer. The adapter is cached on the context, so `lora` and `rag+lora` in one
knowledge run share one training.
"""

from __future__ import annotations

import math
import resource
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from assistant.core.errors import ModelError
from assistant.core.models.hf import TransformersChat, load_causal_lm
from assistant.core.models.registry import chat_model_path
from eval.plan import SAFETY
from eval.runners.context import RunContext
from eval.runners.lora.train import attach_lora, save_adapter, train_lora
from eval.scoring.forgetting import forgetting_numbers, load_probe, probe_scores

Examples = list[dict[str, list[int]]]
# Below this many training items an adapter learns nothing a team could judge
# fine-tuning by; the trial still runs and says so.
MIN_TRAIN_ITEMS = 30


@dataclass
class Adapter:
    """A trained adapter on its base model, the engine that answers with it, its numbers."""

    model: Any
    tokenizer: Any
    engine: TransformersChat
    extra: dict[str, Any]

    @property
    def stopped_early(self) -> bool:
        """The time budget ended training before its planned steps."""
        return self.extra["stopped_by"] == "time_budget"


def train_adapter(ctx: RunContext, build: Callable[[Any], Examples], replica: int = 0) -> Adapter:
    """Load the chat model's weights, train an adapter on `build(tokenizer)`, save it.

    `replica` 0 is the run's adapter (cached for `rag+lora`); replicas 1, 2 … train with
    the next seeds into their own folders, to show how much training alone varies.
    """
    cached = getattr(ctx, "_adapter", None)
    if cached is not None and replica == 0:
        return cached
    if ctx.settings.chat_backend == "openai":
        raise ModelError(
            "the LoRA trial needs local weights: set chat_model to a GGUF file or an HF folder"
        )
    ctx.progress("loading model for LoRA", 0, 1)
    model, tokenizer = load_causal_lm(
        chat_model_path(ctx.settings), ctx.settings.data_path / "models", ctx.settings.device
    )
    cfg = ctx.config.lora
    examples = [e for e in build(tokenizer) if any(label != -100 for label in e["labels"])]
    planned = min(cfg.max_steps, math.ceil(cfg.epochs * len(examples) / cfg.batch_size))
    model = attach_lora(model, cfg)
    seed = ctx.config.seed + replica
    report = train_lora(
        model, tokenizer, examples, cfg, seed=seed, progress=ctx.progress,
        cancel=ctx.cancel, steps=planned,
    )  # fmt: skip
    folder = ctx.run_dir / ("adapter" if replica == 0 else f"adapter-seed{seed}")
    extra = {
        "train_seconds": round(report.seconds, 1),
        "steps": report.steps,
        "planned_steps": planned,
        "train_examples": report.examples,
        "stopped_by": report.stopped_by,
        "trainable_share": round(report.trainable_share, 5),
        "trainable_params": report.trainable_params,
        "adapter_mb": save_adapter(model, folder),
        "adapter_path": str(folder),
        "loss_first": report.losses[0] if report.losses else None,
        "loss_last": report.losses[-1] if report.losses else None,
        "loss_curve": report.losses,
        "device": report.device,
        "seed": seed,
    }
    engine = TransformersChat(model, tokenizer, "lora-adapter", seed)
    adapter = Adapter(model, tokenizer, engine, extra)
    if replica == 0:
        ctx._adapter = adapter  # type: ignore[attr-defined]
    return adapter


def replicas_that_fit(ctx: RunContext, first: Adapter) -> tuple[int, str]:
    """How many more seeds fit the time budget after the first training, and a note when
    fewer than asked do (the variance of training then stays out of the interval)."""
    cfg = ctx.config.lora
    wanted = cfg.seeds - 1
    if wanted <= 0:
        return 0, ""
    seconds = max(first.extra["train_seconds"], 1.0)
    left = cfg.time_budget_s - seconds
    fits = 0 if first.stopped_early else min(wanted, int(left // (seconds * 1.1)))
    if fits == wanted:
        return fits, ""
    need = seconds * 1.1 * cfg.seeds
    return fits, (
        f"trained {fits + 1} of {cfg.seeds} seeds: one training takes {seconds:.0f} s and the "
        f"LoRA time budget is {cfg.time_budget_s:.0f} s; give it about {need:.0f} s to see "
        "how much the result varies with the seed"
    )


def probe_forgetting(ctx: RunContext, base: Any, adapted: Any) -> dict[str, Any]:
    """The general probe on the same engine with the adapter off (base) and on."""
    probe = load_probe(limit=ctx.config.probe_questions)
    ctx.progress("forgetting probe", 0, 2)
    before = probe_scores(base, probe)
    ctx.progress("forgetting probe", 1, 2)
    after = probe_scores(adapted, probe)
    ctx.progress("forgetting probe", 2, 2)
    return forgetting_numbers(before, after)


def adapter_status(ctx: RunContext, adapter: Adapter) -> tuple[str, str]:
    """("finished" | "partial", note): partial when the budget cut training short."""
    notes = []
    status = "partial" if adapter.stopped_early else "finished"
    if adapter.stopped_early:
        steps, planned = adapter.extra["steps"], adapter.extra["planned_steps"]
        each = adapter.extra["train_seconds"] / max(steps, 1)
        need = math.ceil(planned * each * SAFETY / 10) * 10
        notes.append(
            f"the time budget stopped training at step {steps} of {planned}: a LoRA time "
            f"budget of about {need} s fits every step"
        )
    if len(ctx.train) < MIN_TRAIN_ITEMS:
        notes.append(f"fewer than {MIN_TRAIN_ITEMS} training items: not a test of fine-tuning")
    return status, "; ".join(notes)


def peak_memory_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
