"""Every command run with --json that fails prints one {"error": ...} object on stdout."""

from __future__ import annotations

import json
import os

import pytest

from assistant.cli import COMMANDS, main
from assistant.cli.base import Command
from assistant.core import datadir


@pytest.fixture
def env(tmp_path, monkeypatch):
    """Settings from the environment only, with a fresh data folder."""
    monkeypatch.chdir(tmp_path)
    for key in [k for k in os.environ if k.startswith("ADVISOR_")]:
        monkeypatch.delenv(key)
    monkeypatch.setenv("ADVISOR_DATA_DIR", str(tmp_path / "data"))
    return monkeypatch


def json_failure(capsys, argv: list[str], code: int) -> str:
    """Run a failing command with --json: one JSON object with "error" on stdout."""
    assert main(argv) == code
    out, err = capsys.readouterr()
    lines = out.strip().splitlines()
    assert len(lines) == 1, out
    data = json.loads(lines[0])
    assert set(data) == {"error"} and data["error"], data
    assert "Traceback" not in out + err and "usage:" not in err
    return data["error"]


def test_json_errors_from_every_kind_of_failure(env, tmp_path, capsys, monkeypatch):
    db = str(tmp_path / "c.duckdb")
    bad_flag = json_failure(capsys, ["runs", "--json", "--limit", "many"], 2)
    assert "--limit" in bad_flag and "invalid int value" in bad_flag
    assert "unrecognized" in json_failure(capsys, ["runs", "--json", "--bogus"], 2)
    no_run = ["report", "--run-id", "nope", "--out", str(tmp_path / "r.md"), "--db", db, "--json"]
    assert "nope" in json_failure(capsys, no_run, 2)
    missing = ["recommend", "--profile", str(tmp_path / "none.json"), "--json"]
    assert "cannot read profile file" in json_failure(capsys, missing, 2)
    assert "--docs" in json_failure(capsys, ["trial", "--json"], 2)

    def broken(args):
        raise RuntimeError("a bug")

    monkeypatch.setitem(COMMANDS, "runs", Command("list", broken, COMMANDS["runs"].add_args))
    assert json_failure(capsys, ["runs", "--json"], 1).startswith("internal error (RuntimeError)")


def test_without_json_a_mistyped_flag_still_shows_usage(env, capsys):
    assert main(["runs", "--limit", "many"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("usage: app.py runs") and "\nerror: " in err


def test_doctor_json_with_problems_says_error(env, capsys, monkeypatch):
    def refuse(folder):
        raise PermissionError(13, "Permission denied", str(folder))

    monkeypatch.setattr(datadir, "_probe", refuse)
    assert main(["doctor", "--no-smoke", "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["problems"] and "cannot write to the data folder" in report["error"]
