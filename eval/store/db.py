"""The DuckDB store: runs, trials, per-item results, eval pairs, profiles, recommendations.

This is the only module that speaks SQL, so the schema can change in one place. Why the
shape below:

- Named, numbered migrations (`eval.store.migrations`: m001_initial, ...) applied in order, each
  in a transaction and recorded in ``schema_version``: an old database file is upgraded in
  place on open and never half-migrated.
- A connection per operation (open, do, close), not one for the store's lifetime:
  DuckDB lets one process at a time hold the file, and the web app and the CLI (`runs`,
  `trial`, `report`) share it. Opening waits a bounded time for the other process
  (`eval.store.connect`); `batch()` holds one connection across several calls.
- A lock around every operation: the Gradio app calls one Store from several threads at
  once; serialising them means no lost rows and one connection at a time.
- JSON columns are plain TEXT (not DuckDB's JSON type) so no extension has to be loaded,
  which keeps the store working offline.
- No CHECK or FOREIGN KEY constraints: DuckDB cannot alter them later, so values are
  validated here in Python, where a new status is a one-line change.
- Every run records its process and a heartbeat; on open and when listing, runs still
  'running' whose process is gone are marked 'failed' (`eval.store.liveness`), so a killed
  run never looks complete or forever in progress.
- A full disk: the first write that fails frees a reserve file (`eval.store.reserve`), so
  the finished trials and the run's "disk full" status can still be written; until the
  reserve is back, `check_writes` stops any run at its next item.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import duckdb

from assistant.core.errors import DiskFull, StoreError
from eval.kinds import RUN_KINDS, RunStatus
from eval.store.connect import BUSY_TIMEOUT, ENV_HINT, Connection, explain, local_now
from eval.store.liveness import (
    BEAT_EVERY,
    INTERRUPTED,
    STALE_AFTER,
    Heartbeat,
    RunOwner,
    is_dead,
    remove_artefacts,
    this_process,
    utc_now,
)
from eval.store.migrations import MIGRATIONS, Migration

__all__ = ["INTERRUPTED", "Store", "StoreError"]

RUN_STATUSES = tuple(RunStatus)
TERMINAL_STATUSES = tuple(s for s in RunStatus if s.terminal)
SPLITS = ("train", "heldout")

# Explicit column lists, so inserts keep working after a migration adds a column.
_RUN_COLUMNS = (
    "run_id, workspace, status, started_at, config_json, settings_json, models_json, "
    "files_json, seed, app_version, pid, n_train, n_heldout, kind, task, heartbeat_at, "
    "boot_id, owner"
)
_TRIAL_COLUMNS = "run_id, trial, status, summary_json, started_at, finished_at, error"
_ITEM_COLUMNS = (
    "run_id, trial, idx, question, reference, prediction, scores_json, latency_s, "
    "retrieved_json, failure"
)
_PAIR_COLUMNS = "run_id, idx, split, question, answer, source, generated"
_REC_COLUMNS = "rec_id, created_at, profile_json, run_id, result_json"


class Store(Connection):
    """The advisor's records in DuckDB: runs, trials, items, eval pairs, recommendations.

    ``busy_timeout``: seconds to wait for another process's operation before `StoreError`.
    ``stale_after``/``beat_every``: a run not heard from for ``stale_after`` s is dead;
    ours beat every ``beat_every`` s (0 = never, for tests). ``runs_dir``: where runs
    keep artefacts (default ``runs/`` beside the file), removed when a run is found dead.
    """

    def __init__(
        self,
        path: str | Path,
        *,
        migrations: Sequence[Migration] = MIGRATIONS,
        busy_timeout: float = BUSY_TIMEOUT,
        stale_after: float = STALE_AFTER,
        beat_every: float = BEAT_EVERY,
        runs_dir: str | Path | None = None,
    ) -> None:
        super().__init__(path, busy_timeout)
        self.stale_after = stale_after
        self._heartbeat = Heartbeat(self._beat, beat_every)
        in_memory = str(path) == ":memory:"
        self.runs_dir = None if in_memory else Path(runs_dir or self.path.parent / "runs")
        try:
            with self.batch():
                self._migrate(migrations)
                self.mark_interrupted()
        except duckdb.Error as err:
            raise StoreError(explain(self.path, err)) from None
        self.keep_reserve()

    def close(self) -> None:
        """Stop beating for our runs; later calls raise. (No connection stays open.)"""
        self._heartbeat.stop()
        super().close()

    def _migrate(self, migrations: Sequence[Migration]) -> None:
        with self._tx() as con:
            con.execute(
                "CREATE TABLE IF NOT EXISTS schema_version "
                "(version INTEGER PRIMARY KEY, applied_at TIMESTAMP NOT NULL)"
            )
        current = self.schema_version()
        if current > len(migrations):
            raise StoreError(
                f"database {self.path} has schema version {current}, newer than this app "
                f"understands ({len(migrations)}); upgrade the app or set {ENV_HINT} to "
                "another file"
            )
        for version, migration in enumerate(migrations[current:], start=current + 1):
            with self._tx() as con:
                migration(con)
                con.execute("INSERT INTO schema_version VALUES (?, ?)", [version, local_now()])

    def schema_version(self) -> int:
        """The highest applied migration number (0 for a new file)."""
        return self._query("SELECT coalesce(max(version), 0) AS v FROM schema_version")[0]["v"]

    # -- runs ------------------------------------------------------------------------

    def start_run(
        self,
        *,
        workspace: str,
        config: dict[str, Any],
        settings: dict[str, Any],
        models: dict[str, Any],
        files: list[dict[str, Any]],
        seed: int,
        app_version: str,
        n_train: int = 0,
        n_heldout: int = 0,
        kind: str = "knowledge",
        task: str = "",
    ) -> str:
        """Record a new 'running' run (with our process and a heartbeat); returns its id."""
        if kind not in RUN_KINDS:
            raise ValueError(f"run kind must be one of {RUN_KINDS}, got {kind!r}")
        if not self.keep_reserve():  # refuse now rather than fail at the first write
            raise DiskFull(self.disk_full_message())
        run_id = uuid.uuid4().hex[:12]
        me = this_process()
        row = [run_id, workspace, "running", local_now(), _dump(config), _dump(settings)]
        row += [_dump(models), _dump(files), seed, app_version, me.pid, n_train, n_heldout]
        row += [kind, task, utc_now(), me.boot_id, me.owner]
        with self._tx() as con:
            _insert(con, "runs", _RUN_COLUMNS, [row])
        self._heartbeat.add(run_id)
        return run_id

    def set_run_counts(self, run_id: str, n_train: int, n_heldout: int) -> None:
        self._update_run(run_id, "n_train = ?, n_heldout = ?", [n_train, n_heldout])

    def set_compare(self, run_id: str, comparisons: list[dict[str, Any]]) -> None:
        """The run's paired comparisons (rows of eval.scoring.comparison.Comparison)."""
        self._update_run(run_id, "compare_json = ?", [_dump(comparisons)])

    def set_drill(self, run_id: str, drill: dict[str, Any]) -> None:
        """The run's update drill (`eval.drill`): changed facts and each arm's figures."""
        self._update_run(run_id, "drill_json = ?", [_dump(drill)])

    def set_sweep(self, run_id: str, sweep: dict[str, Any]) -> None:
        """The run's retrieval sweep (`eval.sweep`): one cell per chunk size and top-k."""
        self._update_run(run_id, "sweep_json = ?", [_dump(sweep)])

    def set_eval_set(self, run_id: str, eval_set: dict[str, Any]) -> None:
        """What a knowledge run was scored on (`eval.data.evalset.EvalSet.to_dict()`)."""
        self._update_run(run_id, "eval_set_json = ?", [_dump(eval_set)])

    def finish_run(self, run_id: str, status: str, error: str = "") -> None:
        if status not in TERMINAL_STATUSES:
            raise ValueError(f"finish status must be one of {TERMINAL_STATUSES}, got {status!r}")
        self._heartbeat.discard(run_id)
        self._update_run(
            run_id, "status = ?, finished_at = ?, error = ?", [status, local_now(), error]
        )
        self.keep_reserve()  # after a full disk: back to normal once there is room again

    def _update_run(self, run_id: str, assignments: str, values: list[Any]) -> None:
        with self._tx() as con:
            sql = f"UPDATE runs SET {assignments} WHERE run_id = ?"
            (count,) = con.execute(sql, [*values, run_id]).fetchone() or (0,)
        if not count:
            raise KeyError(f"no run {run_id!r} in {self.path}")

    def check_writes(self) -> None:
        """Raise StoreError when this store's last write failed (a full disk, a folder gone
        read-only): a run stops at its next item instead of answering on for minutes while
        nothing it measures can be kept. A full disk stays a reason to stop until the
        reserve is back (the freed reserve would otherwise let the heartbeat succeed)."""
        if self.full is not None:
            raise DiskFull(str(self.full))
        if self._heartbeat.problem:
            raise StoreError(f"cannot write to {self.path}: {self._heartbeat.problem}")

    def beat(self, run_id: str) -> bool:
        """Say `run_id` is alive now; False if it is no longer running. (Our runs beat on
        their own from a thread; this is for callers that want to beat explicitly.)"""
        return run_id in self._beat([run_id])

    def _beat(self, run_ids: list[str]) -> list[str]:
        sql = (
            "UPDATE runs SET heartbeat_at = ? WHERE status = 'running' "
            "AND list_contains(?::TEXT[], run_id) RETURNING run_id"
        )
        with self._tx() as con:
            return [r[0] for r in con.execute(sql, [utc_now(), run_ids]).fetchall()]

    def mark_interrupted(self) -> int:
        """Fail every 'running' run whose process is gone (`eval.store.liveness.is_dead`) and
        remove its half-written artefacts; returns how many were marked."""
        me, now = this_process(), utc_now()
        sql = "SELECT run_id, pid, boot_id, owner, heartbeat_at FROM runs WHERE status = 'running'"
        with self._tx() as con:
            rows = con.execute(sql).fetchall()
            dead = [r[0] for r in rows if is_dead(RunOwner(*r[1:]), me, now, self.stale_after)]
            if dead:
                con.executemany(
                    "UPDATE runs SET status = 'failed', finished_at = ?, error = ? "
                    "WHERE run_id = ?",
                    [[local_now(), INTERRUPTED, run_id] for run_id in dead],
                )
        remove_artefacts(self.runs_dir, dead)
        return len(dead)

    def get_run(self, run_id: str) -> dict[str, Any] | None:
        """``{"run": {...}, "trials": {name: {"status", "summary", "error", ...}}}`` or None."""
        with self.batch():
            runs = self._query("SELECT * FROM runs WHERE run_id = ?", [run_id])
            if not runs:
                return None
            order = "ORDER BY started_at, trial"
            sql = f"SELECT * EXCLUDE (run_id) FROM trials WHERE run_id = ? {order}"
            trials = self._query(sql, [run_id])
        return {"run": runs[0], "trials": {t.pop("trial"): t for t in trials}}

    def list_runs(self, limit: int = 50) -> list[dict[str, Any]]:
        """Newest runs first, each with ``trials``: [{"trial", "status"}] in run order.

        Sweeps dead runs first, so a run killed in another process (a CLI trial seen
        from the web app's History) does not stay 'running' until the next restart.
        """
        with self.batch():
            self.mark_interrupted()
            runs = self._query(
                "SELECT * FROM runs ORDER BY started_at DESC, rowid DESC LIMIT ?", [limit]
            )
            by_run: dict[str, list[dict[str, Any]]] = {r["run_id"]: [] for r in runs}
            if by_run:
                sql = (
                    "SELECT run_id, trial, status FROM trials "
                    "WHERE list_contains(?::TEXT[], run_id) ORDER BY started_at, trial"
                )
                for t in self._query(sql, [list(by_run)]):
                    by_run[t.pop("run_id")].append(t)
        return [run | {"trials": by_run[run["run_id"]]} for run in runs]

    # -- trials, items, pairs --------------------------------------------------------

    def save_trial(
        self,
        run_id: str,
        trial: str,
        status: str,
        summary: dict[str, Any],
        items: list[dict[str, Any]],
        started_at: str | None = None,
        error: str = "",
    ) -> None:
        """Write a trial and its items in one transaction; saving it again replaces both."""
        if status not in RUN_STATUSES:
            raise ValueError(f"trial status must be one of {RUN_STATUSES}, got {status!r}")
        rows = [
            [run_id, trial, it["idx"], it.get("question", ""), it.get("reference", ""),
             it.get("prediction", ""), _dump(it.get("scores", {})), it.get("latency_s"),
             _dump(it.get("retrieved", [])), it.get("failure", "")]
            for it in items
        ]  # fmt: skip
        key = [run_id, trial]
        with self._tx() as con:
            con.execute("DELETE FROM items WHERE run_id = ? AND trial = ?", key)
            con.execute("DELETE FROM trials WHERE run_id = ? AND trial = ?", key)
            trial_row = [
                *key,
                status,
                _dump(summary),
                started_at or local_now(),
                local_now(),
                error,
            ]
            _insert(con, "trials", _TRIAL_COLUMNS, [trial_row])
            _insert(con, "items", _ITEM_COLUMNS, rows)

    def get_items(self, run_id: str, trial: str | None = None) -> list[dict[str, Any]]:
        if trial is None:
            return self._query("SELECT * FROM items WHERE run_id = ? ORDER BY trial, idx", [run_id])
        sql = "SELECT * FROM items WHERE run_id = ? AND trial = ? ORDER BY idx"
        return self._query(sql, [run_id, trial])

    def add_eval_pairs(self, run_id: str, pairs: list[dict[str, Any]]) -> None:
        bad = {p.get("split") for p in pairs} - set(SPLITS)
        if bad:
            raise ValueError(
                f"eval pair split must be one of {SPLITS}, got {sorted(map(str, bad))}"
            )
        rows = [
            [run_id, p["idx"], p["split"], p["question"], p["answer"], p.get("source", ""),
             bool(p.get("generated", False))]
            for p in pairs
        ]  # fmt: skip
        with self._tx() as con:
            _insert(con, "eval_pairs", _PAIR_COLUMNS, rows)

    def get_eval_pairs(self, run_id: str) -> list[dict[str, Any]]:
        return self._query("SELECT * FROM eval_pairs WHERE run_id = ? ORDER BY idx", [run_id])

    # -- profiles and recommendations ------------------------------------------------

    def save_recommendation(
        self, profile: dict[str, Any], result: dict[str, Any], run_id: str | None = None
    ) -> str:
        rec_id = uuid.uuid4().hex[:12]
        with self._tx() as con:
            row = [rec_id, local_now(), _dump(profile), run_id, _dump(result)]
            _insert(con, "recommendations", _REC_COLUMNS, [row])
        return rec_id

    def list_recommendations(self, limit: int = 50) -> list[dict[str, Any]]:
        sql = "SELECT * FROM recommendations ORDER BY created_at DESC, rowid DESC LIMIT ?"
        return self._query(sql, [limit])


# -- helpers ---------------------------------------------------------------------------


def _dump(value: Any) -> str:
    # default=str: a stray Path or datetime in a config must never fail a run's record.
    return json.dumps(value, ensure_ascii=False, default=str)


def _insert(con: duckdb.DuckDBPyConnection, table: str, columns: str, rows: list[list]) -> None:
    if rows:
        marks = ", ".join("?" * len(rows[0]))
        con.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)
