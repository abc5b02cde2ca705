"""Trial evidence: what one stored run can honestly say, as plain data the rules read.

Why not copy trial means into `Profile.measured`: that field holds the team's own
production scores, while a trial runs a small packaged model on a sample, so the two
must stay apart and be named apart. And why verdicts, not means: on 20 questions
"LoRA 0.15 vs few-shot 0.10" is noise, so the rules only read each pair's paired
verdict (better / worse / inconclusive) with its interval and the items it would need.

Only trials that *finished* count; a run that failed, was cancelled or is still running
is no evidence at all. A partial run counts for what finished: its unfinished trials
(a LoRA its time budget cut short) are left out of every verdict and listed in
`unfinished`, so whoever announces the run can say which arm was left out and why.
Runs stored before comparisons existed have no verdicts, and their means are never
compared instead (`has_verdicts` is False).

>>> ev = evidence_from_run({"run": {"run_id": "r1", "status": "finished", "compare": [
...     {"a": "prompt", "b": "rag", "metric": "contains", "n": 20, "delta": -0.3,
...      "ci95": [-0.5, -0.1], "p_value": 0.002, "verdict": "worse", "items_needed": None,
...      "margin": 0.05}]},
...     "trials": {"prompt": {"status": "finished", "summary": {"contains": 0.2, "n": 20}},
...                "rag": {"status": "finished", "summary": {"contains": 0.5, "n": 20}}}})
>>> ev.kind, ev.metric, ev.compared("rag", "prompt").verdict
('knowledge', 'contains', 'better')
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from assistant.advice.forgetting import Forgetting, measured
from assistant.advice.trial_wording import FORGETTING_DROP, FORGETTING_NOTE
from assistant.advice.unfinished import Unfinished, unfinished_trials
from eval.kinds import ADAPTER_TRIALS, HEADLINE, RUN_KINDS, headline_metric, usable
from eval.scoring.comparison import Comparison
from eval.scoring.verdict import FLIP

KNOWLEDGE_METRIC = HEADLINE["knowledge"]
# What a trial's summary says about speed and training cost, kept for `costs` (raw, as
# stored by eval.scoring.speed_and_cost and the LoRA runners).
MEASURE_KEYS = (
    "latency_mean_s", "latency_p50_s", "prompt_tokens_p50", "prompt_tokens_mean",
    "completion_tokens_mean", "completion_tokens_p50", "cost_per_1k_queries_usd",
    "usd_per_hour", "device", "train_seconds", "train_examples", "steps", "planned_steps",
    "stopped_by",
)  # fmt: skip
# Runs stored before every arm shared one engine answered their LoRA on transformers.
ADAPTER_ENGINE = "transformers"


@dataclass(frozen=True)
class Evidence:
    """What one run measured, on which model, and its paired verdicts."""

    kind: str  # "knowledge" (informs retrieval) or "behaviour" (informs fine-tuning)
    run_id: str
    task: str = ""  # behaviour runs: classification, json or generation
    metric: str = KNOWLEDGE_METRIC
    model: str = ""  # the chat model the trial ran
    packaged: bool = True  # the default small model, not the team's production model
    n: int = 0  # held-out items scored
    scores: dict[str, float] = field(default_factory=dict)  # finished trials' means
    ci95: dict[str, tuple[float, float]] = field(default_factory=dict)
    comparisons: tuple[dict[str, Any], ...] = ()  # as stored, between finished trials
    forgetting: str = ""  # one sentence about the adapter's forgetting drop, or ""
    has_verdicts: bool = True  # False for runs stored before comparisons existed
    measures: dict[str, dict[str, Any]] = field(default_factory=dict)  # trial → MEASURE_KEYS
    probe: Forgetting | None = None  # the adapter's measured forgetting (knowledge or behaviour)
    drill: dict[str, Any] = field(default_factory=dict)  # the update drill (eval.drill), if run
    unfinished: tuple[Unfinished, ...] = ()  # trials left out of every verdict, and why

    def left_out(self) -> list[str]:
        """One sentence per unfinished trial: what it reached and how to finish it."""
        return [u.sentence(self.metric) for u in self.unfinished]

    def compared(self, a: str, b: str) -> Comparison | None:
        """The verdict on `a` vs `b`; None unless both trials finished and were paired."""
        if a not in self.scores or b not in self.scores:
            return None
        if not self.has_verdicts:
            return Comparison(
                a, b, self.metric, 0, 0.0, (0.0, 0.0), 1.0, "inconclusive", None, False
            )
        for row in self.comparisons:
            if {row.get("a"), row.get("b")} == {a, b} and row.get("verdict") in FLIP:
                found = Comparison.from_dict(row)
                return found if found.a == a else found.flipped()
        return None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["ci95"] = {k: list(v) for k, v in self.ci95.items()}
        data["comparisons"] = [dict(c) for c in self.comparisons]
        data["unfinished"] = [u.to_dict() for u in self.unfinished]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Evidence:
        values = dict(data)
        values["ci95"] = {k: tuple(v) for k, v in (values.get("ci95") or {}).items()}
        values["comparisons"] = tuple(dict(c) for c in values.get("comparisons") or ())
        values["scores"] = dict(values.get("scores") or {})
        values["measures"] = {k: dict(v) for k, v in (values.get("measures") or {}).items()}
        probe = values.get("probe")
        values["probe"] = Forgetting.from_dict(probe) if probe else None
        values["drill"] = dict(values.get("drill") or {})
        left = values.get("unfinished") or ()
        values["unfinished"] = tuple(Unfinished.from_dict(u) for u in left)
        return cls(**values)


def latest(evidence: tuple[Evidence, ...] | list[Evidence], kind: str) -> Evidence | None:
    """The newest evidence of one kind (later runs supersede earlier ones)."""
    return next((e for e in reversed(list(evidence)) if e.kind == kind), None)


def evidence_from_run(run: dict[str, Any] | None) -> Evidence | None:
    """Evidence from a `Store.get_run` result, or None when the run holds none.

    None for a missing run, a run that failed, was cancelled or is still running, and a
    run where no trial finished. Trials that are partial, failed or cancelled are left
    out, and so is every comparison involving them; `unfinished` names them.
    """
    if not run:
        return None
    row = run.get("run") or {}
    if not usable(str(row.get("status"))):
        return None
    finished = {
        name: trial.get("summary") or {}
        for name, trial in (run.get("trials") or {}).items()
        if trial.get("status") == "finished"
    }
    if not finished:
        return None
    kind = row.get("kind") or "knowledge"
    task = row.get("task") or ""
    stored = row.get("compare")
    metric = _metric(kind, task, stored or [])
    comparisons = tuple(
        dict(c)
        for c in stored or []
        if c.get("a") in finished and c.get("b") in finished and c.get("metric") == metric
    )
    scores = {k: float(s[metric]) for k, s in finished.items() if _is_num(s.get(metric))}
    ci95 = {
        k: (float(b[0]), float(b[1]))
        for k, s in finished.items()
        if (b := (s.get("ci95") or {}).get(metric)) and len(b) == 2
    }
    sizes = [int(c.get("n") or 0) for c in comparisons]
    sizes += [int(s["n"]) for s in finished.values() if _is_num(s.get("n"))]
    models, settings = row.get("models") or {}, row.get("settings") or {}
    probe = measured(run.get("trials") or {})
    return Evidence(
        kind=kind if kind in RUN_KINDS else "knowledge", run_id=str(row.get("run_id", "")),
        task=task, metric=metric, model=str(models.get("chat") or ""),
        packaged=not settings.get("chat_model"), n=max(sizes, default=0), scores=scores,
        ci95=ci95, comparisons=comparisons, forgetting=_forgetting(probe, finished), probe=probe,
        has_verdicts=stored is not None,
        measures=_measures(run.get("trials") or {}, str(settings.get("chat_backend") or "")),
        drill=_drill(row.get("drill")),
        unfinished=unfinished_trials(run.get("trials") or {}, metric),
    )  # fmt: skip


def _measures(trials: dict[str, Any], backend: str) -> dict[str, dict[str, Any]]:
    """Speed and training numbers per trial, with the engine that served it.

    Finished trials count, and so does a LoRA trial that only its time budget cut short:
    its answers and seconds are real, the adapter is just under-trained, which changes
    its score but not its speed. The engine matters because a LoRA served on
    transformers and a prompt on llama.cpp differ in speed for reasons beyond the prompt.
    """
    out = {}
    for name, trial in trials.items():
        summary = trial.get("summary") or {}
        cut_short = (
            trial.get("status") == "partial"
            and summary.get("stopped_by") == "time_budget"
            and _is_num(summary.get("completion_tokens_p50"))
            and summary["completion_tokens_p50"] > 0
        )
        if trial.get("status") != "finished" and not cut_short:
            continue
        kept = {k: summary[k] for k in MEASURE_KEYS if k in summary}
        if not kept:
            continue
        old_lora = (name in ADAPTER_TRIALS or name.endswith("-base")) and "engine" not in summary
        kept["engine"] = summary.get("engine") or (ADAPTER_ENGINE if old_lora else backend)
        kept["status"] = str(trial.get("status"))
        out[name] = kept
    return out


def _drill(drill: Any) -> dict[str, Any]:
    """The update drill as stored, when it measured at least one arm ({} otherwise)."""
    if isinstance(drill, dict) and drill.get("arms") and not drill.get("error"):
        return dict(drill)
    return {}


def _metric(kind: str, task: str, stored: list[dict[str, Any]]) -> str:
    """The headline metric: the one the stored comparisons use, else the kind's default."""
    used = {c.get("metric") for c in stored}
    if len(used) == 1 and isinstance(next(iter(used)), str):
        return str(next(iter(used)))
    if kind == "behaviour" and task in HEADLINE:
        return headline_metric(kind, task)
    return KNOWLEDGE_METRIC


def _forgetting(probe: Forgetting | None, finished: dict[str, dict[str, Any]]) -> str:
    """The adapter's forgetting drop as one sentence; its note when it was not measurable."""
    if probe is not None:
        return FORGETTING_DROP.format(numbers=probe.numbers())
    notes = [str(finished[name].get("forgetting_note") or "").strip().rstrip(".")
             for name in ADAPTER_TRIALS if name in finished]  # fmt: skip
    note = next((n for n in notes if n), "")
    return FORGETTING_NOTE.format(note=note) if note else ""


def _is_num(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
