"""Uploads: copy files into the session's own folder and index them into its workspace.

Each visitor's files land under data/uploads/<session workspace>/ with a sanitised name,
and are indexed into that session's collection only; problems come back per file.
"""

from __future__ import annotations

import contextlib
import filecmp
import os
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from assistant.core.errors import describe_error
from assistant.web.safe import inert
from assistant.web.services import Services
from assistant.web.session import SessionState, bind_session, upload_dir
from eval.config import KnowledgeConfig
from eval.data.split import heldout_count
from eval.scoring.power import sample_size_note
from knowledge.reading.names import name_digest, remember_names, safe_source

QA_FORMAT_HINT = (
    "**Q/A file format** (optional, CSV or JSONL): one pair per row with `question` and "
    "`answer` columns, e.g. `question,answer` / `How long is the refund window?,14 days`. "
    "Without one, generate pairs from your documents below and review them; **Evaluate "
    "on** says which of the two the run is scored on."
)
MAX_NAME_CHARS = 120  # well under the 255 bytes most file systems allow
PREVIOUS = ".previous"  # where an earlier version waits until its replacement has parsed


def stored_name(raw: str) -> str:
    """The name an upload is stored, indexed and keyed under: safe, short and still distinct.

    `safe_source` keeps a safe name as it is and gives any name it has to fold ('résumé.txt',
    '文档.txt', an NFD 'café.txt') a digest of the original, so 'résumé.txt' and
    'resume.txt' never overwrite each other while a re-upload of the same name still
    replaces its earlier version. A name longer than file systems allow is cut, keeping
    the digest. The original name is remembered beside the file for citations.
    """
    name = safe_source(raw).replace("/", "_")
    if len(name) <= MAX_NAME_CHARS:
        return name
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem or len(ext) > 16:
        stem, ext = name, ""
    digest = name_digest(raw)
    room = MAX_NAME_CHARS - len(digest) - len(ext) - 2
    return f"{stem[:room].rstrip()}-{digest}" + (f".{ext}" if ext else "")


def store_uploads(
    services: Services, state: SessionState, paths: Sequence[str], max_mb: float
) -> tuple[list[Path], list[str]]:
    """Copy uploaded temp files into the session's folder; (kept paths, problems)."""
    folder = upload_dir(services.settings, state)
    folder.mkdir(parents=True, exist_ok=True)
    kept, problems, given = [], [], {}
    for raw in paths:
        path = Path(raw)
        name = stored_name(path.name)
        if not path.is_file():
            problems.append(f"{inert(name)}: the upload did not arrive; please try again")
        elif path.stat().st_size > max_mb * 1e6:
            problems.append(f"{inert(name)}: larger than the {max_mb:g} MB upload limit")
        else:
            try:
                _set_aside(folder / name, path)
                shutil.copyfile(path, folder / name)
            except OSError as err:  # disk full, permissions: this file only, say so
                problems.append(f"{inert(name)}: could not be stored ({inert(err.strerror)})")
                continue
            kept.append(folder / name)
            given[name] = path.name
    with contextlib.suppress(OSError):  # else citations show stored names: not worth failing
        remember_names(folder, {k: v for k, v in given.items() if k != v})
    return kept, problems


def _set_aside(target: Path, new: Path) -> None:
    """Move an earlier, different upload of the same name aside until the new one parses.

    Trials re-read the stored files (a new chunk size builds its own index from them), so
    a broken re-upload copied over a good file would lose the good one for every later
    run even though the index still held its chunks.
    """
    if target.is_file() and not filecmp.cmp(new, target, shallow=False):
        backup = target.parent / PREVIOUS / target.name
        backup.parent.mkdir(exist_ok=True)
        os.replace(target, backup)


def _settle(paths: Sequence[Path], failed: set[str]) -> set[str]:
    """Put earlier versions back for files that failed; drop them for files that parsed."""
    restored = set()
    for path in paths:
        backup = path.parent / PREVIOUS / path.name
        if not backup.is_file():
            continue
        if path.name in failed:
            os.replace(backup, path)
            restored.add(path.name)
        else:
            backup.unlink()
    return restored


def ingest_uploads(
    services: Services, state: SessionState, paths: Sequence[Path], qa_name: str = ""
) -> list[str]:
    """Index documents into the session's workspace; Q/A files become the trial's Q/A set.

    `qa_name` is the stored name of a file given as the Q/A set: when it turns out not to
    be one, the user is told why instead of finding it silently indexed as a document.
    """
    from knowledge.index import index_paths, open_index

    index = open_index(state.workspace, services.settings, services.embedder())
    report = index_paths(list(paths), index)
    skipped = {s.file for s in report.ingest.skipped}
    restored = _settle(paths, skipped)
    lines = []
    if report.ingest.documents or report.ingest.unchanged:
        lines.append(
            f"Added {len(report.ingest.documents)} document part(s) as {report.chunks} chunks "
            f"to your workspace ({index.count()} chunks in total)."
        )
    if report.qa_pairs:
        qa_sources = sorted({p.source for p in report.qa_pairs})
        state.qa_file = str(next(p for p in paths if p.name in qa_sources))
        found_qa = [str(p) for p in paths if p.name in qa_sources]
        state.qa_files = sorted({*state.qa_files, *found_qa})
        state.eval_set = "file"  # the set touched last is the one the next run uses
        found = f"Found {len(report.qa_pairs)} question/answer pairs in {inert(qa_sources[0])}."
        lines.append(found)
        lines.append(sample_size_note(heldout_count(len(report.qa_pairs), KnowledgeConfig())))
    if qa_name and qa_name not in skipped and not any(p.source == qa_name for p in report.qa_pairs):
        lines.append(
            f"{inert(qa_name)} is not a Q/A set (no `question` and `answer` columns), so it "
            "was added as a document; name its columns question and answer to use it."
        )
    lines += [
        f"Skipped {inert(s.shown)}: {inert(s.reason)}"
        + ("; your earlier version is kept" if s.file in restored else "")
        for s in report.ingest.skipped
    ]
    lines += [inert(note) for note in report.ingest.notes]
    state.uploads = sorted({*state.uploads, *(str(p) for p in paths)})
    return lines or ["Nothing new to add (those files were already in your workspace)."]


def ingest_files(
    services: Services, session: SessionState, files: Sequence[str], qa_file: str = ""
) -> list[str]:
    kept, problems = store_uploads(services, session, files, services.settings.max_upload_mb)
    qa_name = stored_name(Path(qa_file).name) if qa_file else ""
    try:
        lines = ingest_uploads(services, session, kept, qa_name) if kept else []
    except Exception as err:  # one failed upload must not break the page
        _settle(kept, {p.name for p in kept})
        lines = [f"I could not index those files: {inert(describe_error(err))}"]
    return [*problems, *lines]


def upload_files(
    services: Services, session: SessionState, files: Sequence[Any] | None, qa_file: Any,
    session_hash: str,
) -> str:  # fmt: skip
    """Trials-tab upload: store and index everything, report per file."""
    bind_session(session, session_hash)
    qa_path = file_path(qa_file) if qa_file else ""
    paths = [file_path(f) for f in (files or [])] + ([qa_path] if qa_path else [])
    new = [p for p in paths if p and not _already_added(session, p)]
    if not new:
        return "Files already added."
    return "\n\n".join(ingest_files(services, session, new, qa_path))


def _already_added(session: SessionState, raw: str) -> bool:
    """An earlier upload with the same stored name and the same bytes, or whose resent
    temporary copy is gone.

    Both upload widgets send every file they hold, so repeats are common; but a file
    with a known name and new content is a corrected version and must be read again
    (the index swaps its chunks only once the new version has parsed). Uploading a Q/A
    file resends the documents widget's files, whose temporary copies may be gone by
    then: those are the stored files, not uploads that failed to arrive.
    """
    earlier = {Path(u).name: Path(u) for u in session.uploads}.get(stored_name(Path(raw).name))
    if earlier is None or not earlier.is_file():
        return False
    return not Path(raw).is_file() or filecmp.cmp(raw, earlier, shallow=False)


def file_path(item: Any) -> str:
    return item if isinstance(item, str) else getattr(item, "path", getattr(item, "name", ""))
