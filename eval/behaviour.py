"""Behaviour trials end to end: the team's input→output examples, split, answered by
zero-shot, few-shot, retrieved-shots and a LoRA adapter, scored by task kind, logged.

This is the half of the question that fine-tuning can honestly win: format, labels,
tone. Every approach answers the same held-out examples, so their scores compare item
by item (`eval.stats`), and a LoRA is also scored against the base model on the same
engine with the adapter switched off, so its gain is not an engine difference.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import assistant
from assistant.core.errors import ConfigError, DatasetError, TrialBusy
from assistant.core.models.base import ChatModel, Embedder
from assistant.core.settings import Settings
from eval.config import BehaviourConfig
from eval.examples import (
    TASK_KINDS,
    ExampleSet,
    detect_task,
    labels_of,
    load_examples,
    split_examples,
)
from eval.judge import behaviour_criterion, judge_items
from eval.provenance import file_records, model_ids
from eval.runners import BEHAVIOUR_RUNNERS
from eval.runners.base import BehaviourContext, Cancelled, Progress, TrialOutput
from eval.runners.shots import task_system
from eval.scoring import summarize_behaviour
from eval.stats import compare
from eval.task_metrics import HEADLINE
from eval.trial import RunResult, item_row

MAX_FILE_BYTES = 50 * 1024 * 1024
# Trials whose answers are paired and compared. A LoRA its time budget stopped two steps
# short still answered every item: its verdicts are worth seeing, though the advice
# (assistant.advice.evidence) reads only finished trials.
COMPARED = ("finished", "partial")


@dataclass
class BehaviourJob:
    """The inputs of one behaviour run, bundled so the steps below take one argument."""

    path: Path
    settings: Settings
    store: Any
    chat: ChatModel
    embedder: Embedder
    config: BehaviourConfig
    instruction: str
    task: str
    workspace: str
    progress: Progress
    cancel: threading.Event
    judge: ChatModel


def read_examples(path: Path, config: BehaviourConfig, instruction: str = "") -> ExampleSet:
    """Load an examples file with the size limit checked before reading it."""
    if not path.is_file():
        raise DatasetError(f"examples file not found: {path.name}")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise DatasetError(
            f"{path.name} is {size / 1e6:.1f} MB; the limit is {MAX_FILE_BYTES / 1e6:.0f} MB "
            "(a sample of a few thousand examples is plenty for a trial)"
        )
    return load_examples(
        path.read_bytes(), path.name, instruction=instruction, cap=config.max_examples,
        seed=config.seed,
    )  # fmt: skip


def choose_task(examples: ExampleSet, requested: str) -> tuple[str, str]:
    """(task kind, explanation): detected from the outputs unless the user chose one."""
    detected, why = detect_task([e.output for e in examples.examples])
    if requested in ("", "auto"):
        return detected, why
    if requested not in TASK_KINDS:
        raise ConfigError(f"unknown task {requested!r}; available: auto, {', '.join(TASK_KINDS)}")
    if requested != detected:
        why = f"scored as {requested} as you asked (the outputs look like {detected}: {why})"
    return requested, why


def run_behaviour_trials(
    examples_file: str | Path,
    *,
    settings: Settings,
    store: Any,
    chat: ChatModel,
    embedder: Embedder,
    config: BehaviourConfig = BehaviourConfig(),
    instruction: str = "",
    task: str = "auto",
    workspace: str = "default",
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    gate: threading.Semaphore | None = None,
    judge: ChatModel | None = None,
) -> RunResult:
    """Everything `trial --examples` and the Trials tab's behaviour mode do.

    With `config.judge`, each answer also gets the judge's yes/no verdict on
    `config.criteria` (the judge model defaults to the chat model).
    """
    if gate is not None and not gate.acquire(blocking=False):
        raise TrialBusy("another trial is already running; wait for it to finish or cancel it")
    job = BehaviourJob(
        Path(examples_file), settings, store, chat, embedder, config, instruction, task,
        workspace, progress or (lambda *a: None), cancel or threading.Event(),
        judge or chat,
    )  # fmt: skip
    try:
        return _run(job)
    finally:
        if gate is not None:
            gate.release()


def _run(job: BehaviourJob) -> RunResult:
    examples = read_examples(job.path, job.config, job.instruction)
    task, why = choose_task(examples, job.task)
    train, heldout = split_examples(
        examples.examples, task, seed=job.config.seed, heldout_min=job.config.heldout_min,
        heldout_fraction=job.config.heldout_fraction,
    )  # fmt: skip
    run_id = job.store.start_run(
        workspace=job.workspace, config=job.config.to_dict(), settings=job.settings.to_dict(),
        models=model_ids(job.settings, job.chat, job.embedder), files=file_records([job.path]),
        seed=job.config.seed, app_version=assistant.__version__, kind="behaviour", task=task,
        n_train=len(train), n_heldout=len(heldout),
    )  # fmt: skip
    result = RunResult(run_id, "running", len(train), len(heldout), kind="behaviour", task=task)
    result.warnings += [why, *examples.notes, *_skipped_lines(examples)]
    job.store.add_eval_pairs(run_id, _example_rows(train, heldout))
    ctx = _context(job, task, examples.instruction, labels_of(train + heldout), train, run_id)
    try:
        for name in job.config.trials:
            _one_trial(name, ctx, heldout, job.store, result)
    except Cancelled:
        result.status = "cancelled"
    except Exception as err:  # recorded, then re-raised for the caller to show
        result.status, result.error = "failed", f"{type(err).__name__}: {err}"
        job.store.finish_run(run_id, "failed", result.error)
        raise
    result.warnings += ctx.notes
    _finish(job.store, result, task)
    return result


def _context(job, task, instruction, labels, train, run_id) -> BehaviourContext:
    return BehaviourContext(
        settings=job.settings, config=job.config, chat=job.chat, embedder=job.embedder,
        task=task, instruction=instruction, labels=labels, train=train,
        system=task_system(task, instruction, labels),
        run_dir=job.settings.data_path / "runs" / run_id,
        progress=job.progress, cancel=job.cancel, judge=job.judge,
    )  # fmt: skip


def _one_trial(name: str, ctx: BehaviourContext, heldout, store, result: RunResult) -> None:
    try:
        output = BEHAVIOUR_RUNNERS[name](ctx, heldout)
    except Cancelled:
        result.trials[name] = {"status": "cancelled", "summary": {}, "error": "cancelled"}
        store.save_trial(result.run_id, name, "cancelled", {}, [], error="cancelled")
        raise
    except Exception as err:  # one broken trial must not hide the others' numbers
        error = f"{type(err).__name__}: {err}"
        result.trials[name] = {"status": "failed", "summary": {}, "error": error}
        store.save_trial(result.run_id, name, "failed", {}, [], error=error)
        return
    _save_output(name, output, ctx, store, result)
    if output.control is not None:
        _save_output(f"{name}-base", output.control, ctx, store, result)


def _save_output(name: str, output: TrialOutput, ctx: BehaviourContext, store, result) -> None:
    device = output.extra.get("device", "cpu")
    summary = summarize_behaviour(output.items, ctx.task, ctx.labels, ctx.config, device)
    summary |= {k: v for k, v in output.extra.items() if k != "adapter_path"}
    if ctx.config.judge and output.items:
        ask = behaviour_criterion(ctx.config.criteria)
        summary |= judge_items(ctx.judge, output.items, ask).summary()
    if not any(item.prediction for item in output.items):
        output.status, output.note = "partial", "the model returned only empty answers"
    summary["note"] = output.note
    result.trials[name] = {"status": output.status, "summary": summary, "error": output.note}
    result.items[name] = output.items
    rows = [item_row(i, item) for i, item in enumerate(output.items)]
    store.save_trial(result.run_id, name, output.status, summary, rows, error=output.note)


def _finish(store, result: RunResult, task: str) -> None:
    """Compare every pair of approaches on the headline metric, item by item; close the run."""
    metric = HEADLINE[task]
    scores = {
        name: [item.scores.get(metric, 0.0) for item in items]
        for name, items in result.items.items()
        if result.trials[name]["status"] in COMPARED  # partial: shown, never evidence
    }
    result.compare = [c.to_dict() for c in compare(scores, metric, seed=0)]
    store.set_compare(result.run_id, result.compare)
    if result.status == "running":
        statuses = [t["status"] for t in result.trials.values()]
        ok = [s for s in statuses if s in ("finished", "partial")]
        bad = [s for s in statuses if s in ("failed", "partial")]
        result.status = "failed" if not ok else ("partial" if bad else "finished")
    store.finish_run(result.run_id, result.status, result.error)


def _skipped_lines(examples: ExampleSet) -> list[str]:
    skipped = [f"{examples.source} row {p.row}: {p.reason}" for p in examples.skipped[:5]]
    more = len(examples.skipped) - len(skipped)
    return skipped + ([f"... and {more} more skipped rows"] if more > 0 else [])


def _example_rows(train: Sequence, heldout: Sequence) -> list[dict[str, Any]]:
    rows = []
    for part, examples in (("train", train), ("heldout", heldout)):
        for ex in examples:
            rows.append({"idx": len(rows), "split": part, "question": ex.input,
                         "answer": ex.output, "source": ex.id})  # fmt: skip
    return rows
