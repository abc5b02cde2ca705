"""The Report tab: the session's report in Markdown, HTML and PDF, written for download."""

from __future__ import annotations

import secrets
import shutil
import time
from pathlib import Path

from assistant.web.history import run_label, session_runs
from assistant.web.services import Services
from assistant.web.session import SessionState, owns
from eval.kinds import usable

STALE_S = 600  # earlier reports of the session older than this are deleted


def run_choices(services: Services, session: SessionState) -> tuple[list[tuple[str, str]], str]:
    """This visitor's runs as (label, run id), newest first, and the one to report by default.

    The default is the latest usable run (finished, or partial: its finished trials count)
    with the most trials: a quick prompt-only re-run after a full prompt/RAG/LoRA run
    should not silently replace it. Only the
    visitor's own runs are offered (with a login, the user's runs from any tab), so one
    visitor never reports another's data.
    """
    runs = session_runs(services, session)
    choices = [(run_label(r, [t["trial"] for t in r["trials"]]), r["run_id"]) for r in runs]
    finished = [r for r in runs if usable(str(r["status"]))]
    best = max(finished, key=lambda r: len(r["trials"]), default=None)  # max keeps the newest
    return choices, best["run_id"] if best else ""


def make_report(
    services: Services, session: SessionState, run_id: str | None = None
) -> tuple[list[str], str]:
    """Write the report for the chosen run (default: see `run_choices`) in three formats."""
    from assistant.report import build_report_data, render

    if run_id is None:
        run_id = run_choices(services, session)[1]
    run = services.store().get_run(run_id) if run_id else None
    if run_id and (run is None or not owns(session, run)):
        return [], "That run does not belong to this session."
    from assistant.core.rates import CostRates

    data = build_report_data(
        session.profile, services.store(), run_id or None,
        evidence=session.interview.evidence, rates=CostRates.from_settings(services.settings),
    )  # fmt: skip
    folder = report_folder(services.settings.data_path / "reports" / session.workspace)
    paths = []
    for fmt in ("md", "html", "pdf"):
        path = folder / f"adaptation-report.{fmt}"
        path.write_bytes(render(data, fmt))
        paths.append(str(path))
    scope = f"run {run_id}" if run_id else "no trial run"
    return paths, f"Report ready ({data.advice.recommendation.approach}; {scope})."


def report_folder(workspace_reports: Path) -> Path:
    """A fresh folder with an unguessable name for one report; stale ones are removed.

    The reports folder is in Gradio's `allowed_paths` (needed to hand the files out when
    the data folder is outside the working and temp directories), so Gradio's file route
    serves any file in it to anyone who names its path. A fixed name under the session
    workspace would let a visitor who learns or guesses another's session key fetch that
    session's report; a 128-bit random folder name cannot be guessed. Visitors download
    Gradio's cached copy, so removing older folders breaks no link already shown; only
    ones older than `STALE_S` go, so a report still being handed out is never removed.
    """
    if workspace_reports.is_dir():
        cutoff = time.time() - STALE_S
        for old in workspace_reports.iterdir():
            if old.stat().st_mtime >= cutoff:
                continue
            if old.is_dir():
                shutil.rmtree(old, ignore_errors=True)
            else:
                old.unlink(missing_ok=True)  # a report from before the folders had tokens
    folder = workspace_reports / secrets.token_hex(16)
    folder.mkdir(parents=True)
    return folder
