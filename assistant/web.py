"""View-level steps of the web app: what each Gradio callback returns, minus Gradio.

app.py lays out components and calls exactly one function here per event; these
functions combine the session, the shared services and the library, and turn every
user-fixable problem into a readable message instead of an exception.
"""

from __future__ import annotations

import queue
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant import ui_actions as act
from assistant.services import Services
from assistant.session import SessionState, bind_session, chat_step

QA_FORMAT_HINT = (
    "**Q/A file format** (optional, CSV or JSONL): one pair per row with `question` and "
    "`answer` columns, e.g. `question,answer` / `How long is the refund window?,14 days`. "
    "Without one, pairs are generated from your documents for you to review."
)
CHART_TITLES = ("Score by trial", "Latency (s)", "Cost per 1,000 queries ($)")
THINKING = "…"


def _user_errors() -> tuple[type[Exception], ...]:
    from assistant.cli import USER_ERRORS

    return (*USER_ERRORS, ValueError, OSError)


def chat_turn(
    services: Services, session: SessionState, message: dict | None, history: list,
    session_hash: str,
) -> Iterator[tuple[list, SessionState, list[str]]]:  # fmt: skip
    """Show the user's message at once, then the reply; model answers stream as generated."""
    bind_session(session, session_hash)
    message = message or {}
    text = str(message.get("text") or "").strip()
    files = [_path(f) for f in message.get("files") or []]
    shown = text or ", ".join(Path(f).name for f in files) or "(empty message)"
    history = [*history, {"role": "user", "content": shown}]
    yield [*history, {"role": "assistant", "content": THINKING}], session, session.choices
    replies: list[str] = []
    if files:
        replies += _ingest_chat_files(services, session, files)
    if text or not session.started:
        for partial in _streamed_step(services, session, text, replies):
            yield [*history, {"role": "assistant", "content": partial}], session, []
    reply = "\n\n".join(replies) or "Your files are in; ask me anything or run a trial."
    yield [*history, {"role": "assistant", "content": reply}], session, session.choices


def _streamed_step(
    services: Services, session: SessionState, text: str, replies: list[str]
) -> Iterator[str]:
    """Run the interview step in a worker; yield the model's text while it is generated.

    Only side questions reach the model; their tokens arrive through `on_text` and are
    shown as they come. The step's final messages are appended to `replies`.
    """
    updates: queue.Queue[str] = queue.Queue()

    def ask(question: str) -> Any:
        return services.ask(question, on_text=updates.put)

    def work() -> None:
        try:
            replies.extend(chat_step(session, text, ask).messages)
        except _user_errors() as err:
            replies.append(f"Sorry, something went wrong answering that: {act.esc(err)}")

    worker = threading.Thread(target=work, daemon=True)
    worker.start()
    while worker.is_alive() or not updates.empty():
        try:
            yield updates.get(timeout=0.1)
        except queue.Empty:
            continue
    worker.join()


def _ingest_chat_files(
    services: Services, session: SessionState, files: Sequence[str]
) -> list[str]:
    kept, problems = act.store_uploads(services, session, files, services.settings.max_upload_mb)
    try:
        lines = act.ingest_uploads(services, session, kept) if kept else []
    except _user_errors() as err:
        lines = [f"I could not index those files: {act.esc(err)}"]
    return [*problems, *lines]


def upload_files(
    services: Services, session: SessionState, files: Sequence[Any] | None, qa_file: Any,
    session_hash: str,
) -> str:  # fmt: skip
    """Trials-tab upload: store and index everything, report per file."""
    bind_session(session, session_hash)
    paths = [_path(f) for f in (files or [])] + ([_path(qa_file)] if qa_file else [])
    new = [p for p in paths if p and Path(p).name not in {Path(u).name for u in session.uploads}]
    if not new:
        return "Files already added."
    return "\n\n".join(_ingest_chat_files(services, session, new))


def _path(item: Any) -> str:
    return item if isinstance(item, str) else getattr(item, "path", getattr(item, "name", ""))


def generate_rows(services: Services, session: SessionState, n: float) -> list[list[str]]:
    if not session.uploads:
        return [["Upload documents first.", "", ""]]
    return act.generate_for_review(services, session, int(n))


@dataclass
class TrialView:
    status: str
    table: Any = None
    charts: list[Any] = field(default_factory=lambda: [None] * len(CHART_TITLES))
    questions: list[str] = field(default_factory=list)


def run_trials_view(
    services: Services, session: SessionState, chosen: Sequence[str], chunk_size: float,
    top_k: float, budget_s: float, rows: Any, progress: Callable[[str, int, int], None],
    session_hash: str,
) -> TrialView:  # fmt: skip
    """Run trials and build everything the results area shows."""
    from eval.trial import TrialBusy

    bind_session(session, session_hash)
    if not chosen:
        return TrialView("Choose at least one trial.")
    reviewed = act.pairs_from_rows(_table_rows(rows))
    try:
        config = act.trial_config(chosen, top_k, budget_s, services.settings.seed)
        result = act.run_trial(services, session, config, chunk_size, reviewed, progress)
    except TrialBusy as err:
        return TrialView(f"**Busy:** {err}")
    except _user_errors() as err:
        return TrialView(f"**Could not run the trials:** {act.esc(err)}")
    return _result_view(services, session, result)


def _table_rows(rows: Any) -> list[list[Any]]:
    if rows is None:
        return []
    if hasattr(rows, "values"):  # a pandas DataFrame from gr.Dataframe
        return [list(r) for r in rows.values.tolist()]
    return [list(r) for r in rows]


def _result_view(services: Services, session: SessionState, result: Any) -> TrialView:
    import pandas as pd

    from assistant.advice import measured_from_run
    from assistant.interview import apply_measurements

    run = services.store().get_run(result.run_id)
    headers, rows = act.summary_rows(run["trials"])
    lines = [f"Run **{result.run_id}**: {result.status} — {result.n_train} train / "
             f"{result.n_heldout} held-out questions."]  # fmt: skip
    lines += [f"- {act.esc(w)}" for w in result.warnings]
    measured = measured_from_run(run)
    if measured and session.started:
        session.interview = apply_measurements(session.interview, measured).state
        lines.append("Your trial scores now feed the recommendation on the Advisor tab.")
    items = act.load_items(services, result.run_id)
    return TrialView(
        "\n".join(lines), pd.DataFrame(rows, columns=headers), _charts(services, session),
        act.question_labels(items),
    )  # fmt: skip


def _charts(services: Services, session: SessionState) -> list[Any]:
    """The report's charts for the session's latest run, as image files for gr.Image."""
    from assistant.report_charts import build_charts
    from assistant.report_data import build_report_data

    pngs = build_charts(build_report_data(session.profile, services.store(), session.last_run))
    folder = Path(tempfile.mkdtemp(prefix="advisor-charts-"))
    out = []
    values = list(pngs.values())
    for i in range(len(CHART_TITLES)):
        png = values[i] if i < len(values) else None
        if png:
            path = folder / f"chart{i}.png"
            path.write_bytes(png)
            out.append(str(path))
        else:
            out.append(None)
    return out


def cancel_message(services: Services, session: SessionState) -> str:
    if session.session_id and services.cancel(session.session_id):
        return "Cancelling… the run stops after the current question and is marked cancelled."
    return "No trial is running."


def question_view(services: Services, session: SessionState, label: str | None) -> str:
    if not label or not session.last_run:
        return ""
    return act.question_detail(act.load_items(services, session.last_run), label)


def history(services: Services) -> list[list[Any]]:
    return act.history_rows(services)


def compare(services: Services, run_a: str | None, run_b: str | None) -> Any:
    import pandas as pd

    if not run_a or not run_b:
        return pd.DataFrame()
    headers, rows = act.compare_rows(services, run_a, run_b)
    return pd.DataFrame(rows, columns=headers)


def make_report(services: Services, session: SessionState) -> tuple[list[str], str]:
    """Write the report in Markdown, HTML and PDF; returns (file paths, note)."""
    from assistant.report import render
    from assistant.report_data import build_report_data

    data = build_report_data(session.profile, services.store(), session.last_run or None)
    folder = services.settings.data_path / "reports" / session.workspace
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for fmt in ("md", "html", "pdf"):
        path = folder / f"adaptation-report.{fmt}"
        path.write_bytes(render(data, fmt))
        paths.append(str(path))
    scope = f"run {session.last_run}" if session.last_run else "no trial run yet"
    return paths, f"Report ready ({data.advice.recommendation.approach}; {scope})."
