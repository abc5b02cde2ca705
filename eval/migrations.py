"""Database migrations, one named function each, applied in order by `eval.store.Store`.

Append only, like simonw/llm's: a released migration is never edited, because databases
in the field already recorded it as applied. Migration N is MIGRATIONS[N - 1]; its
name says what it does, so `schema_version` 3 reads as "m003_..." in this file.
"""

from __future__ import annotations

from collections.abc import Callable

import duckdb

Migration = Callable[[duckdb.DuckDBPyConnection], None]


def m001_initial(con: duckdb.DuckDBPyConnection) -> None:
    """Runs, trials, per-item results, eval pairs, profiles and recommendations."""
    con.execute(
        """
    CREATE TABLE runs (
        run_id TEXT PRIMARY KEY, workspace TEXT, status TEXT NOT NULL,
        started_at TIMESTAMP NOT NULL, finished_at TIMESTAMP,
        config_json TEXT, settings_json TEXT, models_json TEXT, files_json TEXT,
        seed INTEGER, app_version TEXT, pid INTEGER,
        n_train INTEGER DEFAULT 0, n_heldout INTEGER DEFAULT 0, error TEXT DEFAULT ''
    );
    CREATE TABLE trials (
        run_id TEXT NOT NULL, trial TEXT NOT NULL, status TEXT NOT NULL, summary_json TEXT,
        started_at TIMESTAMP, finished_at TIMESTAMP, error TEXT DEFAULT '',
        PRIMARY KEY (run_id, trial)
    );
    CREATE TABLE items (
        run_id TEXT NOT NULL, trial TEXT NOT NULL, idx INTEGER NOT NULL,
        question TEXT, reference TEXT, prediction TEXT, scores_json TEXT,
        latency_s DOUBLE, retrieved_json TEXT,
        PRIMARY KEY (run_id, trial, idx)
    );
    CREATE TABLE eval_pairs (
        run_id TEXT NOT NULL, idx INTEGER NOT NULL, split TEXT NOT NULL,
        question TEXT, answer TEXT, source TEXT, generated BOOLEAN DEFAULT FALSE,
        PRIMARY KEY (run_id, idx)
    );
    CREATE TABLE profiles (
        profile_id TEXT PRIMARY KEY, created_at TIMESTAMP NOT NULL, profile_json TEXT
    );
    CREATE TABLE recommendations (
        rec_id TEXT PRIMARY KEY, created_at TIMESTAMP NOT NULL, profile_json TEXT,
        run_id TEXT, result_json TEXT
    );
        """
    )


def m002_run_kind_task_compare(con: duckdb.DuckDBPyConnection) -> None:
    """Runs say which question they answer (knowledge or behaviour), the task kind, and
    the paired comparisons between their approaches (intervals and verdicts)."""
    con.execute("ALTER TABLE runs ADD COLUMN kind TEXT DEFAULT 'knowledge'")
    con.execute("ALTER TABLE runs ADD COLUMN task TEXT DEFAULT ''")
    con.execute("ALTER TABLE runs ADD COLUMN compare_json TEXT")


def m003_run_heartbeat(con: duckdb.DuckDBPyConnection) -> None:
    """Runs say which process runs them (boot id, pid namespace/pid/start time) and when
    it was last heard from (UTC), so a run whose process died, even one whose pid a
    restarted container reused, is recognised and failed (see eval.store_runs)."""
    con.execute("ALTER TABLE runs ADD COLUMN heartbeat_at TIMESTAMP")
    con.execute("ALTER TABLE runs ADD COLUMN boot_id TEXT DEFAULT ''")
    con.execute("ALTER TABLE runs ADD COLUMN owner TEXT")


MIGRATIONS: list[Migration] = [m001_initial, m002_run_kind_task_compare, m003_run_heartbeat]
