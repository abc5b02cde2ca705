"""Database migrations, one named function each, applied in order by `eval.store.Store`.

Append only, like simonw/llm's: a released migration is never edited, because databases
in the field already recorded it as applied. Migration N is MIGRATIONS[N - 1]; its
name says what it does, so `schema_version` 3 reads as "m003_..." in this file.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import duckdb

Migration = Callable[[duckdb.DuckDBPyConnection], None]
MIGRATIONS: list[Migration] = []


def migration(fn: Migration) -> Migration:
    """Register a migration: its place in MIGRATIONS is its number (append only)."""
    MIGRATIONS.append(fn)
    return fn


@migration
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


@migration
def m002_run_kind_task_compare(con: duckdb.DuckDBPyConnection) -> None:
    """Runs say which question they answer (knowledge or behaviour), the task kind, and
    the paired comparisons between their approaches (intervals and verdicts)."""
    con.execute("ALTER TABLE runs ADD COLUMN kind TEXT DEFAULT 'knowledge'")
    con.execute("ALTER TABLE runs ADD COLUMN task TEXT DEFAULT ''")
    con.execute("ALTER TABLE runs ADD COLUMN compare_json TEXT")


@migration
def m003_run_heartbeat(con: duckdb.DuckDBPyConnection) -> None:
    """Runs say which process runs them (boot id, pid namespace/pid/start time) and when
    it was last heard from (UTC), so a run whose process died, even one whose pid a
    restarted container reused, is recognised and failed (see eval.store.liveness)."""
    con.execute("ALTER TABLE runs ADD COLUMN heartbeat_at TIMESTAMP")
    con.execute("ALTER TABLE runs ADD COLUMN boot_id TEXT DEFAULT ''")
    con.execute("ALTER TABLE runs ADD COLUMN owner TEXT")


# Knowledge runs stored exact match and token F1 as "em" and "f1"; behaviour runs as
# "exact_match" and "token_f1". One name per metric now, in old runs too.
RENAMED_METRICS = {"em": "exact_match", "f1": "token_f1"}


def _renamed(value: object) -> object:
    """Every dict key (at any depth) and `metric` value renamed by RENAMED_METRICS."""
    if isinstance(value, list):
        return [_renamed(v) for v in value]
    if not isinstance(value, dict):
        return value
    out = {RENAMED_METRICS.get(k, k): _renamed(v) for k, v in value.items()}
    if out.get("metric") in RENAMED_METRICS:
        out["metric"] = RENAMED_METRICS[out["metric"]]
    return out


@migration
def m004_one_name_per_metric(con: duckdb.DuckDBPyConnection) -> None:
    """Stored summaries, item scores and comparisons use one key per metric."""
    for table, column, keys in (
        ("trials", "summary_json", "run_id, trial"),
        ("items", "scores_json", "run_id, trial, idx"),
        ("runs", "compare_json", "run_id"),
    ):
        where = " AND ".join(f"{k.strip()} = ?" for k in keys.split(","))
        rows = con.execute(f"SELECT {keys}, {column} FROM {table}").fetchall()
        for *key, text in rows:
            if text:
                new = json.dumps(_renamed(json.loads(text)))
                con.execute(f"UPDATE {table} SET {column} = ? WHERE {where}", [new, *key])


@migration
def m005_failures_drill_sweep(con: duckdb.DuckDBPyConnection) -> None:
    """Each answered item says why it failed (`eval.scoring.attribution`), and a knowledge
    run keeps its update drill and its retrieval sweep (both JSON)."""
    con.execute("ALTER TABLE items ADD COLUMN failure TEXT DEFAULT ''")
    con.execute("ALTER TABLE runs ADD COLUMN drill_json TEXT")
    con.execute("ALTER TABLE runs ADD COLUMN sweep_json TEXT")


@migration
def m006_run_eval_set(con: duckdb.DuckDBPyConnection) -> None:
    """A knowledge run names its evaluation set (the user's Q/A file, reviewed pairs, …)
    and how it was split, so History and the report say what the numbers were scored on."""
    con.execute("ALTER TABLE runs ADD COLUMN eval_set_json TEXT")
