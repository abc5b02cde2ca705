"""Hostile inputs at the web and command-line doors: crafted session hashes, floods,
oversize messages, a busy port, failing --json commands.

Same table and verdicts as test_hostile_inputs.py (`doors.judge`). A leak, one visitor
reaching another's workspace, runs, comparisons or reports, is recorded as `wrong` with
the word LEAK; `test_probe_summary` fails on any crash, loss or leak.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.hostile.doors import Case, Env, judge, tally
from tests.hostile.web_doors import (
    busy_port,
    crafted_hashes,
    forged_forwarded,
    full_line,
    headers_on,
    json_failure,
    login_flood,
    oversize_message,
)

# -- the table ---------------------------------------------------------------------------

CASES = [
    Case(
        "hash-suffix",
        "session",
        crafted_hashes("victimAAAA000001", "victimAAAA000001!x"),
        ("does not belong",),
    ),
    Case("hash-no-letters", "session", crafted_hashes("!!!!!!", "@@@@@@"), ("does not belong",)),
    Case("hash-empty", "session", crafted_hashes("", ""), ("does not belong",)),
    Case(
        "hash-traversal",
        "session",
        crafted_hashes("../../etc/passwd", "..%2F..%2Fetc"),
        ("does not belong",),
    ),
    Case("hash-10kb", "session", crafted_hashes("A" * 10_000, "A" * 10_001), ("does not belong",)),
    Case(
        "chat-1mb",
        "chat",
        oversize_message("budget is high " * 70_000),
        ("couldn't read", "8.0 KB", "Back to my question"),
    ),
    Case(
        "chat-multibyte-over-limit",
        "chat",
        oversize_message("é" * 4097),
        ("couldn't read", "8.0 KB"),
    ),
    Case("chat-nul-flood", "chat", oversize_message("\x00" * 9000), ("couldn't read",)),
    Case("chat-line-full", "queue", full_line(), ("From the guidance", "in line", "Sources:")),
    Case("login-flood", "login", login_flood(20), ("Too many login attempts", "429")),
    Case(
        "login-many-addresses", "login", login_flood(6, clients=300), ("Too many login attempts",)
    ),
    Case("headers-on-500", "http", headers_on("/gradio_api/queue/join", 500), ("nosniff",)),
    Case(
        "headers-on-html-file",
        "http",
        headers_on("/gradio_api/file=/x.html", 200),
        ("frame-ancestors 'none'",),
    ),
    Case("busy-port", "cli", busy_port(), ("already in use", "ADVISOR_PORT")),
    Case("json-bad-flag", "cli", json_failure("runs", "--json", "--limit", "-x"), ("--limit",)),
    Case(
        "json-unknown-run",
        "cli",
        json_failure(
            "report", "--run-id", "nope", "--out", "{tmp}/r.md", "--db", "{tmp}/c.duckdb", "--json"
        ),
        ("nope",),
    ),
    Case("json-no-docs", "cli", json_failure("trial", "--json"), ("--docs",)),
    Case(
        "json-ingest-missing",
        "cli",
        json_failure("ingest", "{tmp}/nope", "--json"),
        ("not found", "nope"),
    ),
    Case("login-forged-forwarded", "login", forged_forwarded(), ("Too many login attempts",)),
    Case(
        "json-profile-not-json",
        "cli",
        json_failure(
            "recommend", "--profile", str(Path(__file__)), "--db", "{tmp}/c.duckdb", "--json"
        ),
        ("not valid JSON",),
    ),
]

RESULTS: dict[str, tuple[str, str]] = {}


@pytest.fixture(scope="module")
def env(tmp_path_factory) -> Env:
    return Env(tmp_path_factory.mktemp("probe-web-data"))


@pytest.fixture(autouse=True)
def _clean_settings(monkeypatch, tmp_path):
    """CLI cases read settings from the environment only, with their own data folder."""
    import os

    monkeypatch.chdir(tmp_path)
    for key in [k for k in os.environ if k.startswith("ADVISOR_")]:
        monkeypatch.delenv(key)
    monkeypatch.setenv("ADVISOR_DATA_DIR", str(tmp_path / "data"))


@pytest.mark.parametrize("case", CASES, ids=str)
def test_probe(case: Case, env: Env, tmp_path: Path) -> None:
    verdict, detail = RESULTS[case.id] = judge(case, tmp_path, env)
    if verdict == "skipped":
        pytest.skip(detail)
    assert verdict == "clean", f"{case.door} / {case.id}: {verdict}: {detail}"


def test_probe_summary(env: Env, tmp_path_factory) -> None:
    """Counts over every case: no crash, no data lost, nothing leaked."""
    counts = tally("web probes", CASES, RESULTS, env, tmp_path_factory.mktemp)
    assert counts["crash"] == 0 and counts["data lost"] == 0 and counts["leaked"] == 0
    assert len(CASES) >= 10
