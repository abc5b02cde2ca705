"""Run trials end to end: ingest the sample, build and split the Q/A set, run each
trial on the same held-out questions, score, and log everything to DuckDB.

A run is recorded as `running` before any work starts and always ends as finished,
partial (some trial failed or was cut short), failed or cancelled: never left looking
complete when it is not.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import assistant
from assistant.core.errors import TrialBusy
from assistant.core.models.base import ChatModel, Embedder
from assistant.core.settings import Settings
from eval.config import TrialConfig
from eval.dataset import EvalPair, from_qa_pairs, generate_pairs, split_pairs
from eval.provenance import file_records, model_ids
from eval.runners import get_runner
from eval.runners.base import Cancelled, ItemResult, Progress, TrialContext, TrialOutput
from eval.scoring import by_kind, summarize, training_cost
from eval.stats import compare
from knowledge.chunking import ChunkConfig
from knowledge.index import index_paths, open_index
from knowledge.reading.ingest import ingest_paths

# The score that stands for "how good" in a knowledge trial: `contains` (the reference
# appears in the answer) is fair to verbose small models, unlike exact match.
HEADLINE_METRIC = "contains"
SNIPPET_CHARS = 600  # of each retrieved passage, kept so citations can be checked later


@dataclass
class RunResult:
    run_id: str
    status: str
    n_train: int = 0
    n_heldout: int = 0
    trials: dict[str, dict[str, Any]] = field(default_factory=dict)
    items: dict[str, list[ItemResult]] = field(default_factory=dict)
    pairs: list[EvalPair] = field(default_factory=list)
    ingest: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    error: str = ""
    kind: str = "knowledge"  # or "behaviour"
    task: str = ""  # behaviour runs: classification, json or generation
    compare: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The CLI's `--json` object: trial summaries keyed by trial name, comparisons."""
        return {
            "run_id": self.run_id,
            "kind": self.kind,
            "task": self.task,
            "status": self.status,
            "n_train": self.n_train,
            "n_heldout": self.n_heldout,
            "trials": {
                name: t["summary"] | {"status": t["status"]} for name, t in self.trials.items()
            },
            "compare": self.compare,
            "warnings": self.warnings,
            "error": self.error,
        }


def _eval_pairs(ctx: TrialContext, qa, config: TrialConfig, warnings: list[str]) -> list[EvalPair]:
    pairs = from_qa_pairs(qa, config.max_pairs)
    if pairs:
        return pairs
    warnings.append("no Q/A file given: pairs were generated from the documents; review them")
    return generate_pairs(ctx.chunks, ctx.chat, config, ctx.progress)


@dataclass
class TrialJob:
    """The inputs of one run, bundled so the steps below take one argument."""

    docs: list[Path]
    settings: Settings
    store: Any
    chat: ChatModel
    embedder: Embedder
    config: TrialConfig
    qa_file: Path | None
    workspace: str
    pairs: list[EvalPair] | None
    progress: Progress
    cancel: threading.Event
    judge: ChatModel | None = None


def run_trials(
    docs: Sequence[str | Path],
    *,
    settings: Settings,
    store: Any,
    chat: ChatModel,
    embedder: Embedder,
    config: TrialConfig = TrialConfig(),
    qa_file: str | Path | None = None,
    workspace: str = "default",
    pairs: Sequence[EvalPair] | None = None,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    gate: threading.Semaphore | None = None,
    judge: ChatModel | None = None,
) -> RunResult:
    """Everything the `trial` command and the Trials tab do; see the module docstring."""
    if gate is not None and not gate.acquire(blocking=False):
        raise TrialBusy("another trial is already running; wait for it to finish or cancel it")
    job = TrialJob(
        [Path(p) for p in docs],
        settings,
        store,
        chat,
        embedder,
        config,
        Path(qa_file) if qa_file else None,
        workspace,
        list(pairs) if pairs else None,
        progress or (lambda *a: None),
        cancel or threading.Event(),
        judge,
    )
    try:
        return _run(job)
    finally:
        if gate is not None:
            gate.release()


def _run(job: TrialJob) -> RunResult:
    run_id = job.store.start_run(
        workspace=job.workspace,
        config=job.config.to_dict(),
        settings=job.settings.to_dict(),
        models=model_ids(job.settings, job.chat, job.embedder),
        files=file_records(job.docs + ([job.qa_file] if job.qa_file else [])),
        seed=job.config.seed,
        app_version=assistant.__version__,
    )
    result = RunResult(run_id, "running")
    try:
        _prepare_and_run(job, result)
    except Cancelled:
        result.status = "cancelled"
    except Exception as err:  # recorded, then re-raised for the caller to show
        result.status, result.error = "failed", f"{type(err).__name__}: {err}"
        job.store.finish_run(run_id, "failed", result.error)
        raise
    job.store.finish_run(run_id, result.status, result.error)
    return result


def _uploaded_pairs(job: TrialJob, report_pairs: list, result: RunResult) -> list:
    """Q/A pairs found among the documents plus those of the Q/A file, with warnings."""
    qa = list(report_pairs)
    if job.qa_file:
        qa_ingest = ingest_paths([job.qa_file])
        qa += qa_ingest.qa_pairs
        result.warnings += [f"{s.file}: {s.reason}" for s in qa_ingest.skipped]
        result.warnings += qa_ingest.notes
        if not qa_ingest.qa_pairs:
            result.warnings.append(f"{job.qa_file.name}: no usable question/answer rows")
    return qa


def _prepare_and_run(job: TrialJob, result: RunResult) -> None:
    retrieval = job.config.retrieval
    chunking = ChunkConfig(retrieval.chunk_size, retrieval.chunk_overlap)
    index = open_index(job.workspace, job.settings, job.embedder, chunking)
    report = index_paths(job.docs, index, progress=job.progress)
    result.ingest = report.summary()
    qa = _uploaded_pairs(job, report.qa_pairs, result)
    run_dir = job.settings.data_path / "runs" / result.run_id
    sources = tuple(report.sources)  # only this run's documents, whatever else is indexed
    ctx = TrialContext(
        job.settings, job.config, job.chat, job.embedder, index, [],
        index.all_chunks(sources=sources) if sources else [], run_dir, job.progress,
        job.cancel, job.judge, sources,
    )  # fmt: skip
    if not ctx.chunks:
        result.warnings.append("the documents yielded no text: RAG has nothing to retrieve")
    all_pairs = job.pairs or _eval_pairs(ctx, qa, job.config, result.warnings)
    split = split_pairs(all_pairs, job.config)
    if split.small_sample:
        result.warnings.append(f"only {len(split.heldout)} held-out pairs: scores are noisy")
    ctx.train, result.pairs = split.train, all_pairs
    result.n_train, result.n_heldout = len(split.train), len(split.heldout)
    job.store.set_run_counts(result.run_id, result.n_train, result.n_heldout)
    job.store.add_eval_pairs(result.run_id, _pair_rows(split))
    for name in job.config.trials:
        _one_trial(name, ctx, split.heldout, job.store, result)
        if result.status == "cancelled":
            return
    failed = [t for t in result.trials.values() if t["status"] in ("failed", "partial")]
    ok = [t for t in result.trials.values() if t["status"] in ("finished", "partial")]
    result.status = "failed" if not ok else ("partial" if failed else "finished")
    result.compare = compare_finished(result, HEADLINE_METRIC)
    job.store.set_compare(result.run_id, result.compare)


def compare_finished(result: RunResult, metric: str) -> list[dict[str, Any]]:
    """Paired comparisons of every two trials that answered (finished or partial), per item.

    Shown to the user; the advice reads only the pairs whose trials both finished.
    """
    scores = {
        name: [item.scores.get(metric, 0.0) for item in result.items[name]]
        for name, trial in result.trials.items()
        if trial["status"] in ("finished", "partial") and name in result.items
    }
    return [c.to_dict() for c in compare(scores, metric, seed=0)]


def _pair_rows(split) -> list[dict[str, Any]]:
    rows = []
    for part, pairs in (("train", split.train), ("heldout", split.heldout)):
        for pair in pairs:
            rows.append(
                {
                    "idx": len(rows),
                    "split": part,
                    "question": pair.question,
                    "answer": pair.answer,
                    "source": pair.source,
                    "generated": pair.generated,
                }
            )
    return rows


def _one_trial(name, ctx: TrialContext, heldout, store, result: RunResult) -> None:
    started = time.strftime("%Y-%m-%dT%H:%M:%S")
    try:
        output = get_runner(name)(ctx, heldout)
    except Cancelled:
        result.status = "cancelled"
        result.trials[name] = {"status": "cancelled", "summary": {}, "error": "cancelled"}
        store.save_trial(
            result.run_id, name, "cancelled", {}, [], started_at=started, error="cancelled"
        )
        return
    except Exception as err:  # one broken trial must not hide the others' numbers
        error = f"{type(err).__name__}: {err}"
        result.trials[name] = {"status": "failed", "summary": {}, "error": error}
        store.save_trial(result.run_id, name, "failed", {}, [], started_at=started, error=error)
        return
    kinds = [pair.kind for pair in heldout]
    _save_output(name, output, ctx, store, result, started, kinds)
    if output.control is not None:  # the same engine with the adapter off: a fair baseline
        _save_output(f"{name}-base", output.control, ctx, store, result, started, kinds)


def _save_output(
    name, output: TrialOutput, ctx: TrialContext, store, result, started, kinds
) -> None:
    device = output.extra.get("device", "cpu")
    summary = summarize(output.items, ctx.config, device) | output.extra
    if split := by_kind(kinds, output.items, HEADLINE_METRIC):
        summary["by_kind"] = split
    if "train_seconds" in output.extra:
        summary["train_cost_usd"] = training_cost(output.extra["train_seconds"], ctx.config, device)
    if not any(item.prediction for item in output.items):
        output.status, output.note = "partial", "the model returned only empty answers"
    if ctx.config.judge:
        from eval.judge import judge_items

        summary |= judge_items(ctx.judge or ctx.chat, output.items).summary()
    summary["note"] = output.note
    result.trials[name] = {"status": output.status, "summary": summary, "error": output.note}
    result.items[name] = output.items
    store.save_trial(
        result.run_id,
        name,
        output.status,
        summary,
        [item_row(i, it) for i, it in enumerate(output.items)],
        started_at=started,
        error=output.note,
    )


def item_row(idx: int, item: ItemResult) -> dict[str, Any]:
    return {
        "idx": idx,
        "question": item.question,
        "reference": item.reference,
        "prediction": item.prediction,
        "scores": item.scores,
        "latency_s": item.latency_s,
        "retrieved": [_passage(r) for r in item.retrieved],
    }


def _passage(hit: dict[str, Any]) -> dict[str, Any]:
    """A retrieved passage as stored: where it is, how close it was, and its text."""
    text = str(hit.get("text", ""))[:SNIPPET_CHARS]
    keys = ("id", "source", "page", "score")
    return {**{k: hit.get(k) for k in keys}, "text": text}
