"""The store shared by two processes, and runs whose process died (heartbeat, identity).

Real subprocesses, because what is tested is the OS file lock and `kill -9`.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest

import eval.store.db as store_module
from eval.store import INTERRUPTED, Store
from eval.store.liveness import Process, RunOwner, is_dead, this_process, utc_now

ROOT = Path(__file__).resolve().parents[2]
RUN_ARGS = dict(workspace="ws", config={}, settings={}, models={}, files=[], seed=0)


def _item(idx: int) -> dict:
    return {"idx": idx, "question": f"Q{idx}", "reference": "a", "prediction": "a",
            "scores": {"contains": 1.0}, "latency_s": 0.1, "retrieved": []}  # fmt: skip


def _child(code: str) -> subprocess.Popen:
    preamble = f"import sys, time\nsys.path.insert(0, {str(ROOT)!r})\n"
    return subprocess.Popen(
        [sys.executable, "-c", preamble + code],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def _stop(child: subprocess.Popen) -> None:
    if child.poll() is None:
        child.kill()
    child.wait(timeout=30)


# -- two processes, one file -------------------------------------------------------------

WRITER = """
from eval.store import Store
store = Store({path!r}, beat_every=0.2)
run_id = store.start_run(workspace="child", config={{}}, settings={{}}, models={{}},
                         files=[], seed=0, app_version="test")
print(run_id, flush=True)
sys.stdin.readline()  # the parent has opened its own Store: now write at the same time
for i in range({n}):
    store.save_trial(run_id, f"child-{{i}}", "finished", {{"i": i}},
                     [{{"idx": 0, "question": "q"}}, {{"idx": 1, "question": "q"}}])
store.finish_run(run_id, "finished")
print("done", flush=True)
sys.stdin.readline()  # keep the Store open until the parent has read everything
"""


def test_two_processes_read_and_write_the_same_file(tmp_path):
    """A process holding a Store open (the web app) and another using the same file (the
    CLI): both write at the same time, each sees the other's rows, nothing is lost."""
    path, n = tmp_path / "advisor.duckdb", 15
    Store(path).close()  # create and migrate first, so the two do not race to migrate
    child = _child(WRITER.format(path=str(path), n=n))
    try:
        child_run = child.stdout.readline().strip()
        assert child_run, child.stderr.read()
        with Store(path) as store:  # the child still holds its Store open
            assert store.get_run(child_run)["run"]["status"] == "running"  # alive: not swept
            run_id = store.start_run(**RUN_ARGS, app_version="parent")
            child.stdin.write("go\n")
            child.stdin.flush()
            for i in range(n):
                store.save_trial(run_id, f"parent-{i}", "finished", {"i": i}, [_item(0), _item(1)])
                assert len(store.list_runs()) == 2
            store.finish_run(run_id, "finished")
            assert child.stdout.readline().strip() == "done", child.stderr.read()
            theirs = store.get_run(child_run)
            assert theirs["run"]["status"] == "finished" and len(theirs["trials"]) == n
            assert len(store.get_items(child_run)) == 2 * n
            assert len(store.get_items(run_id)) == 2 * n
            child.stdin.write("bye\n")
            child.stdin.flush()
        assert child.wait(timeout=60) == 0, child.stderr.read()
    finally:
        _stop(child)


# -- runs whose process died --------------------------------------------------------------

BEATER = """
from eval.store import Store
store = Store({path!r}, beat_every=0.1)
run_id = store.start_run(workspace="ws", config={{}}, settings={{}}, models={{}}, files=[],
                         seed=0, app_version="test")
print(run_id, flush=True)
time.sleep(120)
"""


def _heartbeat(store: Store, run_id: str) -> str:
    return store.get_run(run_id)["run"]["heartbeat_at"]


@pytest.mark.skipif(not this_process().boot_id, reason="needs Linux /proc")
def test_a_killed_run_fails_once_its_heartbeat_is_stale(tmp_path, monkeypatch):
    """As seen from another container (another pid namespace, so its pid cannot be
    checked): a run killed with -9 is failed once no heartbeat came for `stale_after`
    seconds; a finished run, its items and its artefacts are left alone."""
    path, runs_dir = tmp_path / "advisor.duckdb", tmp_path / "runs"
    with Store(path) as store:
        done = store.start_run(**RUN_ARGS, app_version="test")
        store.save_trial(done, "prompt", "finished", {"contains": 1.0}, [_item(0), _item(1)])
        store.finish_run(done, "finished")
    me = this_process()
    elsewhere = Process(me.pid, me.boot_id, "pid:[another-container]/1/1")
    monkeypatch.setattr(store_module, "this_process", lambda: elsewhere)

    child = _child(BEATER.format(path=str(path)))
    try:
        killed = child.stdout.readline().strip()
        assert killed, child.stderr.read()
        with Store(path, stale_after=30) as store:
            first = _heartbeat(store, killed)
            deadline = time.monotonic() + 20
            while _heartbeat(store, killed) == first and time.monotonic() < deadline:
                time.sleep(0.2)
            assert _heartbeat(store, killed) != first, "the child's run never beat"
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        _stop(child)
    (runs_dir / killed / "adapter").mkdir(parents=True)
    (runs_dir / killed / "adapter" / "weights.bin").write_bytes(b"half")
    (runs_dir / done / "adapter").mkdir(parents=True)

    with Store(path, stale_after=3600) as store:  # dead, but not silent for long enough
        assert store.get_run(killed)["run"]["status"] == "running"
    time.sleep(1.2)
    with Store(path, stale_after=1.0) as store:  # opening sweeps
        run = store.get_run(killed)["run"]
        assert (run["status"], run["error"]) == ("failed", INTERRUPTED) and run["finished_at"]
        finished = store.get_run(done)
        assert finished["run"]["status"] == "finished" and finished["run"]["error"] == ""
        assert finished["trials"]["prompt"]["summary"] == {"contains": 1.0}
        assert len(store.get_items(done)) == 2
        assert store.mark_interrupted() == 0
    assert not (runs_dir / killed).exists()  # half-written adapter removed
    assert (runs_dir / done / "adapter").is_dir()  # a finished run's is kept


def test_our_runs_beat_on_their_own_until_finished(tmp_path):
    with Store(tmp_path / "a.duckdb", beat_every=0.05) as store:
        run_id = store.start_run(**RUN_ARGS, app_version="test")
        first = _heartbeat(store, run_id)
        deadline = time.monotonic() + 10
        while _heartbeat(store, run_id) == first and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _heartbeat(store, run_id) > first
        store.finish_run(run_id, "finished")
        assert store.beat(run_id) is False  # a finished run no longer beats


def _owner(**changes) -> RunOwner:
    me = this_process()
    base = dict(pid=me.pid, boot_id=me.boot_id, owner=me.owner, heartbeat_at=utc_now())
    return RunOwner(**(base | changes))


@pytest.mark.skipif(not this_process().boot_id, reason="needs Linux /proc")
def test_is_dead_tells_reused_pids_reboots_and_other_containers_apart():
    me, now = this_process(), utc_now()
    namespace, pid, start = me.owner.split("/")
    stale = now - timedelta(seconds=600)
    assert not is_dead(_owner(heartbeat_at=stale), me, now, 120)  # ours: plainly alive
    # A restarted container: same pid namespace name and pid, another start time.
    reused = _owner(owner=f"{namespace}/{pid}/{int(start) - 1}")
    assert is_dead(reused, me, now, 120)
    assert is_dead(_owner(boot_id="another-boot"), me, now, 120)  # the machine rebooted
    assert is_dead(_owner(owner=None), me, now, 120)  # written by a version that held the file
    # Another live process in our namespace: alive whatever its heartbeat says.
    parent = os.getppid()
    parent_start = Path(f"/proc/{parent}/stat").read_text().rsplit(")", 1)[1].split()[19]
    other = _owner(pid=parent, owner=f"{namespace}/{parent}/{parent_start}", heartbeat_at=stale)
    assert not is_dead(other, me, now, 120)
    # Another container: only the heartbeat can tell.
    foreign = f"pid:[elsewhere]/{pid}/{start}"
    assert not is_dead(_owner(owner=foreign), me, now, 120)
    assert is_dead(_owner(owner=foreign, heartbeat_at=stale), me, now, 120)
