"""The doors hostile inputs go through, and how a case's outcome is judged.

Each door is a small runner around the library call the app makes for that input (an
ingest, an index, an examples preview, a chat turn...); `judge` turns what a runner
saw into one verdict. The case table itself lives in test_hostile_inputs.py.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from assistant.core.errors import AdvisorError
from assistant.core.settings import load_settings
from assistant.web import behaviour, chat, uploads
from assistant.web.session import SessionState, upload_dir
from tests.fakes.web import FakeServices
from tests.hostile import files as f

# -- what a case produces and how it is judged -------------------------------------------


@dataclass
class Outcome:
    message: str  # everything the user is told
    lost: list[str] = field(default_factory=list)  # earlier data that went missing
    wrong: list[str] = field(default_factory=list)  # output that is there but wrong


class Env:
    """Shared, lazily built web services (Chroma and DuckDB open once for the module)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._services: FakeServices | None = None
        self._sessions = 0

    @property
    def services(self) -> FakeServices:
        if self._services is None:
            self._services = FakeServices(load_settings(env={}, data_dir=str(self.root)))
        return self._services

    def session(self) -> SessionState:
        self._sessions += 1
        return SessionState(session_id=f"hostile{self._sessions}")


Runner = Callable[[Path, Env], Outcome]


@dataclass(frozen=True)
class Case:
    id: str
    door: str
    run: Runner
    expect: tuple[str, ...]  # words the message must contain, case-insensitive

    def __str__(self) -> str:
        return self.id


VERDICTS = ("clean", "skipped", "unclear", "wrong", "crash", "data lost")


def judge(case: Case, tmp: Path, env: Env) -> tuple[str, str]:
    """(verdict, detail) for one case."""
    try:
        outcome = case.run(tmp, env)
    except pytest.skip.Exception as exc:
        return "skipped", str(exc)
    except AdvisorError as err:  # allowed: the user sees its message
        outcome = Outcome(str(err))
    except Exception as err:  # anything else is a bug
        return "crash", f"{type(err).__name__}: {str(err)[:300]}"
    if outcome.lost:
        return "data lost", "; ".join(outcome.lost)
    if "internal error" in outcome.message:  # describe_error's words for a bug
        return "crash", outcome.message[:300]
    if outcome.wrong:
        return "wrong", "; ".join(outcome.wrong)
    missing = [w for w in case.expect if w.casefold() not in outcome.message.casefold()]
    if missing or not outcome.message.strip():
        return "unclear", f"message lacks {missing}: {outcome.message[:400]!r}"
    return "clean", outcome.message[:200]


# -- doors -------------------------------------------------------------------------------

Build = bytes | str | Callable[[Path], None]


def lazy(builder: Callable[[], bytes], cut: int | None = None) -> Callable[[Path], None]:
    """Build the bytes only when the case runs, not when the table is collected."""
    return lambda path: path.write_bytes(builder()[:cut])


def _make(path: Path, build: Build) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if callable(build):
        build(path)
    else:
        path.write_bytes(build.encode() if isinstance(build, str) else build)
    return path


def _ingest_message(result: Any) -> str:
    """What the upload reply says: one line per skipped file, each note, each file read."""
    lines = [f"Skipped {s.file}: {s.reason}" for s in result.skipped]
    lines += list(result.notes)
    read = Counter(d.source for d in result.documents)
    lines += [f"{name}: read {n} part(s)" for name, n in read.items()]
    if result.qa_pairs:
        first = result.qa_pairs[0]
        lines.append(f"{len(result.qa_pairs)} question/answer pairs; first: {first.question}")
    return "\n".join(lines)


def document(name: str, build: Build, *, text: tuple[str, ...] = (), forbid=()) -> Runner:
    """`name` next to a good file through `ingest_paths`: the good one must still be read.

    `text` must appear in the extracted text (decoding is right); `forbid` must not
    (scripts and handlers never reach the index).
    """

    def run(tmp: Path, env: Env) -> Outcome:
        good = _make(tmp / "in" / "good.txt", f.GOOD_TEXT)
        bad = _make(tmp / "in" / name, build)
        from knowledge.reading.ingest import ingest_paths

        result = ingest_paths([good, bad])
        body = "\n".join(d.text for d in result.documents if d.source != "good.txt")
        outcome = Outcome(_ingest_message(result) + "\n" + body[:2000])
        if not any(d.source == "good.txt" for d in result.documents):
            outcome.lost.append("good.txt was not read next to the hostile file")
        outcome.wrong += [f"extracted text lacks {t!r}" for t in text if t not in body]
        outcome.wrong += [f"extracted text holds {t!r}" for t in forbid if t in body]
        return outcome

    return run


def folder(layout: dict[str, Build]) -> Runner:
    """A whole folder through `ingest_paths` (names are relative paths inside it)."""

    def run(tmp: Path, env: Env) -> Outcome:
        from knowledge.reading.ingest import ingest_paths

        root = tmp / "upload"
        _make(root / "good.txt", f.GOOD_TEXT)
        for name, build in layout.items():
            if build == "symlink-out":
                (tmp / "secret.txt").write_text("outside the folder " * 10)
                (root / name).symlink_to(tmp / "secret.txt")
            else:
                _make(root / name, build)
        result = ingest_paths([root])
        outcome = Outcome(_ingest_message(result))
        if not any(d.source == "good.txt" for d in result.documents):
            outcome.lost.append("good.txt was not read")
        if any("outside the folder" in d.text for d in result.documents):
            outcome.wrong.append("a link out of the folder was followed")
        return outcome

    return run


def indexed(name: str, build: Build) -> Runner:
    """`index_paths` into an index that already holds good.txt: its chunks must stay."""

    def run(tmp: Path, env: Env) -> Outcome:
        from knowledge.index import index_paths, open_index

        services = env.services
        index = open_index(env.session().workspace, services.settings, services.embedder())
        index_paths([_make(tmp / "first" / "good.txt", f.GOOD_TEXT)], index)
        before, sources = index.count(), index.sources()
        report = index_paths([_make(tmp / "second" / name, build)], index)
        outcome = Outcome(_ingest_message(report.ingest))
        if index.count() < before or any(index.sources().get(s) != h for s, h in sources.items()):
            outcome.lost.append(f"index went from {before} chunks {sources} to {index.count()}")
        return outcome

    return run


def examples_file(name: str, build: Build) -> Runner:
    """An examples file through `eval.data.examples.read_examples` (as the preview and CLI)."""

    def run(tmp: Path, env: Env) -> Outcome:
        from eval.config import BehaviourConfig
        from eval.data.examples import read_examples

        path = _make(tmp / name, build)
        try:
            found = read_examples(path, BehaviourConfig())
        except AdvisorError as err:  # the preview shows "Cannot use <name>: <message>"
            return Outcome(f"Cannot use {name}: {err}")
        summary = found.summary()
        lines = [f"{name}: {summary['examples']} usable examples, {summary['skipped']} skipped"]
        lines += summary["skipped_reasons"] + summary["notes"]
        lines.append(f"task {summary['task']}: {summary['task_reason']}")
        lines.append("first input: " + found.examples[0].input)
        return Outcome("\n".join(lines))

    return run


def profile(data: Any) -> Runner:
    def run(tmp: Path, env: Env) -> Outcome:
        from assistant.advice.profile import Profile

        Profile.from_dict(data)
        return Outcome("accepted")

    return run


def upload(build: Callable[[Path], list[Path]], *, qa: Build | None = None, name="") -> Runner:
    """Trials-tab upload after a good one: its chunks, stored bytes and Q/A set must stay.

    `build` makes the files for the second upload; `qa` (saved as `name`) goes in the
    Q/A slot.
    """

    def run(tmp: Path, env: Env) -> Outcome:
        from knowledge.index import open_index

        services, session = env.services, env.session()
        good = _make(tmp / "first" / "policy.txt", f.GOOD_TEXT)
        good_qa = _make(tmp / "first" / "qa.csv", qa_csv(f.qa_rows(40)))
        first = uploads.upload_files(services, session, [str(good)], str(good_qa), "x")
        assert "Added 1 document" in first and "40 question/answer pairs" in first, first
        index = open_index(session.workspace, services.settings, services.embedder())
        before, sources, qa_file = index.count(), index.sources(), session.qa_file
        docs = [str(p) for p in build(tmp / "second")]
        qa_path = str(_make(tmp / "second-qa" / name, qa)) if qa is not None else None
        message = uploads.upload_files(services, session, docs, qa_path, "x")
        outcome = Outcome(message)
        stored = upload_dir(services.settings, session) / "policy.txt"
        if index.count() < before or index.sources().get("policy.txt") != sources["policy.txt"]:
            outcome.lost.append(f"index: {before} chunks {sources} -> {index.sources()}")
        if not stored.is_file() or stored.read_text() != f.GOOD_TEXT:
            outcome.lost.append("the stored policy.txt no longer holds the good version")
        if qa is None and session.qa_file != qa_file:
            outcome.lost.append(f"the Q/A set changed from {qa_file} to {session.qa_file}")
        folder = upload_dir(services.settings, session).resolve()
        escaped = [u for u in session.uploads if not Path(u).resolve().is_relative_to(folder)]
        outcome.wrong += [f"stored outside the session folder: {u}" for u in escaped]
        unsafe = [u for u in session.uploads if set(Path(u).name) & set("<>&\"'\\")]
        outcome.wrong += [f"stored under an unsafe name: {u}" for u in unsafe]
        return outcome

    return run


def qa_csv(rows: list[dict[str, str]]) -> str:
    import csv
    import io

    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def files_named(*named: tuple[str, Build]) -> Callable[[Path], list[Path]]:
    return lambda root: [_make(root / str(i) / name, b) for i, (name, b) in enumerate(named)]


def uploads_in_turn(*named: tuple[str, str]) -> Runner:
    """Several uploads one after another: none may replace another's text."""

    def run(tmp: Path, env: Env) -> Outcome:
        from knowledge.index import open_index

        services, session = env.services, env.session()
        replies = []
        for i, (name, text) in enumerate(named):
            path = _make(tmp / str(i) / name, text)
            replies.append(uploads.upload_files(services, session, [str(path)], None, "x"))
        index = open_index(session.workspace, services.settings, services.embedder())
        texts = " ".join(c.text for c in index.all_chunks())
        lost = [f"{name}'s text is gone" for name, text in named if text.split()[0] not in texts]
        return Outcome("\n".join(replies), lost)

    return run


def preview(name: str, build: Build) -> Runner:
    """An examples file through the Trials tab's preview, after a good one was previewed."""

    def run(tmp: Path, env: Env) -> Outcome:
        services, session = env.services, env.session()
        good = _make(tmp / "first" / "examples.jsonl", f.jsonl(f.examples(40)))
        first = behaviour.preview_examples(services, session, str(good), "", "x")
        assert "40 usable examples" in first, first
        message = behaviour.preview_examples(
            services, session, str(_make(tmp / "second" / name, build)), "", "x"
        )
        outcome = Outcome(message)
        if good.read_bytes() != f.jsonl(f.examples(40)).encode():
            outcome.lost.append("the earlier examples file changed")
        return outcome

    return run


def chat_message(text: str, *, at: str = "", answered: str = "") -> Runner:
    """A chat message at the interview question `at`, after answering `answered` first.

    The earlier answer must survive, and a reply must come within 10 seconds.
    """

    def run(tmp: Path, env: Env) -> Outcome:
        services, session = env.services, env.session()

        def say(words: str) -> str:
            steps = list(chat.chat_turn(services, session, {"text": words}, [], "x"))
            return steps[-1][0][-1]["content"]

        say("hello")
        if answered:
            say(answered)
        before = session.profile.to_dict()
        if at:
            say(f"go back to {at}")
        start = time.perf_counter()
        reply = say(text)
        seconds = time.perf_counter() - start
        outcome = Outcome(reply)
        if session.profile.to_dict() != before:
            outcome.lost.append(f"profile changed: {before} -> {session.profile.to_dict()}")
        if seconds > 10:
            outcome.wrong.append(f"the reply took {seconds:.1f} s")
        return outcome

    return run


def profile_edit(text: str) -> Runner:
    """Edited profile JSON on the Advisor tab: a refusal keeps the saved profile."""

    def run(tmp: Path, env: Env) -> Outcome:
        session = env.session()
        assert "saved" in chat.edit_profile(session, json.dumps({"budget": "high"}))
        message = chat.edit_profile(session, text)
        lost = [] if session.profile.budget == "high" else ["the saved budget was lost"]
        return Outcome(message, lost)

    return run


def tally(title: str, cases: list[Case], results: dict, env: Env, mktemp) -> Counter:
    """Verdict counts over every case of a table (running any that did not run, e.g. under
    -k), printed with each case that was not clean; what the summary tests assert on."""
    for case in cases:
        if case.id not in results:
            results[case.id] = judge(case, mktemp(case.id), env)
    counts = Counter(verdict for verdict, _ in results.values())
    doors = Counter(case.door for case in cases)
    print(f"\n{title}: tried {len(cases)} across {len(doors)} doors {dict(doors)}")
    print("  " + ", ".join(f"{v}: {counts.get(v, 0)}" for v in VERDICTS))
    for case_id, (verdict, detail) in results.items():
        if verdict != "clean":
            print(f"  {verdict:9} {case_id}: {detail[:160]}")
    counts["leaked"] = sum("LEAK" in detail for _, detail in results.values())
    return counts
