"""The app starts and serves its page without touching any network but loopback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.fakes.server import free_port, wait_for_page

ROOT = Path(__file__).resolve().parents[1]


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
        "NETGUARD_LOADED": str(tmp_path / "guard.loaded"),
        "ADVISOR_DATA_DIR": str(tmp_path / "data"),
    }
    for key in ("HF_HUB_OFFLINE", "GRADIO_ANALYTICS_ENABLED", "TRANSFORMERS_OFFLINE"):
        env.pop(key, None)  # the app must set these itself
    proc = subprocess.Popen(
        [sys.executable, "app.py", "--port", str(port)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        page = wait_for_page(f"http://127.0.0.1:{port}/", proc)
        assert "Adaptation Advisor" in page
        time.sleep(2)  # give any background phone-home a chance to show up
    finally:
        proc.terminate()
        output = proc.communicate(timeout=30)[0]
    loaded = tmp_path / "guard.loaded"
    assert loaded.exists() and f"pid {proc.pid}" in loaded.read_text(), "the guard never loaded"
    attempts = log.read_text() if log.exists() else ""
    assert attempts == "", f"network access during start:\n{attempts}\n{output[-2000:]}"
