"""The app starts and serves its page without touching any network but loopback."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_help_lists_subcommands():
    out = subprocess.run(
        [sys.executable, "app.py", "--help"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert "doctor" in out and "serve" in out


def test_bad_setting_is_one_line_without_traceback(tmp_path):
    env = {**os.environ, "ADVISOR_CHAT_BACKEND": "ollama", "ADVISOR_DATA_DIR": str(tmp_path)}
    proc = subprocess.run(
        [sys.executable, "app.py", "doctor", "--no-smoke", "--json"],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert proc.returncode == 1
    report = json.loads(proc.stdout)
    assert any("chat_backend" in p for p in report["problems"])
    assert "Traceback" not in proc.stderr


@pytest.mark.slow
def test_doctor_json_lists_default_models(tmp_path):
    env = {**os.environ, "ADVISOR_DATA_DIR": str(tmp_path)}
    proc = subprocess.run(
        [sys.executable, "app.py", "doctor", "--json"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    report = json.loads(proc.stdout)
    found = {m["key"]: m for m in report["models"] if m["found"]}
    assert "smollm2-135m-instruct" in found and "all-minilm-l6-v2" in found
    assert report["smoke"]["ok"] and report["smoke"]["tokens_per_second"] > 0
    assert report["embedding"]["dim"] == 384
    assert proc.returncode == 0, report["problems"]


@pytest.mark.slow
def test_app_starts_without_network(tmp_path):
    port = free_port()
    log = tmp_path / "net.log"
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT / "tests" / "netguard"),
        "NETGUARD_LOG": str(log),
        "ADVISOR_DATA_DIR": str(tmp_path / "data"),
    }
    for key in ("HF_HUB_OFFLINE", "GRADIO_ANALYTICS_ENABLED", "TRANSFORMERS_OFFLINE"):
        env.pop(key, None)  # the app must set these itself
    proc = subprocess.Popen(
        [sys.executable, "app.py", "--port", str(port)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        page = _wait_for_page(f"http://127.0.0.1:{port}/", proc)
        assert "Adaptation Advisor" in page
        time.sleep(2)  # give any background phone-home a chance to show up
    finally:
        proc.terminate()
        output = proc.communicate(timeout=30)[0]
    attempts = log.read_text() if log.exists() else ""
    assert attempts == "", f"network access during start:\n{attempts}\n{output[-2000:]}"


def _wait_for_page(url: str, proc: subprocess.Popen, timeout: float = 120) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"app exited: {proc.stdout.read()[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.read().decode("utf-8", "replace")
        except OSError:
            time.sleep(0.5)
    raise AssertionError("app did not serve its page in time")
