"""A full disk for real: a trial on a small tmpfs that fills up while RAG answers.

Needs root (or the right to mount); skipped with the reason otherwise. Marked slow: it
mounts a file system and waits for heartbeats.
"""

from __future__ import annotations

import errno
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.core.errors import DiskFull
from eval.store import Store
from tests.fakes import ScriptedChat
from tests.fakes.disk import wait_for
from tests.fakes.jobs import knowledge_run
from tests.fakes.readers import reader

pytestmark = pytest.mark.slow


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 32 MB tmpfs, unmounted after: room for the 12 MB a reserve needs once filler goes."""
    folder = tmp_path / "small"
    folder.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=32m", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=False)


def fill(folder: Path) -> Path:
    """Write zeros until the disk holding `folder` is full; returns the filler file."""
    filler = folder / "filler"
    with filler.open("wb") as out:
        try:
            while True:
                out.write(b"\0" * 65536)
                out.flush()
        except OSError as err:
            assert err.errno == errno.ENOSPC
    return filler


def test_a_trial_on_a_disk_that_fills_up_keeps_the_first_trial_and_says_why(small_disk, env):
    store = Store(small_disk / "advisor.duckdb", beat_every=0.02)
    rag_calls = []

    def fill_at_third_rag_answer(messages):
        if messages[-1]["content"].startswith("Context:"):
            rag_calls.append(1)
            if len(rag_calls) == 3:
                fill(small_disk)
                wait_for(lambda: store.full is not None)  # the next heartbeat meets it
        return reader(messages)

    with store, pytest.raises(DiskFull) as raised:
        knowledge_run((env[0], store), ScriptedChat(respond=fill_at_third_rag_answer))
    message = str(raised.value)
    assert message.startswith(f"disk full in {small_disk}: about ") and "MB more needed" in message
    assert len(rag_calls) <= 4  # stopped at the next item, not answering on
    (small_disk / "filler").unlink()
    with Store(small_disk / "advisor.duckdb") as again:  # a later `runs`, space freed
        [row] = again.list_runs()
        assert row["status"] == "failed" and row["error"] == message
        assert {t["trial"]: t["status"] for t in row["trials"]} == {
            "prompt": "finished",
            "rag": "failed",
        }
        assert len(again.get_items(row["run_id"], "prompt")) == 20
        assert again.reserve is not None and again.reserve.held  # made again
