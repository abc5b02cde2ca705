"""The DuckDB store: runs, trials, per-item results, eval pairs, profiles, recommendations.

This is the only module that speaks SQL, so the schema can change in one place. Why the
shape below:

- Named, numbered migrations (`eval.migrations`: m001_initial, ...) applied in order, each
  in a transaction and recorded in ``schema_version``: an old database file is upgraded in
  place on open and never half-migrated.
- One connection guarded by a lock: DuckDB allows one writing process, and the Gradio
  app calls us from several threads at once; serialising every call means no lost rows.
- JSON columns are plain TEXT (not DuckDB's JSON type) so no extension has to be loaded,
  which keeps the store working offline.
- No CHECK or FOREIGN KEY constraints: DuckDB cannot alter them later, so values are
  validated here in Python, where a new status is a one-line change.
- Every run records its pid; on open, runs still 'running' whose process is gone are
  marked 'failed', so a killed run never looks complete.
"""

from __future__ import annotations

import json
import os
import threading
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb

from assistant.core.errors import StoreError
from eval.migrations import MIGRATIONS, Migration

TERMINAL_STATUSES = ("finished", "failed", "cancelled", "partial")
RUN_STATUSES = ("running", *TERMINAL_STATUSES)
SPLITS = ("train", "heldout")
RUN_KINDS = ("knowledge", "behaviour")
INTERRUPTED = "interrupted: the process stopped before the run finished"
ENV_HINT = "ADVISOR_DB_PATH"

# Explicit column lists, so inserts keep working after a migration adds a column.
_RUN_COLUMNS = (
    "run_id, workspace, status, started_at, config_json, settings_json, models_json, "
    "files_json, seed, app_version, pid, n_train, n_heldout, kind, task"
)
_TRIAL_COLUMNS = "run_id, trial, status, summary_json, started_at, finished_at, error"
_ITEM_COLUMNS = (
    "run_id, trial, idx, question, reference, prediction, scores_json, latency_s, retrieved_json"
)
_PAIR_COLUMNS = "run_id, idx, split, question, answer, source, generated"
_REC_COLUMNS = "rec_id, created_at, profile_json, run_id, result_json"
_JSON_COLUMNS = {
    "config_json", "settings_json", "models_json", "files_json", "summary_json",
    "scores_json", "retrieved_json", "profile_json", "result_json", "compare_json",
}  # fmt: skip


class Store:
    """Thread-safe access to the advisor's DuckDB file (one connection, one writer)."""

    def __init__(self, path: str | Path, *, migrations: Sequence[Migration] = MIGRATIONS) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # A zero-byte file (e.g. from mktemp) holds no data; DuckDB refuses it otherwise.
            if self.path.is_file() and self.path.stat().st_size == 0:
                self.path.unlink()
        try:
            self._con = duckdb.connect(str(path))
        except duckdb.Error as err:
            raise StoreError(_explain(self.path, err)) from None
        try:
            self._migrate(migrations)
            self.mark_interrupted()
        except (duckdb.Error, StoreError) as err:
            self._con.close()
            if isinstance(err, StoreError):
                raise
            raise StoreError(_explain(self.path, err)) from None

    # -- lifecycle -------------------------------------------------------------------

    def close(self) -> None:
        with self._lock:
            self._con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _tx(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """Hold the lock for one transaction; roll back on any error so nothing half-lands."""
        with self._lock:
            self._con.execute("BEGIN TRANSACTION")
            try:
                yield self._con
            except BaseException:
                with suppress(duckdb.Error):  # never mask the real error
                    self._con.execute("ROLLBACK")
                raise
            self._con.execute("COMMIT")

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
                con.execute("INSERT INTO schema_version VALUES (?, ?)", [version, _now()])

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
        """Record a new 'running' run (with this pid, for crash detection); returns its id."""
        if kind not in RUN_KINDS:
            raise ValueError(f"run kind must be one of {RUN_KINDS}, got {kind!r}")
        run_id = uuid.uuid4().hex[:12]
        row = [run_id, workspace, "running", _now(), _dump(config), _dump(settings)]
        row += [_dump(models), _dump(files), seed, app_version, os.getpid(), n_train, n_heldout]
        row += [kind, task]
        with self._tx() as con:
            _insert(con, "runs", _RUN_COLUMNS, [row])
        return run_id

    def set_run_counts(self, run_id: str, n_train: int, n_heldout: int) -> None:
        self._update_run(run_id, "n_train = ?, n_heldout = ?", [n_train, n_heldout])

    def set_compare(self, run_id: str, comparisons: list[dict[str, Any]]) -> None:
        """The run's paired comparisons between approaches (see eval.stats.Comparison)."""
        self._update_run(run_id, "compare_json = ?", [_dump(comparisons)])

    def finish_run(self, run_id: str, status: str, error: str = "") -> None:
        if status not in TERMINAL_STATUSES:
            raise ValueError(f"finish status must be one of {TERMINAL_STATUSES}, got {status!r}")
        self._update_run(run_id, "status = ?, finished_at = ?, error = ?", [status, _now(), error])

    def _update_run(self, run_id: str, assignments: str, values: list[Any]) -> None:
        with self._tx() as con:
            sql = f"UPDATE runs SET {assignments} WHERE run_id = ?"
            (count,) = con.execute(sql, [*values, run_id]).fetchone() or (0,)
        if not count:
            raise KeyError(f"no run {run_id!r} in {self.path}")

    def mark_interrupted(self) -> int:
        """Fail every 'running' run whose process is dead; returns how many were marked."""
        with self._tx() as con:
            rows = con.execute("SELECT run_id, pid FROM runs WHERE status = 'running'").fetchall()
            dead = [run_id for run_id, pid in rows if not _pid_alive(pid)]
            if dead:
                con.executemany(
                    "UPDATE runs SET status = 'failed', finished_at = ?, error = ? "
                    "WHERE run_id = ?",
                    [[_now(), INTERRUPTED, run_id] for run_id in dead],
                )
        return len(dead)

    def get_run(self, run_id: str) -> dict[str, Any] | None:
        """``{"run": {...}, "trials": {name: {"status", "summary", "error", ...}}}`` or None."""
        runs = self._query("SELECT * FROM runs WHERE run_id = ?", [run_id])
        if not runs:
            return None
        trials = self._query(
            "SELECT * EXCLUDE (run_id) FROM trials WHERE run_id = ? ORDER BY started_at, trial",
            [run_id],
        )
        return {"run": runs[0], "trials": {t.pop("trial"): t for t in trials}}

    def list_runs(self, limit: int = 50) -> list[dict[str, Any]]:
        """Newest runs first, each with ``trials``: [{"trial", "status"}] in run order."""
        runs = self._query(
            "SELECT * FROM runs ORDER BY started_at DESC, rowid DESC LIMIT ?", [limit]
        )
        by_run: dict[str, list[dict[str, Any]]] = {r["run_id"]: [] for r in runs}
        if by_run:
            sql = "SELECT run_id, trial, status FROM trials WHERE list_contains(?::TEXT[], run_id)"
            for t in self._query(sql + " ORDER BY started_at, trial", [list(by_run)]):
                by_run[t.pop("run_id")].append(t)
        return [run | {"trials": by_run[run["run_id"]]} for run in runs]

    def _query(self, sql: str, args: Sequence[Any] = ()) -> list[dict[str, Any]]:
        with self._lock:
            return _dicts(self._con.execute(sql, list(args)))

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
             _dump(it.get("retrieved", []))]
            for it in items
        ]  # fmt: skip
        key = [run_id, trial]
        with self._tx() as con:
            con.execute("DELETE FROM items WHERE run_id = ? AND trial = ?", key)
            con.execute("DELETE FROM trials WHERE run_id = ? AND trial = ?", key)
            trial_row = [*key, status, _dump(summary), started_at or _now(), _now(), error]
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
            row = [rec_id, _now(), _dump(profile), run_id, _dump(result)]
            _insert(con, "recommendations", _REC_COLUMNS, [row])
        return rec_id

    def list_recommendations(self, limit: int = 50) -> list[dict[str, Any]]:
        sql = "SELECT * FROM recommendations ORDER BY created_at DESC, rowid DESC LIMIT ?"
        return self._query(sql, [limit])


# -- helpers ---------------------------------------------------------------------------


def _now() -> datetime:
    # Local wall-clock time, like the trial runner's started_at strings, so they compare.
    return datetime.now()


def _dump(value: Any) -> str:
    # default=str: a stray Path or datetime in a config must never fail a run's record.
    return json.dumps(value, ensure_ascii=False, default=str)


def _insert(con: duckdb.DuckDBPyConnection, table: str, columns: str, rows: list[list]) -> None:
    if rows:
        marks = ", ".join("?" * len(rows[0]))
        con.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)


def _dicts(cursor: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Rows as dicts: JSON columns parsed (``x_json`` → ``x``), timestamps as ISO strings."""
    names = [d[0] for d in cursor.description or []]
    out = []
    for row in cursor.fetchall():
        record: dict[str, Any] = {}
        for name, value in zip(names, row, strict=True):
            if name in _JSON_COLUMNS:
                record[name.removesuffix("_json")] = json.loads(value) if value else None
            elif isinstance(value, datetime):
                record[name] = value.isoformat(timespec="seconds")
            else:
                record[name] = value
        out.append(record)
    return out


def _pid_alive(pid: int | None) -> bool:
    """Whether a process with this pid exists (zombies count as dead)."""
    if not pid or pid <= 0:
        return False
    if os.name == "nt":  # there os.kill(pid, 0) would terminate the process
        try:
            import psutil
        except ImportError:
            return True  # cannot tell: leave the run alone rather than fail a live one
        return psutil.pid_exists(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    except OSError:
        return False
    try:  # Linux: a killed child nobody reaped yet is a zombie, not a running trial
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat.rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def _explain(path: Path, err: Exception) -> str:
    """One line saying what is wrong with the file and how to get going again."""
    detail = str(err).splitlines()[0] if str(err) else type(err).__name__
    fix = f"set {ENV_HINT} (settings db_path) to another file"
    if "lock" in detail.lower():
        return (
            f"database {path} is in use by another process (another `app.py`?): stop it, or {fix}"
        )
    if "not a valid duckdb database" in detail.lower():
        return f"{path} is not a DuckDB database: move it aside, or {fix}"
    return f"cannot open database {path}: {detail}; {fix}"
