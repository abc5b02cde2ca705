"""Everything a downloadable report shows, gathered once: the advice, the profile behind it
and, when a trial run is picked, that run with its per-question results.

The renderers (`assistant.report`) only format what is collected here, so Markdown, HTML
and PDF always tell the same story. The run is picked here, once (`ReportData.run`), and
every section reads that one: no section looks for a run of its own, and the cost section
prices only the picked run, so a report that says no trial is included prices none. A
picked run becomes trial `Evidence` for the advice, exactly as in the
`recommend --run-id` command; it never changes the profile, whose `measured` field holds
only the team's own production scores.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

import assistant
from assistant.advice import Advice, Evidence, advise, evidence_from_run
from assistant.advice.costs import CostTable, cost_table
from assistant.advice.profile import Profile
from assistant.core.errors import ReportError
from assistant.core.rates import CostRates
from eval.kinds import usable

SAMPLE_QUESTIONS = 5


@dataclass(frozen=True)
class ReportData:
    advice: Advice
    profile: Profile
    run: dict[str, Any] | None = None  # the picked run (`Store.get_run`), read by every section
    items: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # per trial
    generated_at: str = ""
    app_version: str = assistant.__version__
    evidence: tuple[Evidence, ...] = ()  # what the run contributed to the advice (verdicts)
    counterpart: dict[str, Any] | None = None  # the same trial on the other kind of model
    picked: Evidence | None = None  # what the picked run contributed; None: nothing usable

    @property
    def others(self) -> tuple[Evidence, ...]:
        """Runs the advice weighs besides the picked one (the chat's runs of another kind)."""
        return tuple(e for e in self.evidence if e is not self.picked)

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
    replaces any of the same kind, as a newer run does in the interview. Without a named
    run the report picks the newest run the chat weighed, so it never advises from a run
    it does not show; when that run cannot be read, no trial evidence is used at all.
    `rates` are the team's own (from settings) for the cost section.
    """
    from assistant.report.confirm import counterpart

    run_id = run_id or _chat_run(store, evidence)
    run, items = _load_run(store, run_id)
    found = evidence_from_run(run)
    evidence = [e for e in evidence if run and (found is None or e.kind != found.kind)]
    evidence = tuple(evidence + ([found] if found is not None else []))
    stamp = (now or datetime.now()).strftime("%Y-%m-%d %H:%M")
    advice = advise(profile, evidence=evidence, rates=rates)
    return ReportData(
        advice=replace(advice, costs=_priced(profile, run, found, rates)),
        profile=profile,
        run=run,
        items=items,
        generated_at=stamp,
        app_version=assistant.__version__,
        evidence=evidence,
        counterpart=counterpart(store, run),
        picked=found,
    )


def _chat_run(store: Any, evidence: Sequence[Evidence]) -> str | None:
    """The newest run the chat weighed, when the database still holds it."""
    newest = next((e.run_id for e in reversed(list(evidence)) if e.run_id), None)
    if store is None or newest is None or store.get_run(newest) is None:
        return None
    return newest


def _priced(
    profile: Profile, run: dict[str, Any] | None, found: Evidence | None, rates: CostRates
) -> CostTable:
    """Costs of the picked run only: another run's prices would tell another story."""
    table = cost_table(profile, (found,) if found is not None else (), rates)
    if run is not None and found is None:
        run_id = (run.get("run") or {}).get("run_id", "")
        return CostTable(run_id=str(run_id), reason=NOTHING_PRICED.format(run_id=run_id))
    return table


NOTHING_PRICED = "Run {run_id} has no finished trial, so there is nothing to price."


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
