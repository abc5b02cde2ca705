"""The History tab: every run from DuckDB, and two runs side by side."""

from __future__ import annotations

from typing import Any

from assistant.web.services import Services
from eval.metrics import METRICS

HEADERS = ["run", "started", "kind", "status", "held-out", "trials"]


def history_rows(services: Services) -> list[list[Any]]:
    """Newest runs first; the kind says what was tested ("behaviour: json", "knowledge")."""
    rows = []
    for run in services.store().list_runs(limit=100):
        trials = ", ".join(f"{t['trial']} ({t['status']})" for t in run.get("trials", []))
        kind = run.get("kind") or "knowledge"
        kind += f": {run['task']}" if run.get("task") and kind == "behaviour" else ""
        rows.append(
            [run["run_id"], run["started_at"], kind, run["status"], run["n_heldout"], trials]
        )
    return rows


def compare_rows(services: Services, run_a: str, run_b: str) -> tuple[list[str], list[list[Any]]]:
    """Side-by-side metrics of two runs: one row per (trial, metric)."""
    store = services.store()
    a, b = store.get_run(run_a), store.get_run(run_b)
    if a is None or b is None:
        return ["Trial", "Metric", run_a, run_b], []
    rows = []
    for trial in sorted(set(a["trials"]) | set(b["trials"])):
        for metric in METRICS:
            left = (a["trials"].get(trial, {}).get("summary") or {}).get(metric.key, "")
            right = (b["trials"].get(trial, {}).get("summary") or {}).get(metric.key, "")
            if left != "" or right != "":
                rows.append([trial, metric.short, left, right])
    return ["Trial", "Metric", run_a, run_b], rows


def compare(services: Services, run_a: str | None, run_b: str | None) -> Any:
    import pandas as pd

    if not run_a or not run_b:
        return pd.DataFrame()
    headers, rows = compare_rows(services, run_a, run_b)
    return pd.DataFrame(rows, columns=headers)
