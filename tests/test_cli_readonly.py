"""Read-only commands work on a read-only data folder, and leave it exactly as it was.

Tests run as root, where chmod does not stop writes: in-process tests refuse the write
probe (`assistant.core.datadir._probe`, the one place that asks), and one test runs the
real `app.py` as the unprivileged `nobody` on a folder chmod'ed read-only, where the
operating system itself refuses every write.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

import pytest

from assistant.cli import main
from assistant.core import datadir
from eval.store import Store

ROOT = Path(__file__).resolve().parents[1]
PROFILE = str(ROOT / "examples" / "legal_team.json")


def seed(data: Path) -> str:
    """A data folder whose database holds one finished run; returns its id."""
    with Store(data / "advisor.duckdb") as store:
        run_id = store.start_run(
            workspace="default", config={"trials": ["rag"]}, settings={}, models={},
            files=[], seed=0, app_version="test", n_train=10, n_heldout=20,
        )  # fmt: skip
        store.save_trial(run_id, "rag", "finished", {"exact_match": 0.6, "token_f1": 0.7}, [])
        store.finish_run(run_id, "finished")
    return run_id


def fingerprint(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def read_only(tmp_path, monkeypatch):
    """A seeded data folder the write probe calls read-only; (folder, run id)."""
    data = tmp_path / "data"
    run_id = seed(data)
    monkeypatch.chdir(tmp_path)
    for key in [k for k in os.environ if k.startswith("ADVISOR_")]:
        monkeypatch.delenv(key)
    monkeypatch.setenv("ADVISOR_DATA_DIR", str(data))

    probe = datadir._probe

    def refuse(folder):  # only the data folder is read-only; temporary folders are not
        if Path(folder).resolve().is_relative_to(data.resolve()):
            raise OSError(errno.EROFS, "Read-only file system", str(folder))
        probe(folder)

    monkeypatch.setattr(datadir, "_probe", refuse)
    return data, run_id


def python_for_nobody() -> tuple[str, dict[str, str]]:
    """An interpreter `nobody` may run, with this one's packages ("" if there is none).

    A pyenv Python under /root (0700) cannot be run by another user; the system
    Python of the same version can, given this environment's site-packages.
    """
    exe = Path(sys.executable).resolve()
    if all(p.stat().st_mode & 0o001 for p in exe.parents):
        return sys.executable, {}
    system = Path(f"/usr/bin/python{sys.version_info.major}.{sys.version_info.minor}")
    if not system.is_file():
        return "", {}
    return str(system), {"PYTHONPATH": sysconfig.get_paths()["purelib"]}


def test_runs_report_and_recommend_read_a_read_only_folder(read_only, tmp_path, capsys):
    data, run_id = read_only
    before = fingerprint(data)
    assert main(["runs", "--json"]) == 0
    runs = json.loads(capsys.readouterr().out)["runs"]
    assert [r["run_id"] for r in runs] == [run_id]

    out = tmp_path / "report.md"
    argv = ["report", "--run-id", run_id, "--format", "md", "--out", str(out), "--json"]
    assert main(argv) == 0
    assert json.loads(capsys.readouterr().out)["out"] == str(out)
    assert run_id in out.read_text()

    inside = ["report", "--run-id", run_id, "--format", "md", "--out", str(data), "--json"]
    assert main(inside) == 2  # the folder itself is no file to write: one line
    assert "choose another --out" in json.loads(capsys.readouterr().out)["error"]

    assert main(["recommend", "--profile", PROFILE, "--run-id", run_id, "--json"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["approach"]
    assert "recommendations are not logged" in captured.err
    assert fingerprint(data) == before  # nothing in the folder changed


def test_trial_still_refuses_in_one_line(read_only, capsys):
    data, _ = read_only
    assert main(["trial", "--docs", str(data), "--json"]) == 2
    assert "read-only" in json.loads(capsys.readouterr().out)["error"]


def test_ask_builds_its_guidance_index_elsewhere(read_only, monkeypatch, capsys):
    from assistant.core import models
    from tests.fakes import HashEmbedder, ScriptedChat

    data, _ = read_only
    before = fingerprint(data)
    chat = ScriptedChat(respond=lambda m: "LoRA trains small adapter matrices.")
    monkeypatch.setattr(models, "load_chat_model", lambda settings: chat)
    monkeypatch.setattr(models, "load_embedder", lambda settings: HashEmbedder())
    assert main(["ask", "What is LoRA?", "--json"]) == 0
    captured = capsys.readouterr()
    answer = json.loads(captured.out)
    assert answer["answer"].startswith("From the guidance") and answer["citations"]
    assert "read-only" in captured.err and not (data / "chroma").exists()
    assert fingerprint(data) == before
    leftovers = list(Path(tempfile.gettempdir()).glob("advisor-guidance-*"))
    assert not leftovers, leftovers


def test_doctor_reports_the_folder_and_still_runs(read_only, capsys):
    assert main(["doctor", "--no-smoke", "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["libraries"] and any("read-only" in p for p in report["problems"])


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to run a command as nobody")
def test_app_py_as_an_unprivileged_user_on_a_chmod_read_only_folder(tmp_path):
    python, extra = python_for_nobody()
    if not python:
        pytest.skip("no Python here that an unprivileged user may run")
    top = Path(tempfile.mkdtemp(prefix="advisor-ro-"))  # pytest's tmp is root-only (0700)
    try:
        data = top / "data"
        run_id = seed(data)
        out = top / "out"
        out.mkdir()
        os.chown(out, 65534, 65534)
        for folder in (top, data):
            folder.chmod(0o555)
        (data / "advisor.duckdb").chmod(0o444)
        before = fingerprint(data)

        def as_nobody(*args: str) -> subprocess.CompletedProcess:
            env = {"PATH": os.environ["PATH"], "ADVISOR_DATA_DIR": str(data), "HOME": str(out),
                   "PYTHONDONTWRITEBYTECODE": "1", **extra}  # fmt: skip
            return subprocess.run(
                [python, "app.py", *args], cwd=ROOT, env=env, capture_output=True,
                text=True, timeout=120, user=65534, group=65534,
            )  # fmt: skip

        probe = as_nobody("doctor", "--no-smoke", "--json")
        if "permission denied" not in probe.stdout:
            pytest.skip(f"chmod does not stop this user here: {probe.stdout[-300:]}")
        runs = as_nobody("runs", "--json")
        assert runs.returncode == 0, runs.stdout + runs.stderr
        assert [r["run_id"] for r in json.loads(runs.stdout)["runs"]] == [run_id]
        report = as_nobody("report", "--run-id", run_id, "--format", "md",
                           "--out", str(out / "r.md"), "--json")  # fmt: skip
        assert report.returncode == 0, report.stdout + report.stderr
        assert run_id in (out / "r.md").read_text()
        trial = as_nobody("trial", "--docs", str(data), "--json")
        assert trial.returncode == 2 and "permission denied" in json.loads(trial.stdout)["error"]
        assert fingerprint(data) == before
    finally:
        for folder in (top, top / "data"):
            folder.chmod(0o755)
        shutil.rmtree(top, ignore_errors=True)
