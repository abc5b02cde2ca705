"""Ten visitors at once share nothing (slow: starts the real app and runs ten trials).

Isolation is promised in many places (uploads, the index, the interview, runs, history,
reports) and each is unit-tested alone; only the running app shows whether they hold
when sessions overlap: concurrent uploads into one Chroma folder, one chat model and
one DuckDB store shared by all, Gradio's per-session state and its file route. Each
session here is one `gradio_client.Client` (one Gradio session hash) in its own thread,
with its own document holding facts no other session has, so any leak is visible as a
foreign file name, run id or secret word.
"""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.fakes.server import free_port, wait_for_page

ROOT = Path(__file__).resolve().parents[1]
SESSIONS = 10
BUDGET_S = 330.0  # the whole visit of every session, trials included (~6 min on 2 cores)
CALL_S = 240.0  # one call, queueing behind the others included
FACTS = (
    "vault code", "mascot", "meeting room", "badge colour", "server name", "lunch spot",
    "radio call sign", "backup site", "project codename", "parking level", "alarm word",
    "printer name",
)  # fmt: skip
SYLLABLES = "ka lo mi ru te vo zan pel dor fi gu hex ny qua sib tor ul wem".split()


@dataclass
class Team:
    """One session's private material: a document, its Q/A file and the secret words."""

    index: int
    doc: Path
    qa: Path
    secrets: list[str]


@dataclass
class Visit:
    """What one session saw, kept for the cross-session checks after all are done."""

    team: Team
    workspace: str = ""
    client: Any = None
    upload: str = ""
    panel: str = ""
    profile: str = ""
    chat: list[Any] = field(default_factory=list)
    trial_status: str = ""
    trial_panel: str = ""
    run_id: str = ""
    detail: str = ""
    history_runs: list[str] = field(default_factory=list)
    report_default: str = ""
    report_note: str = ""
    report_files: list[dict[str, Any]] = field(default_factory=list)
    report_md: str = ""


@pytest.fixture(scope="module")
def app(tmp_path_factory) -> Iterator[tuple[str, Path]]:
    """The real app on a free port with its own data folder; (url, data folder)."""
    port = free_port()
    data = tmp_path_factory.mktemp("sessions-data")
    log = data.parent / "app.log"
    env = {**os.environ, "ADVISOR_DATA_DIR": str(data)}
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "app.py", "--port", str(port)],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_for_page(url, proc)
        yield url, data
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        if proc.returncode not in (0, -15):
            print(log.read_text()[-3000:])


def make_team(folder: Path, index: int, taken: set[str]) -> Team:
    """A short handbook with twelve facts only this team has, and a Q/A CSV about them."""
    rng = random.Random(4000 + index)
    words = []
    while len(words) < len(FACTS):
        word = "".join(rng.choice(SYLLABLES) for _ in range(3)) + str(index)
        if word not in taken:
            taken.add(word)
            words.append(word)
    paragraphs = [
        f"Team {index} handbook. This page is for members of team {index} only.",
        *(
            f"The {fact} for team {index} is {word}. Write down the {fact} and keep it "
            f"with your badge; ask the team {index} lead if it changes."
            for fact, word in zip(FACTS, words, strict=True)
        ),
    ]
    doc = folder / f"handbook-team{index}.md"
    doc.write_text("\n\n".join(paragraphs) + "\n")
    qa = folder / f"qa-team{index}.csv"
    rows = ["question,answer"] + [
        f"What is the {fact} for team {index}?,{word}"
        for fact, word in zip(FACTS, words, strict=True)
    ]
    qa.write_text("\n".join(rows) + "\n")
    return Team(index, doc, qa, words)


def text_of(message: dict[str, Any]) -> str:
    """A chat message's text, whether content is a string or Gradio 6's list of parts."""
    content = message.get("content")
    if isinstance(content, str):
        return content
    return "".join(part.get("text", "") for part in content or [] if isinstance(part, dict))


def call(client: Any, *args: Any, api_name: str) -> Any:
    return client.submit(*args, api_name=api_name).result(timeout=CALL_S)


def say(visit: Visit, text: str) -> None:
    """One chat message; keeps the conversation, panel and profile JSON it returns."""
    history, _box, panel, profile = call(
        visit.client, {"text": text, "files": []}, visit.chat, api_name="/respond"
    )
    visit.chat, visit.panel, visit.profile = history, panel, profile


def expected_advisor(choice: str) -> tuple[str, str]:
    """The panel and profile JSON one visitor alone gets from 'hello' and `choice`."""
    from assistant.web.chat import chat_step, profile_json, recommendation_markdown
    from assistant.web.session import SessionState

    alone = SessionState()
    chat_step(alone, "hello", None)
    chat_step(alone, choice, None)
    return recommendation_markdown(alone), profile_json(alone)


def visit_app(url: str, data: Path, team: Team, deadline: float) -> Visit:
    """One visitor: chat, upload, a prompt + RAG trial (waiting in line), history, report."""
    from gradio_client import Client, handle_file

    from assistant.interview.questions import QUESTIONS
    from eval.config import RetrievalConfig

    visit = Visit(team)
    visit.client = Client(url, verbose=False, download_files=False)
    choices = QUESTIONS["use_case"].choices
    say(visit, "hello")
    say(visit, choices[team.index % len(choices)])
    visit.upload = call(
        visit.client, [handle_file(str(team.doc))], handle_file(str(team.qa)),
        api_name="/on_upload",
    )  # fmt: skip
    if "please try again" in str(visit.upload):  # the reply's own advice for a lost upload
        visit.upload = call(
            visit.client, [handle_file(str(team.doc))], handle_file(str(team.qa)),
            api_name="/on_upload",
        )  # fmt: skip
    if isinstance(visit.upload, (list, tuple)):  # (note, the "Evaluate on" choice)
        visit.upload = visit.upload[0]
    assert "chunks" in str(visit.upload), f"session {team.index}: upload said {visit.upload}"
    # The workspace is named by an id the server drew; only its upload folder tells it.
    [stored] = (data / "uploads").glob(f"session-*/{team.doc.name}")
    visit.workspace = stored.parent.name
    retrieval = RetrievalConfig()
    rows = {"headers": ["question", "answer", "source", "kind"], "data": [], "metadata": None}
    # One call: a trial waits for its turn in the line (behind the other nine at worst).
    out = visit.client.submit(  # chat, model, served name, adapter, trials, knobs, drill
        visit.chat, "", "", "", ["prompt", "rag"], retrieval.chunk_size, 2, 60, rows, 0,
        api_name="/run_knowledge",
    ).result(timeout=max(CALL_S, deadline - time.monotonic() + CALL_S))  # fmt: skip
    visit.trial_status = out[0]
    found = re.search(r"Run \*\*([^*]+)\*\*", visit.trial_status)
    assert found, (
        f"session {team.index}: trial did not run: {visit.trial_status[:300]}; "
        f"upload said: {str(visit.upload)[:300]}"
    )
    visit.run_id = found.group(1)
    item, visit.chat, visit.trial_panel = out[5], out[6], out[7]
    label = item.get("value") if isinstance(item, dict) else item
    visit.detail = call(visit.client, label, api_name="/question_detail")
    table = call(visit.client, api_name="/history")[0]
    visit.history_runs = [row[0] for row in table["data"]]
    default = call(visit.client, api_name="/report_runs")
    visit.report_default = default.get("value") if isinstance(default, dict) else default
    files, visit.report_note = call(visit.client, visit.run_id, api_name="/make_report")
    visit.report_files = list(files or [])
    md = next(f for f in visit.report_files if str(f.get("path", "")).endswith(".md"))
    visit.report_md = fetch(url, md["url"])[1]
    return visit


def fetch(base: str, url_or_path: str) -> tuple[int, str]:
    """GET a URL (or a path on the app) without following redirects; (status, body)."""
    url = urllib.parse.urljoin(base, url_or_path)
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as err:
        return err.code, ""


def file_route(base: str, path: str | Path) -> int:
    """Status of Gradio 6's file route for a server path, as a visitor could ask for it."""
    return fetch(base, "gradio_api/file=" + urllib.parse.quote(str(path)))[0]


@pytest.mark.slow
def test_ten_sessions_share_nothing(app, tmp_path):
    url, data = app
    taken: set[str] = set()
    teams = [make_team(tmp_path, i, taken) for i in range(SESSIONS)]
    deadline = time.monotonic() + BUDGET_S
    with ThreadPoolExecutor(SESSIONS) as pool:
        futures = [pool.submit(visit_app, url, data, team, deadline) for team in teams]
        visits = [f.result(timeout=BUDGET_S + CALL_S) for f in futures]
    assert time.monotonic() < deadline + CALL_S, "the ten visits took far too long"
    try:
        check_each_session_alone(visits)
        refusals = check_no_session_reaches_another(url, data, visits)
        by = {"by Gradio's dropdown" if "choices" in n else "by downloads.py" for n in refusals}
        print(f"foreign run ids refused {', '.join(sorted(by))}")
    finally:
        for visit in visits:
            visit.client.close()


def test_report_folders_are_unguessable_and_stale_ones_go(tmp_path):
    """Fast: each report gets a fresh random folder; only ones older than STALE_S go."""
    from assistant.web.downloads import STALE_S, report_folder

    reports = tmp_path / "reports" / "session-abc"
    recent = report_folder(reports)
    stale = report_folder(reports)
    legacy = reports / "adaptation-report.pdf"  # the fixed name reports had before
    legacy.write_bytes(b"%PDF")
    past = time.time() - STALE_S - 60
    for path in (stale, legacy):
        os.utime(path, (past, past))
    fresh = report_folder(reports)
    assert re.fullmatch(r"[0-9a-f]{32}", fresh.name) and fresh.parent == reports
    assert sorted(reports.iterdir()) == sorted([recent, fresh])


def check_each_session_alone(visits: list[Visit]) -> None:
    """Everything a session was shown names its own file, words and run, and no other's."""
    from assistant.interview.questions import QUESTIONS
    from assistant.web.safe import inert

    run_ids = {v.run_id for v in visits}
    assert len(run_ids) == SESSIONS and len({v.workspace for v in visits}) == SESSIONS
    choices = QUESTIONS["use_case"].choices
    for visit in visits:
        team, name = visit.team, visit.team.doc.name
        label = f"session {team.index}"
        others = [v for v in visits if v is not visit]
        counts = re.search(r"as (\d+) chunks to your workspace \((\d+) chunks in total\)",
                           visit.upload)  # fmt: skip
        assert counts and counts.group(1) == counts.group(2), f"{label}: {visit.upload}"
        assert "Found 12 question/answer pairs" in visit.upload, f"{label}: {visit.upload}"

        panel, profile = expected_advisor(choices[team.index % len(choices)])
        assert visit.panel == panel, f"{label}: the advisor panel is not its own"
        assert json.loads(visit.profile) == json.loads(profile), f"{label}: foreign profile"
        said = [text_of(m) for m in visit.chat if m.get("role") == "user"]
        assert said == ["hello", inert(choices[team.index % len(choices)])], f"{label}: {said}"
        assert visit.run_id in visit.trial_panel, f"{label}: the panel ignores its own run"

        sources = re.findall(r"^\d+\. (\S+)", visit.detail, flags=re.MULTILINE)
        assert sources and set(sources) == {name}, f"{label}: retrieved from {set(sources)}"
        assert visit.history_runs == [visit.run_id], f"{label}: history {visit.history_runs}"
        assert visit.report_default == visit.run_id, f"{label}: report offers another run"
        assert f"run {visit.run_id}" in visit.report_note and len(visit.report_files) == 3
        assert visit.run_id in visit.report_md, f"{label}: the report is not about its run"

        shown = "\n".join(
            [visit.upload, visit.trial_status, visit.trial_panel, visit.detail,
             visit.report_md, *map(text_of, visit.chat)]
        )  # fmt: skip
        for other in others:
            assert other.team.doc.name not in shown, f"{label} shows {other.team.doc.name}"
            assert other.run_id not in shown, f"{label} shows run {other.run_id}"
            leaked = [w for w in other.team.secrets if w in shown]
            assert not leaked, f"{label} shows session {other.team.index}'s facts {leaked}"


def check_no_session_reaches_another(url: str, data: Path, visits: list[Visit]) -> list[str]:
    """A foreign run id is refused; reports and uploads are not served by guessed paths."""
    refusals: list[str] = []
    for visit in visits:
        victim = visits[(visits.index(visit) + 1) % len(visits)]
        label = f"session {visit.team.index} → {victim.team.index}"
        try:
            files, note = call(visit.client, victim.run_id, api_name="/make_report")
        except Exception as err:  # Gradio refuses a value the session's dropdown never held
            files, note = [], str(err)
        assert not files, f"{label}: made a report of a foreign run ({note})"
        refused = ("does not belong to this session", "not in the list of choices")
        assert any(r in note for r in refused), f"{label}: {note}"
        refusals.append(note)

        reports = data / "reports" / victim.workspace
        guesses = [
            reports / "adaptation-report.pdf",  # the name before reports had a token folder
            reports / "adaptation-report.md",
            reports,
            data / "reports" / visit.workspace / ".." / victim.workspace / "adaptation-report.md",
            data / "uploads" / victim.workspace / victim.team.doc.name,
            data / "reports" / ".." / "uploads" / victim.workspace / victim.team.doc.name,
            data / "advisor.duckdb",
        ]
        for guess in guesses:
            assert file_route(url, guess) in (403, 404), f"{label}: {guess} is served"
        dotted = f"{data}/reports/%2e%2e/uploads/{victim.workspace}/{victim.team.doc.name}"
        assert fetch(url, "gradio_api/file=" + dotted)[0] in (403, 404), dotted

        # The real files sit in a 128-bit random folder whose name never leaves the server:
        # visitors are handed Gradio's cached copies.
        written = list(reports.rglob("adaptation-report.*"))
        assert len(written) == 3, f"{label}: {written}"
        token = written[0].parent
        assert token.parent == reports and re.fullmatch(r"[0-9a-f]{32}", token.name), token
        handed_out = [str(f.get("url", "")) for f in victim.report_files]
        assert not any("/reports/" in u for u in handed_out), "the token path left the server"
    return refusals
