"""An unwritable data folder is one clear line at start, never a traceback mid-trial.

Tests run as root in the container, where chmod 0o555 does not stop writes; so the
real-permission test skips there, and the others use what even root cannot write into
(a path that is a file) or simulate the refusal at the single place we probe.
"""

from __future__ import annotations

import errno
import os

import pytest

from assistant.cli import main
from assistant.core import datadir
from assistant.core.doctor import run_doctor
from assistant.core.errors import SettingsError, StoreError
from assistant.core.settings import load_settings
from eval.store import Store


def _refuse(folder) -> None:
    raise PermissionError(errno.EACCES, "Permission denied", str(folder))


@pytest.fixture
def env(tmp_path, monkeypatch):
    """Settings from the environment only, no advisor.toml from the working directory."""
    monkeypatch.chdir(tmp_path)
    for key in [k for k in os.environ if k.startswith("ADVISOR_")]:
        monkeypatch.delenv(key)
    return monkeypatch


def _one_error_line(capsys) -> str:
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    assert "Traceback" not in err
    return lines[0]


def test_a_writable_folder_is_made_and_passes(tmp_path):
    folder = tmp_path / "new" / "data"
    assert datadir.unwritable_reason(folder) == "" and folder.is_dir()
    assert list(folder.iterdir()) == []  # the probe file is gone


def test_a_file_where_the_folder_should_be_is_named(tmp_path):
    blocker = tmp_path / "data"
    blocker.write_text("not a folder")
    assert datadir.unwritable_reason(blocker) == "it is a file, not a folder"


def test_a_read_only_folder_is_refused(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        if datadir.unwritable_reason(folder) == "":
            pytest.skip("running as root (or similar): chmod 0o555 does not stop writes here")
        assert datadir.unwritable_reason(folder) == "permission denied"
    finally:
        folder.chmod(0o755)


def test_check_names_the_folder_and_the_setting(tmp_path, monkeypatch):
    monkeypatch.setattr(datadir, "_probe", _refuse)
    settings = load_settings(env={}, data_dir=str(tmp_path / "data"))
    with pytest.raises(SettingsError) as info:
        datadir.check_data_dir(settings)
    message = str(info.value)
    assert str(tmp_path / "data") in message and "permission denied" in message
    assert "ADVISOR_DATA_DIR" in message and "\n" not in message
    assert info.value.problems == [message]  # the db lives in the data folder: said once


def test_a_store_in_an_unwritable_folder_fails_on_open_in_one_line(tmp_path, monkeypatch):
    monkeypatch.setattr(datadir, "_probe", _refuse)
    with pytest.raises(StoreError) as info:
        Store(tmp_path / "data" / "advisor.duckdb")
    message = str(info.value)
    assert "cannot write to the database folder" in message and "\n" not in message
    assert "ADVISOR_DATA_DIR" in message


def test_app_start_refuses_an_unwritable_data_folder_in_one_line(tmp_path, env, capsys):
    blocker = tmp_path / "data"
    blocker.write_text("")
    env.setenv("ADVISOR_DATA_DIR", str(blocker))
    assert main(["serve"]) == 2  # refused before the web app is even imported
    line = _one_error_line(capsys)
    assert str(blocker) in line and "ADVISOR_DATA_DIR" in line


def test_runs_reads_even_where_the_data_folder_cannot_be(tmp_path, env, capsys):
    """`runs` only reads: a blocked data folder holds no runs, and the note says why."""
    blocker = tmp_path / "data"
    blocker.write_text("")
    env.setenv("ADVISOR_DATA_DIR", str(blocker))
    assert main(["runs"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("no runs yet") and "Traceback" not in err
    assert err.startswith("note: no database at") and "it is a file, not a folder" in err


def test_trial_refuses_before_loading_models(tmp_path, env, capsys, monkeypatch):
    env.setenv("ADVISOR_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setattr(datadir, "_probe", _refuse)
    assert main(["trial", "--docs", str(tmp_path)]) == 2
    assert "permission denied" in _one_error_line(capsys)


def test_doctor_lists_it_as_a_problem(tmp_path, env, monkeypatch):
    env.setenv("ADVISOR_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setattr(datadir, "_probe", _refuse)
    problems = run_doctor(smoke=False)["problems"]
    assert any("cannot write to the data folder" in p for p in problems)
