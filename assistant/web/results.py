"""The Trials tab's results area: status with verdicts, table, charts, item browser, and
the trained adapter to download, for a finished run of either kind."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from assistant.core.errors import describe_error
from assistant.web.diagnosis import diagnosis_lines, retrieval_misses_dominate
from assistant.web.evaluation import evaluated_line
from assistant.web.items import load_items, question_labels
from assistant.web.safe import inert
from assistant.web.services import Services
from assistant.web.session import SessionState
from eval.scoring.table import present_metrics

CHART_TITLES = ("Score by trial", "Latency (s)", "Cost per 1,000 queries ($)")


@dataclass
class TrialView:
    status: str
    table: Any = None
    charts: list[Any] = field(default_factory=lambda: [None] * len(CHART_TITLES))
    questions: list[str] = field(default_factory=list)
    advisor_message: str = ""  # posted in the chat when a finished run changes the advice
    offer_sweep: bool = False  # RAG's misses were mostly retrieval misses: show the sweep


def result_view(services: Services, session: SessionState, result: Any) -> TrialView:
    """Status, table, charts and the item browser for a finished run of either kind."""
    import pandas as pd

    from assistant.advice import evidence_from_run
    from assistant.interview.conversation import apply_evidence

    run = services.store().get_run(result.run_id)
    headers, rows = summary_rows(run["trials"])
    unit = "examples" if getattr(result, "kind", "") == "behaviour" else "questions"
    lines = [f"Run **{result.run_id}**: {result.status} — {result.n_train} train / "
             f"{result.n_heldout} held-out {unit}."]  # fmt: skip
    if said := evaluated_line(getattr(result, "eval_set", None)):
        lines.append(f"\n{inert(said)}\n")  # a paragraph of its own: what was scored
    lines += [f"- {inert(w)}" for w in result.warnings]
    evidence = evidence_from_run(run)
    left = [u.trial for u in evidence.unfinished] if evidence else []
    lines += verdict_lines(run["run"].get("compare") or [], left)
    lines += kind_lines(run["trials"])
    lines += diagnosis_lines(run)
    message = ""
    if evidence is not None:
        turn = apply_evidence(session.interview, evidence)
        session.interview, message = turn.state, "\n\n".join(turn.messages[:2])
        lines += [f"- {inert(text)}" for text in evidence.left_out()]
        lines.append("\nThis run's verdicts now inform the recommendation on the Advisor tab.")
    else:
        lines.append("\nNot used as evidence: no trial of this run finished.")
    items = load_items(services, result.run_id)
    return TrialView(
        "\n".join(lines), pd.DataFrame(rows, columns=headers), _charts(services, session),
        question_labels(items), message, retrieval_misses_dominate(run["trials"]),
    )  # fmt: skip


def _charts(services: Services, session: SessionState) -> list[Any]:
    """The report's charts for the session's latest run, as image files for gr.Image."""
    from assistant.report.charts import build_charts
    from assistant.report.data import build_report_data
    from assistant.web.scratch import fresh_folder

    pngs = build_charts(build_report_data(session.profile, services.store(), session.last_run))
    values = list(pngs.values())
    if not any(values):
        return [None] * len(CHART_TITLES)
    folder = fresh_folder(session.session_id, "charts")  # replaces the last view's charts
    out: list[Any] = []
    for i in range(len(CHART_TITLES)):
        png = values[i] if i < len(values) else None
        path = folder / f"chart{i}.png"
        if png:
            path.write_bytes(png)
        out.append(str(path) if png else None)
    return out


def verdict_lines(compare: Sequence[dict[str, Any]], left_out: Sequence[str] = ()) -> list[str]:
    """Each paired comparison as one line: difference, interval, p (Holm) and verdict; an
    inconclusive pair says how many items would find a difference of the run's margin, a
    pair that scored the same on every item says so, and a pair with an unfinished trial
    (`left_out`) is marked as not used."""
    from eval.scoring.comparison import Comparison, signed, span

    lines = []
    for c in (Comparison.from_dict(row).winner_first() for row in compare):
        low, high = c.ci95
        pair = f"**{inert(c.a)} vs {inert(c.b)}** on {inert(c.metric)}"
        unused = next((f" (not used: {inert(n)} did not finish)" for n in (c.a, c.b)
                       if n in left_out), "")  # fmt: skip
        if c.identical:
            lines.append(f"- {pair}: {c.same_scores()}{unused}")
            continue
        stats = f"95% interval {signed(low)} to {signed(high)}, {c.p_text()}"
        line = f"- {pair}: {signed(c.delta)} ({stats}) — {c.verdict}"
        if c.verdict == "equivalent":
            line += f" (within ±{c.margin:.2f})"
        if c.verdict == "inconclusive" and c.items_range:
            line += (f"; about {span(*c.items_range)} held-out items would find a difference "
                     f"of {c.margin:.2f} with 80% power")  # fmt: skip
        lines.append(line + unused)
    return lines


def kind_lines(trials: dict[str, dict[str, Any]]) -> list[str]:
    """'- rag: real questions 0.40 (n=12), fill-in-the-blank 0.75 (n=4)' per trial."""
    lines = []
    for name, trial in trials.items():
        parts = (trial.get("summary") or {}).get("by_kind") or {}
        scored = [
            f"{KIND_NAMES.get(kind, kind)} {value:.2f} (n={part['n']})"
            for kind, part in parts.items()
            for key, value in part.items()
            if key != "n"
        ]
        if scored:
            lines.append(f"- {inert(name)}: " + ", ".join(scored))
    return lines


KIND_NAMES = {"question": "real questions", "cloze": "fill-in-the-blank", "uploaded": "your pairs"}


def summary_rows(trials: dict[str, dict[str, Any]]) -> tuple[list[str], list[list[Any]]]:
    """Headers and one row per trial for the results table (from Store.get_run trials).

    Only the metrics some trial measured get a column, so a behaviour run shows accuracy
    and macro-F1 where a knowledge run shows contains and recall@k.
    """
    metrics = present_metrics(t.get("summary") or {} for t in trials.values())
    headers = ["Trial", "Status", *(m.short for m in metrics)]
    rows = []
    for name, trial in trials.items():
        summary = trial.get("summary") or {}
        cells = [summary.get(m.key, "") for m in metrics]
        cells = [round(c, 3) if isinstance(c, float) else c for c in cells]
        status = trial["status"] + (f": {trial['error']}" if trial.get("error") else "")
        rows.append([name, status, *cells])
    return headers, rows


def export_zip(services: Services, session: SessionState) -> tuple[str | None, str]:
    """The session's latest trained adapter as a zip (peft + GGUF + serving commands)."""
    import shutil

    from assistant.web.scratch import fresh_folder
    from eval.export import export_adapter

    runs = [services.store().get_run(r) for r in reversed(session.run_ids)]
    run = next((r for r in runs if r and _has_adapter(r)), None)
    if run is None or not session.session_id:
        return None, "No run of yours has a trained LoRA adapter yet: run a trial with LoRA."
    try:
        folder = fresh_folder(session.session_id, "adapter")
        done = export_adapter(run, folder / f"adapter-{run['run']['run_id']}")
        archive = shutil.make_archive(str(done.folder), "zip", done.folder)
    except Exception as err:  # shown as one line; a bug is logged with its traceback
        return None, f"**Could not export the adapter:** {inert(describe_error(err))}"
    return archive, f"Adapter of run {run['run']['run_id']}: {', '.join(done.files)}."


def _has_adapter(run: dict[str, Any]) -> bool:
    return any((t.get("summary") or {}).get("adapter_path") for t in run["trials"].values())
