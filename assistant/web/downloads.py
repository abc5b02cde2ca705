"""The Report tab: the session's report in Markdown, HTML and PDF, written for download."""

from __future__ import annotations

from assistant.web.services import Services
from assistant.web.session import SessionState


def make_report(services: Services, session: SessionState) -> tuple[list[str], str]:
    """Write the report in Markdown, HTML and PDF; returns (file paths, note)."""
    from assistant.report import build_report_data, render

    data = build_report_data(
        session.profile, services.store(), session.last_run or None,
        evidence=session.interview.evidence,
    )  # fmt: skip
    folder = services.settings.data_path / "reports" / session.workspace
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for fmt in ("md", "html", "pdf"):
        path = folder / f"adaptation-report.{fmt}"
        path.write_bytes(render(data, fmt))
        paths.append(str(path))
    scope = f"run {session.last_run}" if session.last_run else "no trial run yet"
    return paths, f"Report ready ({data.advice.recommendation.approach}; {scope})."
