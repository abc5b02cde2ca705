"""Everything a downloadable report shows, gathered once: the advice, the profile behind it
and, when a trial run is named, that run with its per-question results.

The renderers (`assistant.report`) only format what is collected here, so Markdown, HTML
and PDF always tell the same story. A named run becomes trial `Evidence` for the advice,
exactly as in the `recommend --run-id` command; it never changes the profile, whose
`measured` field holds only the team's own production scores.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import assistant
from assistant.advice import Advice, Evidence, advise, evidence_from_run
from assistant.advice.profile import Profile
from assistant.core.errors import ReportError
from assistant.core.rates import CostRates
from eval.kinds import usable

SAMPLE_QUESTIONS = 5


@dataclass(frozen=True)
class ReportData:
    advice: Advice
    profile: Profile
    run: dict[str, Any] | None = None  # a `Store.get_run` result: {"run": {...}, "trials": {...}}
    items: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # per trial
    generated_at: str = ""
    app_version: str = assistant.__version__
    evidence: tuple[Evidence, ...] = ()  # what the run contributed to the advice (verdicts)
    counterpart: dict[str, Any] | None = None  # the same trial on the other kind of model

    @property
    def trials(self) -> dict[str, dict[str, Any]]:
        """Every trial of the run (any status), in run order; {} without a run."""
        return dict((self.run or {}).get("trials") or {})

    @property
    def run_info(self) -> dict[str, Any]:
        """The run's own row (id, status, counts, settings, models, files); {} without a run."""
        return dict((self.run or {}).get("run") or {})


def scored_trials(data: ReportData) -> dict[str, dict[str, Any]]:
    """name → summary for trials that finished (or partly finished) with numbers."""
    out = {}
    for name, trial in data.trials.items():
        summary = trial.get("summary") or {}
        if usable(str(trial.get("status"))) and summary:
            out[name] = summary
    return out


def sample_questions(data: ReportData, limit: int = SAMPLE_QUESTIONS) -> list[dict[str, Any]]:
    """Up to `limit` held-out questions: question, reference and {trial: item or None}."""
    by_idx: dict[int, dict[str, Any]] = {}
    for trial, items in data.items.items():
        for item in items:
            row = by_idx.setdefault(
                item["idx"],
                {"question": item.get("question") or "", "reference": item.get("reference") or ""},
            )
            row.setdefault("answers", {})[trial] = item
    rows = [by_idx[idx] for idx in sorted(by_idx)[:limit]]
    for row in rows:
        row["answers"] = {name: row.get("answers", {}).get(name) for name in data.trials}
    return rows


def build_report_data(
    profile: Profile,
    store: Any = None,
    run_id: str | None = None,
    now: datetime | None = None,
    evidence: Sequence[Evidence] = (),
    rates: CostRates = CostRates(),
) -> ReportData:
    """Load the run (if any) as evidence, advise, and stamp the time.

    `evidence` holds earlier runs already weighed (a chat session's); the named run
    replaces any of the same kind, as a newer run does in the interview. `rates` are the
    team's own (from settings) for the cost section.
    """
    from assistant.report.confirm import counterpart

    run, items = _load_run(store, run_id)
    found = evidence_from_run(run)
    if found is not None:
        evidence = [e for e in evidence if e.kind != found.kind] + [found]
    evidence = tuple(evidence)
    stamp = (now or datetime.now()).strftime("%Y-%m-%d %H:%M")
    return ReportData(
        advice=advise(profile, evidence=evidence, rates=rates),
        profile=profile,
        run=run,
        items=items,
        generated_at=stamp,
        app_version=assistant.__version__,
        evidence=evidence,
        counterpart=counterpart(store, run),
    )


def _load_run(
    store: Any, run_id: str | None
) -> tuple[dict[str, Any] | None, dict[str, list[dict[str, Any]]]]:
    if not run_id:
        return None, {}
    if store is None:
        raise ReportError(f"run {run_id!r} was named but no database was given to read it from")
    run = store.get_run(run_id)
    if run is None:
        raise ReportError(f"no run {run_id!r} in the database; pick one from the runs list")
    items = {name: store.get_items(run_id, name) for name in run.get("trials", {})}
    return run, items
