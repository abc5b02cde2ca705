"""Doors and files for the knowledge probes (issue 22): names, chunkings, crashes, full
disks, workspace names, links, junk, locked PDFs and quoted Q/A files.

Each runner returns an `Outcome` judged like every hostile case (see doors.py): a crash
or lost data fails the summary; `expect` words must be in what the user is told.
"""

from __future__ import annotations

import base64
import errno
import io
import random
import unicodedata
from pathlib import Path

from assistant.core.errors import AdvisorError
from knowledge.chunking import ChunkConfig
from knowledge.index import VectorIndex, index_paths, open_index
from knowledge.reading.ingest import IngestLimits, ingest_paths
from tests.fakes import HashEmbedder
from tests.hostile import files as f
from tests.hostile.doors import Build, Env, Outcome, Runner, _make

NFC = unicodedata.normalize("NFC", "café.txt")
NFD = unicodedata.normalize("NFD", "café.txt")


def paragraphs(tag: str, n: int = 40) -> str:
    return "\n\n".join(
        f"{tag} clause {i}: pallets clear dock {i % 7} in {i % 30} days." for i in range(n)
    )


def _local_index(tmp: Path, name: str = "probe", config=ChunkConfig(40, 5)) -> VectorIndex:
    return VectorIndex(name, HashEmbedder(dim=32), config, tmp / "chroma")


def _read(report) -> str:
    lines = [f"Skipped {s.shown}: {s.reason}" for s in report.ingest.skipped]
    lines += list(report.ingest.notes)
    lines += sorted({f"{d.name}: read" for d in report.ingest.documents})
    lines += [f"unchanged: {u}" for u in report.ingest.unchanged]
    return "\n".join(lines)


# -- names -------------------------------------------------------------------------------


def reingested(*names: str) -> Runner:
    """A folder of files whose names fold alike, ingested twice: every file keeps its text."""

    def run(tmp: Path, env: Env) -> Outcome:
        folder = tmp / "docs"
        for n, name in enumerate(names):
            _make(folder / name, paragraphs(f"File{n}", 12))
        index = _local_index(tmp)
        first = index_paths([folder], index)
        count = index.count()
        second = index_paths([folder], index)
        outcome = Outcome(_read(first) + "\n" + _read(second))
        texts = " ".join(c.text for c in index.all_chunks(limit=None))
        outcome.lost += [f"{name}'s text is gone" for n, name in enumerate(names)
                         if f"File{n} clause 11" not in texts]  # fmt: skip
        if index.count() != count or len(index.sources()) != len(names):
            outcome.lost.append(f"{count} chunks became {index.count()}: {index.sources()}")
        return outcome

    return run


def same_name_twice(name: str) -> Runner:
    """Two files of one name from two folders in one ingest: the second is refused."""

    def run(tmp: Path, env: Env) -> Outcome:
        one = _make(tmp / "a" / name, paragraphs("First", 3))
        two = _make(tmp / "b" / name, paragraphs("Second", 3))
        index = _local_index(tmp)
        report = index_paths([one, two], index)
        outcome = Outcome(_read(report))
        texts = " ".join(c.text for c in index.all_chunks(limit=None))
        if "First" not in texts:
            outcome.lost.append("the first file's text is gone")
        return outcome

    return run


# -- index structure -----------------------------------------------------------------------


def chunking_change(size: int) -> Runner:
    """A session workspace with an upload, then a trial at another chunk size on other files."""

    def run(tmp: Path, env: Env) -> Outcome:
        services, session = env.services, env.session()
        settings, embedder = services.settings, services.embedder()
        workspace = open_index(session.workspace, settings, embedder)
        index_paths([_make(tmp / "a" / "handbook.txt", paragraphs("Hand", 120))], workspace)
        before = workspace.count()
        trial = open_index(session.workspace, settings, embedder, ChunkConfig(size, 5))
        report = index_paths([_make(tmp / "b" / "other.txt", paragraphs("Other", 8))], trial)
        again = open_index(session.workspace, settings, embedder)
        others = ", ".join(f"{c.chunk_size} tokens: {n} chunks" for c, n in trial.other_chunkings())
        outcome = Outcome(f"{_read(report)}\ntrial index: {trial.describe()}; also: {others}")
        if again.count() != before:
            outcome.lost.append(f"the workspace went from {before} to {again.count()} chunks")
        return outcome

    return run


def killed_mid_ingest() -> Runner:
    """kill -9 part-way through a file, then the same folder again: every chunk is there."""

    def run(tmp: Path, env: Env) -> Outcome:
        from tests.knowledge.test_index_crash import CONFIG, big_text, kill_mid_ingest

        docs = tmp / "docs"
        _make(docs / "contract.txt", big_text())
        done, total = kill_mid_ingest(tmp / "chroma", docs)
        index = VectorIndex("crash", HashEmbedder(dim=32), CONFIG, tmp / "chroma")
        report = index_paths([docs], index, limits=IngestLimits(max_chunks=10_000))
        outcome = Outcome(f"killed at {done} of {total}\n{_read(report)}")
        if index.count() != total or report.ingest.unchanged:
            outcome.lost.append(
                f"{index.count()} of {total} chunks; unchanged {report.ingest.unchanged}"
            )
        return outcome

    return run


class _FillsUp:
    def __init__(self, real, error: Exception) -> None:
        self.real, self.error, self.writes = real, error, 1

    def upsert(self, **kwargs):
        if self.writes <= 0:
            raise self.error
        self.writes -= 1
        return self.real.upsert(**kwargs)

    def __getattr__(self, name):
        return getattr(self.real, name)


def disk_full(error: Exception) -> Runner:
    """The disk fills during the second batch; after space is freed the file is redone."""

    def run(tmp: Path, env: Env) -> Outcome:
        docs = tmp / "docs"
        _make(docs / "good.txt", f.GOOD_TEXT)
        index = _local_index(tmp)
        index_paths([docs], index)
        _make(docs / "big.txt", paragraphs("Big", 1500))  # 2 batches
        real = index.collection
        index.collection = _FillsUp(real, error)
        try:
            index_paths([docs], index)
            message = "no error"
        except AdvisorError as err:
            message = str(err)
        index.collection = real
        reopened = _local_index(tmp)
        report = index_paths([docs], reopened)
        outcome = Outcome(f"{message}\nafter freeing space: {_read(report)}")
        if set(reopened.sources()) != {"good.txt", "big.txt"} or report.chunks < 300:
            outcome.lost.append(f"after freeing space: {reopened.sources()}, {report.chunks}")
        return outcome

    return run


ENOSPC = OSError(errno.ENOSPC, "No space left on device")
SQLITE_FULL = RuntimeError("error returned from database: (code: 13) database or disk is full")


# -- workspaces ----------------------------------------------------------------------------


def workspace(name: str) -> Runner:
    def run(tmp: Path, env: Env) -> Outcome:
        index = open_index(name, env.services.settings, env.services.embedder())
        return Outcome(f"opened {index.name}")

    return run


def workspaces_apart(first: str, second: str) -> Runner:
    """Two allowed names that used to be squeezed alike: each sees only its own files."""

    def run(tmp: Path, env: Env) -> Outcome:
        settings, embedder = env.services.settings, env.services.embedder()
        a, b = open_index(first, settings, embedder), open_index(second, settings, embedder)
        index_paths([_make(tmp / "a" / "plans.txt", "Secret plans of team one. " * 9)], a)
        index_paths([_make(tmp / "b" / "rota.txt", "Holiday rota of team two. " * 9)], b)
        outcome = Outcome(f"{a.name} and {b.name}")
        if set(b.sources()) != {"rota.txt"} or set(a.sources()) != {"plans.txt"}:
            outcome.wrong.append(f"shared: {a.sources()} / {b.sources()}")
        return outcome

    return run


# -- links ---------------------------------------------------------------------------------


def links(**targets: str) -> Runner:
    """good.txt plus symlinks {name: target} (relative to the link's folder)."""

    def run(tmp: Path, env: Env) -> Outcome:
        root = tmp / "upload"
        _make(root / "good.txt", f.GOOD_TEXT)
        for name, target in targets.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).symlink_to(target)
        result = ingest_paths([root])
        outcome = Outcome("\n".join(f"Skipped {s.shown}: {s.reason}" for s in result.skipped))
        if not any(d.source == "good.txt" for d in result.documents):
            outcome.lost.append("good.txt was not read")
        return outcome

    return run


# -- files ---------------------------------------------------------------------------------


def base64_page() -> bytes:
    """A web page whose visible text is one base64 blob (a pasted image), ~270 KB."""
    rng = random.Random(22)
    blob = base64.b64encode(bytes(rng.randrange(256) for _ in range(200_000))).decode()
    return f"<html><body><h1>Scan</h1><p>{blob}</p></body></html>".encode()


def hexdump() -> bytes:
    rng = random.Random(5)
    rows = (" ".join(f"{rng.randrange(256):02x}" for _ in range(16)) for _ in range(400))
    return "\n".join(f"{i * 16:08x}  {row}" for i, row in enumerate(rows)).encode()


def locked_pdf(algorithm: str, user_password: str = "") -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(f.text_pdf())))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm=algorithm)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def capped(files: int, max_chunks: int) -> Runner:
    """`files` files of ~10 chunks each with a per-upload cap of `max_chunks`."""

    def run(tmp: Path, env: Env) -> Outcome:
        for n in range(files):
            _make(tmp / "d" / f"f{n}.txt", paragraphs(f"F{n}", 30))
        index = _local_index(tmp)
        report = index_paths([tmp / "d"], index, limits=IngestLimits(max_chunks=max_chunks))
        outcome = Outcome(_read(report))
        if index.count() > max_chunks:
            outcome.wrong.append(f"{index.count()} chunks embedded, over the cap")
        return outcome

    return run


def qa_pairs(name: str, build: Build, expected: list[tuple[str, str]]) -> Runner:
    """A Q/A file through ingest: the pairs must be exactly `expected`."""

    def run(tmp: Path, env: Env) -> Outcome:
        result = ingest_paths([_make(tmp / name, build)])
        got = [(p.question, p.answer) for p in result.qa_pairs]
        skipped = [f"Skipped {s.shown}: {s.reason}" for s in result.skipped]
        outcome = Outcome("\n".join([*skipped, f"{len(got)} question/answer pairs"]))
        if got != expected:
            outcome.wrong.append(f"pairs {got} != {expected}")
        return outcome

    return run
