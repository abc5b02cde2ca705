"""What a trial's answers become in the store: its summary (metrics, seeds, parts,
attribution, training cost, judge), its per-item rows and the run's record of it.

Kept apart from `eval.run`, which decides what runs when: this decides what is kept.
"""

from __future__ import annotations

from typing import Any

from assistant.core.errors import StoreError
from assistant.core.rates import CostRates
from eval.kinds import RETRIEVAL_TRIALS, RunStatus, headline_metric
from eval.runners.context import ItemResult, TrialOutput
from eval.scoring.attribution import attribution, label_items
from eval.scoring.metrics import answer_window
from eval.scoring.summary import average_seeds, by_kind, summarize, training_cost

SNIPPET_CHARS = 600  # of each retrieved passage, kept so citations can be checked later


def save_empty(job: Any, result: Any, name: str, status: str, error: str,
                started: str) -> None:  # fmt: skip
    result.trials[name] = {"status": status, "summary": {}, "error": error}
    keep(job, result, name, status, {}, [], started_at=started, error=error)


def stopped_by_write(result: Any, name: str, error: str, started: str) -> None:
    """A trial cut short by a failed write: failed with the reason, saved with the rest
    once the store has room (`save_unsaved`); its answers so far are dropped, as on Cancel."""
    result.trials[name] = {"status": RunStatus.FAILED, "summary": {}, "error": error}
    result.unsaved[name] = ((RunStatus.FAILED, {}, []), {"started_at": started, "error": error})


def save_output(
    name: str, output: TrialOutput, prepared: Any, job: Any, result: Any,
    started: str,
) -> None:  # fmt: skip
    device = output.extra.get("device", "cpu")
    rates = CostRates.from_settings(job.settings)
    summary = summarize(output.items, prepared.task, rates, device, prepared.labels)
    summary |= output.extra
    metric = headline_metric(job.kind, prepared.task)
    if output.replicas:  # verdicts read the seed-averaged score of each item
        seeds = average_seeds(output.items, output.replicas, prepared.task, metric,
                              prepared.labels)  # fmt: skip
        summary["ci95"][metric] = seeds.pop("ci95_" + metric)
        summary |= seeds
    if split := by_kind(prepared.item_kinds, output.items, metric):
        summary["by_kind"] = split
    retrieval = name in RETRIEVAL_TRIALS
    labels = label_items(output.items, prepared.task, retrieval)
    summary["attribution"] = attribution(labels, job.kind, retrieval)
    if "train_seconds" in output.extra:
        summary["train_cost_usd"] = training_cost(output.extra["train_seconds"], rates, device)
    if job.config.judge and output.items:
        summary |= _judge(job, output.items)
    if not any(item.prediction for item in output.items):
        output.status, output.note = RunStatus.PARTIAL, "the model returned only empty answers"
    summary["note"] = output.note
    result.trials[name] = {"status": output.status, "summary": summary, "error": output.note}
    result.items[name] = output.items
    rows = [item_row(i, item) for i, item in enumerate(output.items)]
    keep(job, result, name, output.status, summary, rows, started_at=started, error=output.note)


def keep(job: Any, result: Any, name: str, *args: Any, **kwargs: Any) -> None:
    """Save a trial; while the write has not succeeded it waits in `result.unsaved`, so
    a trial whose save met a full disk can be saved again once the store freed room."""
    result.unsaved[name] = (args, kwargs)
    job.store.save_trial(result.run_id, name, *args, **kwargs)
    del result.unsaved[name]


def save_unsaved(job: Any, result: Any) -> list[str]:
    """Try once more to save every trial whose save failed; returns those still unsaved."""
    for name, (args, kwargs) in list(result.unsaved.items()):
        try:
            job.store.save_trial(result.run_id, name, *args, **kwargs)
        except StoreError:
            continue
        del result.unsaved[name]
    return list(result.unsaved)


def _judge(job: Any, items: list[ItemResult]) -> dict[str, Any]:
    from eval.scoring.judge import behaviour_criterion, judge_items

    ask = behaviour_criterion(job.config.criteria) if job.kind == "behaviour" else None
    return judge_items(job.judge or job.chat, items, ask).summary()


def item_row(idx: int, item: ItemResult) -> dict[str, Any]:
    """One answered item as stored, with its retrieved passages cut to a snippet."""
    return {
        "idx": idx, "question": item.question, "reference": item.reference,
        "prediction": item.prediction, "scores": item.scores, "latency_s": item.latency_s,
        "retrieved": [_passage(r, item.reference) for r in item.retrieved],
        "failure": item.failure,
    }  # fmt: skip


def _passage(hit: dict[str, Any], reference: str) -> dict[str, Any]:
    """A retrieved passage as stored: where it is, how close it was, and its text, cut
    around the answer when it holds one (recall@k counted it on the whole passage)."""
    text = answer_window(str(hit.get("text", "")), reference, SNIPPET_CHARS)
    keys = ("id", "source", "page", "score")
    return {**{k: hit.get(k) for k in keys}, "text": text}
