"""The Report tab: the session's report in Markdown, HTML and PDF, written for download."""

from __future__ import annotations

from assistant.web.history import run_label
from assistant.web.services import Services
from assistant.web.session import SessionState

USABLE = ("finished", "partial")


def run_choices(services: Services, session: SessionState) -> tuple[list[tuple[str, str]], str]:
    """This session's runs as (label, run id), newest first, and the one to report by default.

    The default is the latest finished run with the most trials: a quick prompt-only
    re-run after a full prompt/RAG/LoRA run should not silently replace it. Only the
    session's own runs are offered, so one visitor never reports another's data.
    """
    store = services.store()
    runs = [r for r in (store.get_run(i) for i in reversed(session.run_ids)) if r is not None]
    choices = [(run_label(r["run"], list(r["trials"])), r["run"]["run_id"]) for r in runs]
    finished = [r for r in runs if r["run"]["status"] == "finished"]
    best = max(finished, key=lambda r: len(r["trials"]), default=None)  # max keeps the newest
    return choices, best["run"]["run_id"] if best else ""


def make_report(
    services: Services, session: SessionState, run_id: str | None = None
) -> tuple[list[str], str]:
    """Write the report for the chosen run (default: see `run_choices`) in three formats."""
    from assistant.report import build_report_data, render

    if run_id is None:
        run_id = run_choices(services, session)[1]
    if run_id and run_id not in session.run_ids:
        return [], "That run does not belong to this session."
    data = build_report_data(
        session.profile, services.store(), run_id or None,
        evidence=session.interview.evidence,
    )  # fmt: skip
    folder = services.settings.data_path / "reports" / session.workspace
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for fmt in ("md", "html", "pdf"):
        path = folder / f"adaptation-report.{fmt}"
        path.write_bytes(render(data, fmt))
        paths.append(str(path))
    scope = f"run {run_id}" if run_id else "no trial run"
    return paths, f"Report ready ({data.advice.recommendation.approach}; {scope})."
