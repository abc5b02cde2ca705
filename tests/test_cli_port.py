"""`app.py --port N` with N taken: one line naming the port and the setting, no traceback."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.cli import main

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def env(tmp_path, monkeypatch):
    """Settings from the environment only, with a fresh data folder."""
    monkeypatch.chdir(tmp_path)
    for key in [k for k in os.environ if k.startswith("ADVISOR_")]:
        monkeypatch.delenv(key)
    monkeypatch.setenv("ADVISOR_DATA_DIR", str(tmp_path / "data"))
    return monkeypatch


@pytest.fixture
def taken_port() -> Iterator[int]:
    """A port this test holds (bound and listening) for as long as the test runs."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock.getsockname()[1]


def test_a_busy_port_is_one_line_naming_the_port_and_setting(env, taken_port, capsys):
    assert main(["--port", str(taken_port)]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith(f"error: cannot listen on 127.0.0.1:{taken_port}: it is already in use")
    assert "--port" in err and "ADVISOR_PORT" in err


def test_app_py_with_a_busy_port_exits_without_a_traceback(env, taken_port, tmp_path):
    proc = subprocess.run(
        [sys.executable, str(ROOT / "app.py"), "--port", str(taken_port)],
        capture_output=True, text=True, timeout=120, env=os.environ | {"PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.strip().splitlines() == [
        f"error: cannot listen on 127.0.0.1:{taken_port}: it is already in use; stop what is "
        "using it, or choose another port with --port N or ADVISOR_PORT"
    ]


def test_the_port_setting_is_checked_too(env, taken_port, capsys):
    env.setenv("ADVISOR_PORT", str(taken_port))
    assert main(["serve"]) == 2
    assert f":{taken_port}: it is already in use" in capsys.readouterr().err
