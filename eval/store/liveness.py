"""Is a 'running' run really running? Heartbeats and process identity for the dead-run sweep.

A run killed with ``kill -9`` (or by a crash, an out-of-memory kill, a container restart)
never gets to write its final status, so `Store` sweeps on open and when listing runs:
every 'running' run whose process is gone is marked failed. Telling "gone" apart from
"busy in another process" is the whole job of this module:

- A pid alone is not enough: a restarted container starts its app as the same pid, so
  "pid 1 is alive" says nothing. Each run therefore records its process as
  ``<pid namespace>/<pid>/<start time in clock ticks since boot>`` plus the kernel's
  boot id. On the same boot and in the same pid namespace that triple names exactly one
  process, so a live run is recognised and a dead one is failed at once.
- A different boot id means the machine restarted since: the run is dead.
- Anything else (another container's pid namespace, no /proc as on macOS or Windows)
  falls back to the heartbeat: a live run's process updates ``heartbeat_at`` every few
  seconds from a daemon thread (so long LoRA steps without progress reports still beat),
  and a run not heard from for ``stale_after`` seconds is dead.
- A process never sweeps its own runs: it is plainly alive.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import threading
import uuid
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from assistant.core.processes import pid_alive

INTERRUPTED = "the process stopped while this run was in progress (crash or restart)"
STALE_AFTER = 120.0  # seconds without a heartbeat before another process calls a run dead
BEAT_EVERY = 10.0  # seconds between heartbeats; well inside STALE_AFTER even on a busy CPU
_RUN_ID = re.compile(r"[0-9a-f]{12}")  # what Store.start_run makes; nothing else is deleted
_log = logging.getLogger("advisor.store")


@dataclass(frozen=True)
class Process:
    """Who we are, as recorded with each run we start."""

    pid: int
    boot_id: str  # the kernel's boot id; "" where there is no /proc
    owner: str  # "<pid namespace>/<pid>/<start ticks>" on Linux, else "uuid:<hex>"


@dataclass(frozen=True)
class RunOwner:
    """What a 'running' row says about the process that started it."""

    pid: int | None
    boot_id: str | None
    owner: str | None
    heartbeat_at: datetime | None  # naive UTC


_me: dict[int, Process] = {}  # keyed by pid, so a forked child works out its own


def this_process() -> Process:
    pid = os.getpid()
    if pid not in _me:
        boot, start = _read("/proc/sys/kernel/random/boot_id"), _start_ticks(pid)
        try:
            namespace = os.readlink("/proc/self/ns/pid")
        except OSError:
            namespace = ""
        if boot and namespace and start:
            _me[pid] = Process(pid, boot, f"{namespace}/{pid}/{start}")
        else:
            _me[pid] = Process(pid, "", f"uuid:{uuid.uuid4().hex}")
    return _me[pid]


def utc_now() -> datetime:
    """Heartbeats are naive UTC: processes in different time zones must agree on 'stale'."""
    return datetime.now(UTC).replace(tzinfo=None)


def is_dead(run: RunOwner, me: Process, now: datetime, stale_after: float) -> bool:
    """Whether the process that started `run` is gone (see the module docstring)."""
    if not run.owner:
        # Written before runs had owners, by a version that held the file for its whole
        # life: if we could open the file, that process has exited.
        return True
    if run.boot_id and me.boot_id and run.boot_id != me.boot_id:
        # Checked first: after a reboot a service can get the same namespace, pid and start
        # tick as before (the initial pid namespace's name never changes).
        return True
    if run.owner == me.owner:
        return False
    alive = _process_alive(run, me)
    if alive is not None:
        return not alive
    if run.heartbeat_at is None:
        return True
    return (now - run.heartbeat_at).total_seconds() > stale_after


def _process_alive(run: RunOwner, me: Process) -> bool | None:
    """True/False when the process can be checked for certain, None when only the
    heartbeat can tell (another pid namespace, or no /proc to tell pid reuse apart)."""
    parts, mine = (run.owner or "").split("/"), me.owner.split("/")
    if len(parts) == 3 and len(mine) == 3 and run.boot_id == me.boot_id:
        namespace, pid, start = parts
        if namespace == mine[0] and pid.isdigit():
            return _start_ticks(int(pid)) == start
        return None
    if not run.boot_id and not me.boot_id and not pid_alive(run.pid):
        return False  # no /proc: a missing pid is certain, a present one is not
    return None


def _read(path: str) -> str:
    try:
        return Path(path).read_text().strip()
    except OSError:
        return ""


def _start_ticks(pid: int) -> str:
    """When process `pid` started (clock ticks since boot); "" if none or a zombie."""
    fields = _read(f"/proc/{pid}/stat").rsplit(")", 1)[-1].split()
    if len(fields) < 20 or fields[0] == "Z":  # a killed child nobody reaped yet is dead
        return ""
    return fields[19]  # field 22 of proc(5); fields[0] is field 3


def remove_artefacts(runs_dir: Path | None, run_ids: Iterable[str]) -> None:
    """Delete what dead runs left half-written under ``runs_dir/<run_id>`` (adapters).

    A run that died mid-way never scored or recorded those files, so nothing refers to
    them; left behind they would only fill the disk, ~MBs per LoRA adapter.
    """
    if runs_dir is None:
        return
    for run_id in run_ids:
        folder = runs_dir / run_id
        if _RUN_ID.fullmatch(run_id) and folder.is_dir() and not folder.is_symlink():
            shutil.rmtree(folder, ignore_errors=True)


class Heartbeat:
    """Beats for the runs this process has in progress, from one daemon thread.

    `beat` gets the run ids and returns those still running; the others (finished, or
    failed by someone else's sweep) are dropped. The thread ends when no run is left
    and starts again with the next one, so an idle store keeps no thread.
    """

    def __init__(self, beat: Callable[[list[str]], Collection[str]], every: float) -> None:
        self._beat = beat
        self._every = every
        self._runs: set[str] = set()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.problem = ""  # the last failed write, until a beat succeeds again

    def add(self, run_id: str) -> None:
        if self._every <= 0 or self._stop.is_set():
            return
        with self._lock:
            self._runs.add(run_id)
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._loop, name="store-heartbeat", daemon=True
                )
                self._thread.start()

    def discard(self, run_id: str) -> None:
        with self._lock:
            self._runs.discard(run_id)

    def stop(self) -> None:
        self._stop.set()
        with self._lock:
            thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=30)

    def _loop(self) -> None:
        while not self._stop.wait(self._every):
            with self._lock:
                ids = sorted(self._runs)
                if not ids:
                    self._thread = None
                    return
            try:
                running = set(self._beat(ids))
            except Exception as err:  # a busy or vanished file must not kill the beat
                _log.warning("heartbeat for runs %s failed, will retry: %s", ids, err)
                self.problem = str(err)  # the run stops at its next item (Store.check_writes)
                continue
            self.problem = ""
            with self._lock:
                self._runs -= set(ids) - running
        with self._lock:
            self._thread = None
