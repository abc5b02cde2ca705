"""One orchestrator for both kinds of trial: record, prepare, run each trial, save,
compare, finish — the same steps whether the run tests knowledge or behaviour.

Runs here never wait or refuse: a caller sharing the machine (the web app) waits for
its turn in `assistant.core.trialqueue` before calling `run_trials`.

A run is recorded as `running` before any work starts and always ends as finished,
partial (some trial failed or was cut short), failed or cancelled: never left looking
complete when it is not. The first write that fails (a full disk) ends the run: the
trials that finished are kept, the run is failed with the store's one-line reason, and
that error is raised for the CLI and the web app to show.

A kind (`eval.prepare.KINDS`) supplies its checks, its data and its runner context; the
runners come from `eval.runners.REGISTRY`, the headline metric from `eval.kinds`.
"""

from __future__ import annotations

import threading
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime
from importlib import import_module
from pathlib import Path
from typing import Any

import assistant
from assistant.core.errors import Cancelled, StoreError
from assistant.core.models.base import ChatModel, Embedder
from assistant.core.models.choice import describe_model, is_stand_in
from assistant.core.settings import Settings
from eval.kinds import DECISION_PAIRS, RunStatus, headline_metric, usable
from eval.prepare import KINDS, Prepared, split_rows
from eval.runners import get_runner
from eval.runners.context import ItemResult, Progress, no_progress
from eval.saving import save_empty, save_output, save_unsaved, stopped_by_write
from eval.scoring.comparison import compare
from eval.scoring.verdict import MARGIN
from eval.store.provenance import file_records, model_ids
from knowledge.chroma import is_disk_full

ENGINE_NAMES = {"llamacpp": "llama.cpp", "transformers": "transformers",
                "openai": "openai-compatible server"}  # fmt: skip


@dataclass
class TrialJob:
    """Everything one run needs; `kind` picks how its data is prepared."""

    kind: str
    settings: Settings
    store: Any
    chat: ChatModel
    embedder: Embedder
    config: Any  # KnowledgeConfig or BehaviourConfig
    workspace: str = "default"
    docs: list[Path] = field(default_factory=list)  # knowledge
    qa_file: Path | None = None  # knowledge
    pairs: list[Any] | None = None  # knowledge: reviewed pairs instead of a file
    examples_file: Path | None = None  # behaviour
    instruction: str = ""  # behaviour
    task: str = "auto"  # behaviour: auto, classification, json, generation
    drill_docs: list[Path] = field(default_factory=list)  # the team's new document versions
    drill_qa: Path | None = None  # the answers as they read in those versions
    progress: Progress = no_progress
    cancel: threading.Event = field(default_factory=threading.Event)
    judge: ChatModel | None = None
    examples: Any = None  # filled by the behaviour check
    task_reason: str = ""
    checked: bool = False  # check_inputs ran: the files are there and readable

    @property
    def files(self) -> list[Path]:
        named = [*self.docs, self.qa_file, self.examples_file, *self.drill_docs, self.drill_qa]
        return [Path(p) for p in named if p]


@dataclass
class RunResult:
    run_id: str
    status: str
    n_train: int = 0
    n_heldout: int = 0
    trials: dict[str, dict[str, Any]] = field(default_factory=dict)
    items: dict[str, list[ItemResult]] = field(default_factory=dict)
    pairs: list[Any] = field(default_factory=list)
    ingest: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    error: str = ""
    kind: str = "knowledge"
    task: str = ""  # behaviour runs: classification, json or generation
    compare: list[dict[str, Any]] = field(default_factory=list)
    model: str = ""  # the model every number came from, as a reader should see it
    engine: str = ""  # the engine every arm answered on
    stand_in: bool = False  # the packaged small model, not the team's own
    drill: dict[str, Any] = field(default_factory=dict)  # the update drill (eval.drill)
    sweep: dict[str, Any] = field(default_factory=dict)  # the retrieval sweep (eval.sweep)
    eval_set: dict[str, Any] = field(default_factory=dict)  # knowledge: what was scored
    unsaved: dict[str, Any] = field(default_factory=dict)  # trial -> its save_trial call

    def engines(self) -> dict[str, str]:
        """The engine each arm answered on (one value for the whole run, by design)."""
        return {n: t["summary"].get("engine", self.engine) for n, t in self.trials.items()}

    def lora_latency_ratio(self) -> float | None:
        """LoRA's mean answer time over zero-shot's: the adapter's own serving overhead."""
        lora, base = self.trials.get("lora"), self.trials.get("prompt")
        if not lora or not base:
            return None
        a, b = lora["summary"].get("latency_mean_s"), base["summary"].get("latency_mean_s")
        return round(a / b, 2) if a and b else None

    def to_json(self) -> dict[str, Any]:
        """The CLI's `--json` object: trial summaries keyed by trial name, comparisons."""
        return {
            "run_id": self.run_id, "kind": self.kind, "task": self.task,
            "status": self.status, "n_train": self.n_train, "n_heldout": self.n_heldout,
            "model": self.model, "stand_in": self.stand_in, "engine": self.engine,
            "engines": self.engines(), "lora_latency_ratio": self.lora_latency_ratio(),
            "trials": {n: t["summary"] | {"status": t["status"]} for n, t in self.trials.items()},
            "compare": self.compare, "warnings": self.warnings, "error": self.error,
            "failures": {n: [i.failure for i in items] for n, items in self.items.items()},
            **({"drill": self.drill} if self.drill else {}),
            **({"sweep": self.sweep} if self.sweep else {}),
            **({"eval_set": self.eval_set} if self.eval_set else {}),
        }  # fmt: skip


def check_inputs(job: TrialJob) -> None:
    """Refuse missing paths, empty folders and unreadable files before any model loads."""
    if not job.checked:
        KINDS[job.kind].check(job)
        job.checked = True


def run_trials(job: TrialJob) -> RunResult:
    """Everything `app.py trial` and the Trials tab do; see the module docstring."""
    check_inputs(job)  # bad paths and files fail here, before a run is recorded
    return _run(job, KINDS[job.kind])


def _run(job: TrialJob, steps: Any) -> RunResult:
    run_id = job.store.start_run(
        workspace=job.workspace, config=job.config.to_dict(), settings=job.settings.to_dict(),
        models=model_ids(job.settings, job.chat, job.embedder), files=file_records(job.files),
        seed=job.config.seed, app_version=assistant.__version__, kind=job.kind,
        task="" if job.kind == "knowledge" else job.task,
    )  # fmt: skip
    job.progress = _checking_writes(job)
    result = RunResult(
        run_id, RunStatus.RUNNING, kind=job.kind, model=describe_model(job.settings),
        engine=ENGINE_NAMES.get(job.settings.chat_backend, job.settings.chat_backend),
        stand_in=is_stand_in(job.settings),
    )  # fmt: skip
    prepared: Prepared | None = None
    try:
        prepared = steps.prepare(job, job.settings.data_path / "runs" / run_id)
        _record_split(job, prepared, result)
        for name in job.config.trials:
            _one_trial(name, prepared, job, result)
        _after_trials(job, prepared, result)
    except Cancelled:
        result.status = RunStatus.CANCELLED
    except StoreError as err:  # a write failed (a full disk): keep what finished, say why
        _stop_on_failed_write(job, result, err)
        raise
    except Exception as err:  # recorded (when the store still can), then re-raised to show
        result.status, result.error = RunStatus.FAILED, f"{type(err).__name__}: {err}"
        _close_failed(job, result)
        raise
    try:
        _finish(job, result, prepared)
    except StoreError as err:  # the trials are saved; only the run's close met the full disk
        _stop_on_failed_write(job, result, err)
        raise
    return result


def _stop_on_failed_write(job: TrialJob, result: RunResult, err: StoreError) -> None:
    """The run's first failed write ends it: the store has freed its reserve (a full
    disk), so the finished trials' rows and the run's failed status fit; never raises."""
    result.status, result.error = RunStatus.FAILED, str(err)
    save_unsaved(job, result)
    _close_failed(job, result)


def _close_failed(job: TrialJob, result: RunResult) -> None:
    """Record the run as failed; a second try when the first met a full disk (the store
    freed its reserve for it). Still no room: the run is found dead later, not twice."""
    for _ in range(2):
        with suppress(StoreError):
            job.store.finish_run(result.run_id, result.status, result.error)
            return


def _checking_writes(job: TrialJob) -> Progress:
    """The job's progress callback, which first checks the store can still write. Not
    after the last item: answers all given are saved (or kept for the retry), not lost."""
    report, check = job.progress, getattr(job.store, "check_writes", None)

    def progress(stage: str, done: int, total: int) -> None:
        if check is not None and done < total:
            check()
        report(stage, done, total)

    return progress


def _record_split(job: TrialJob, prepared: Prepared, result: RunResult) -> None:
    split = prepared.split
    result.task = "" if prepared.task == "knowledge" else prepared.task
    result.n_train, result.n_heldout = len(split.train), len(split.heldout)
    result.pairs = split.train + split.heldout
    result.warnings += prepared.warnings
    result.ingest = prepared.ingest
    job.store.set_run_counts(result.run_id, result.n_train, result.n_heldout)
    job.store.add_eval_pairs(result.run_id, split_rows(split))
    if prepared.eval_set:
        result.eval_set = prepared.eval_set
        job.store.set_eval_set(result.run_id, prepared.eval_set)


def _one_trial(name: str, prepared: Prepared, job: TrialJob, result: RunResult) -> None:
    started = datetime.now().isoformat(sep=" ")  # to the microsecond: trials keep their order
    try:
        output = get_runner(job.kind, name)(prepared.ctx, prepared.split.heldout)
    except Cancelled:
        save_empty(job, result, name, RunStatus.CANCELLED, "cancelled", started)
        raise
    except StoreError as err:  # stop the run here; this trial is recorded with the reason
        stopped_by_write(result, name, str(err), started)
        raise
    except Exception as err:  # one broken trial must not hide the others' numbers
        if is_disk_full(err) and hasattr(job.store, "disk_full"):  # an adapter's files
            full = job.store.disk_full()
            stopped_by_write(result, name, str(full), started)
            raise full from None
        save_empty(job, result, name, RunStatus.FAILED, f"{type(err).__name__}: {err}", started)
        return
    save_output(name, output, prepared, job, result, started)
    if output.control is not None:  # the same engine with the adapter off: a fair baseline
        save_output(f"{name}-base", output.control, prepared, job, result, started)


def _after_trials(job: TrialJob, prepared: Prepared, result: RunResult) -> None:
    """A knowledge run's update drill and retrieval sweep, when asked for, once every trial
    answered. Either failing is a warning, not a lost run: the trials' numbers stand."""
    steps = (("drill", "eval.drill", "run_drill", job.store.set_drill),
             ("sweep", "eval.sweep", "run_sweep", job.store.set_sweep))  # fmt: skip
    for key, module, function, save in steps:
        wanted = getattr(job.config, key, None) or (key == "drill" and job.drill_docs)
        if job.kind != "knowledge" or not wanted:
            continue
        try:
            found = getattr(import_module(module), function)(job, prepared, result)
        except (Cancelled, StoreError):  # the user's stop, or a write that failed: the run's
            raise
        except Exception as err:  # recorded with the run; the trials' numbers stand
            found = {"error": f"{type(err).__name__}: {err}"}
            result.warnings.append(f"the {key} failed: {found['error']}")
        setattr(result, key, found)
        save(result.run_id, found)


def _finish(job: TrialJob, result: RunResult, prepared: Prepared | None) -> None:
    """Compare every pair of trials that answered, item by item; close the run."""
    if prepared is not None:
        result.warnings += prepared.ctx.notes
        metric = headline_metric(job.kind, prepared.task)
        result.compare = compare_answered(result, metric, job.config.margin, job.kind)
        job.store.set_compare(result.run_id, result.compare)
    if result.status == RunStatus.RUNNING:
        statuses = [t["status"] for t in result.trials.values()]
        bad = [s for s in statuses if s in (RunStatus.FAILED, RunStatus.PARTIAL)]
        ok = [s for s in statuses if usable(s)]
        result.status = RunStatus.FAILED if not ok else (
            RunStatus.PARTIAL if bad else RunStatus.FINISHED
        )  # fmt: skip
    job.store.finish_run(result.run_id, result.status, result.error)


def compare_answered(
    result: RunResult, metric: str, margin: float = MARGIN, kind: str = "knowledge"
) -> list[dict[str, Any]]:
    """Paired comparisons of every two trials that answered (finished or partial), per item.

    Shown to the user; the advice reads only the pairs whose trials both finished. The
    pairs the kind's decision reads (`DECISION_PAIRS`) are corrected as one family.
    """
    scores = {
        name: [item.scores.get(metric, 0.0) for item in result.items[name]]
        for name, trial in result.trials.items()
        if usable(trial["status"]) and name in result.items
    }
    families = [DECISION_PAIRS.get(kind, ())]
    return [c.to_dict() for c in compare(scores, metric, margin=margin, families=families)]
