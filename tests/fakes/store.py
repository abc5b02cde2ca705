"""A read-only store of `stored_run` dicts: what the report and the advice read from DuckDB.

Only the three reads the report makes (`get_run`, `get_items`, `list_runs`), so a test
states its runs as item scores (tests.fakes.runs) and builds a report without a database.
"""

from __future__ import annotations

from typing import Any


class RunShelf:
    """Runs by id, as `Store.get_run` returns them; items per trial are empty lists."""

    def __init__(self, *runs: dict[str, Any]) -> None:
        self.runs = {run["run"]["run_id"]: run for run in runs}

    def get_run(self, run_id: str) -> dict[str, Any] | None:
        return self.runs.get(run_id)

    def get_items(self, run_id: str, trial: str) -> list[dict[str, Any]]:
        return []

    def list_runs(self, limit: int = 200) -> list[dict[str, Any]]:
        rows = [run["run"] for run in reversed(self.runs.values())]
        return rows[:limit]
