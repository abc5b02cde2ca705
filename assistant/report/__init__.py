"""The downloadable report: Markdown, self-contained HTML and PDF from one `ReportData`.

    data = build_report_data(profile, store, run_id)
    render(data, "html")  # -> bytes; RENDERERS lists the formats

`data` gathers what a report shows, `sections`/`results` turn it into plain blocks,
`markup` and `pdf` render blocks, escaping user text at the last moment.
"""

from __future__ import annotations

from collections.abc import Callable

from assistant.report.data import ReportData, ReportError, build_report_data
from assistant.report.markup import render_html, render_markdown
from assistant.report.pdf import render_pdf

RENDERERS: dict[str, Callable[[ReportData], str | bytes]] = {
    "md": render_markdown,
    "html": render_html,
    "pdf": render_pdf,
}

__all__ = ["RENDERERS", "ReportData", "build_report_data", "render"]


def render(data: ReportData, fmt: str) -> bytes:
    """The report in one of RENDERERS' formats, as bytes ready to save or download."""
    renderer = RENDERERS.get(fmt)
    if renderer is None:
        raise ReportError(f"unknown format {fmt!r}; available: {', '.join(RENDERERS)}")
    out = renderer(data)
    return out.encode("utf-8") if isinstance(out, str) else out
