"""Uploads: copy files into the session's own folder and index them into its workspace.

Each visitor's files land under data/uploads/<session workspace>/ with a sanitised name,
and are indexed into that session's collection only; problems come back per file.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from assistant.core.errors import describe_error
from assistant.web.safe import esc
from assistant.web.services import Services
from assistant.web.session import SessionState, bind_session, upload_dir
from eval.config import TrialConfig
from eval.dataset import heldout_size
from eval.stats import sample_size_note
from knowledge.reading.ingest import safe_source

QA_FORMAT_HINT = (
    "**Q/A file format** (optional, CSV or JSONL): one pair per row with `question` and "
    "`answer` columns, e.g. `question,answer` / `How long is the refund window?,14 days`. "
    "Without one, pairs are generated from your documents for you to review."
)


def store_uploads(
    services: Services, state: SessionState, paths: Sequence[str], max_mb: float
) -> tuple[list[Path], list[str]]:
    """Copy uploaded temp files into the session's folder; (kept paths, problems)."""
    folder = upload_dir(services.settings, state)
    folder.mkdir(parents=True, exist_ok=True)
    kept, problems = [], []
    for raw in paths:
        path = Path(raw)
        name = safe_source(path.name).replace("/", "_")
        if not path.is_file():
            problems.append(f"{esc(name)}: the upload did not arrive; please try again")
        elif path.stat().st_size > max_mb * 1e6:
            problems.append(f"{esc(name)}: larger than the {max_mb:g} MB upload limit")
        else:
            target = folder / name
            shutil.copyfile(path, target)
            kept.append(target)
    return kept, problems


def ingest_uploads(services: Services, state: SessionState, paths: Sequence[Path]) -> list[str]:
    """Index documents into the session's workspace; Q/A files become the trial's Q/A set."""
    from knowledge.index import index_paths, open_index

    index = open_index(state.workspace, services.settings, services.embedder())
    report = index_paths(list(paths), index)
    lines = []
    if report.ingest.documents or report.ingest.unchanged:
        lines.append(
            f"Added {len(report.ingest.documents)} document part(s) as {report.chunks} chunks "
            f"to your workspace ({index.count()} chunks in total)."
        )
    if report.qa_pairs:
        qa_sources = sorted({p.source for p in report.qa_pairs})
        state.qa_file = str(next(p for p in paths if p.name in qa_sources))
        lines.append(f"Found {len(report.qa_pairs)} question/answer pairs in {esc(qa_sources[0])}.")
        lines.append(sample_size_note(heldout_size(len(report.qa_pairs), TrialConfig())))
    lines += [f"Skipped {esc(s.file)}: {esc(s.reason)}" for s in report.ingest.skipped]
    lines += [esc(note) for note in report.ingest.notes]
    state.uploads = sorted({*state.uploads, *(str(p) for p in paths)})
    return lines or ["Nothing new to add (those files were already in your workspace)."]


def ingest_files(services: Services, session: SessionState, files: Sequence[str]) -> list[str]:
    kept, problems = store_uploads(services, session, files, services.settings.max_upload_mb)
    try:
        lines = ingest_uploads(services, session, kept) if kept else []
    except Exception as err:  # one failed upload must not break the page
        lines = [f"I could not index those files: {esc(describe_error(err))}"]
    return [*problems, *lines]


def upload_files(
    services: Services, session: SessionState, files: Sequence[Any] | None, qa_file: Any,
    session_hash: str,
) -> str:  # fmt: skip
    """Trials-tab upload: store and index everything, report per file."""
    bind_session(session, session_hash)
    paths = [file_path(f) for f in (files or [])] + ([file_path(qa_file)] if qa_file else [])
    new = [p for p in paths if p and Path(p).name not in {Path(u).name for u in session.uploads}]
    if not new:
        return "Files already added."
    return "\n\n".join(ingest_files(services, session, new))


def file_path(item: Any) -> str:
    return item if isinstance(item, str) else getattr(item, "path", getattr(item, "name", ""))
