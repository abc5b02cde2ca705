"""`app.py ingest --workspace` with a name outside the rule: one error line, no model load."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("name", ["team a", "team/a", "Team"])
def test_a_bad_workspace_name_is_one_error_line(tmp_path, name):
    proc = subprocess.run(
        [sys.executable, "app.py", "ingest", "examples/sample_docs", "--workspace", name],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={"PATH": "/usr/bin:/bin", "ADVISOR_DATA_DIR": str(tmp_path)},
    )  # fmt: skip
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.strip() == (
        f"error: workspace name {name!r} is not allowed: use 1-40 lowercase letters, digits, "
        "'-' or '_', starting with a letter or digit (for example 'team-a')"
    )
    assert not (tmp_path / "chroma").exists()


@pytest.mark.parametrize("what", ["missing", "empty"])
def test_a_missing_path_or_empty_folder_is_refused_before_the_embedder_loads(tmp_path, what):
    """`ingest` once loaded the embedder, then reported a missing path as skipped and an
    empty folder as "0 files", both with exit code 0; `trial` refused them up front."""
    path = tmp_path / "docs"
    if what == "empty":
        path.mkdir()
    proc = subprocess.run(
        [sys.executable, "app.py", "ingest", str(path), "--json"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={"PATH": "/usr/bin:/bin", "ADVISOR_DATA_DIR": str(tmp_path / "data")},
    )  # fmt: skip
    reason = "not found" if what == "missing" else "empty folder"
    assert proc.returncode == 2 and proc.stdout.startswith('{"error": "' + reason)
    assert str(path) in proc.stdout
    assert not (tmp_path / "data" / "chroma").exists()  # nothing opened, nothing loaded
