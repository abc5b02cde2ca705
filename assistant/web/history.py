"""The History tab: this visitor's runs from DuckDB, and two runs side by side.

A comparison is only useful if it says *why* two runs differ, so the settings that
differed (chunk size, top-k, trials, models, data) come first, then each metric with its
change. Only the visitor's own runs are listed or compared (the run's `workspace` is the
visitor's, see `session.owns`): visitors never see each other's data.
"""

from __future__ import annotations

from typing import Any

from assistant.web.services import Services
from assistant.web.session import SessionState, owns
from eval.data.evalset import describe
from eval.scoring.table import METRICS

HEADERS = ["run", "started", "kind", "status", "held-out", "trials"]
COMPARE_HEADERS = ["What", "Trial / setting", "Run A", "Run B", "B − A"]
# Settings that describe a run's data and models, besides its trial config.
_RUN_FIELDS = ("kind", "task", "n_train", "n_heldout", "seed")


def session_runs(services: Services, session: SessionState) -> list[dict[str, Any]]:
    """Newest first; only runs made in this visitor's workspace (none before it has one)."""
    if not session.bound:
        return []
    runs = services.store().list_runs(limit=500)
    return [r for r in runs if owns(session, r)]


def history_rows(services: Services, session: SessionState) -> list[list[Any]]:
    """One row per run; the kind says what was tested ("behaviour: json", "knowledge")."""
    rows = []
    for run in session_runs(services, session):
        trials = ", ".join(f"{t['trial']} ({t['status']})" for t in run.get("trials", []))
        kind = run.get("kind") or "knowledge"
        kind += f": {run['task']}" if run.get("task") and kind == "behaviour" else ""
        rows.append(
            [run["run_id"], run["started_at"], kind, run["status"], run["n_heldout"], trials]
        )
    return rows


def run_label(run: dict[str, Any], trials: list[str]) -> str:
    """'r-ab12 · 14:05 · behaviour (classification) · prompt, few-shot · finished'."""
    kind = run.get("kind") or "knowledge"
    kind += f" ({run['task']})" if run.get("task") and kind == "behaviour" else ""
    started = str(run.get("started_at", ""))[11:16]
    names = ", ".join(trials) or "no trials"
    return f"{run['run_id']} · {started} · {kind} · {names} · {run['status']}"


def run_options(services: Services, session: SessionState) -> list[tuple[str, str]]:
    """(label, run id) pairs for the compare pickers."""
    return [
        (run_label(r, [t["trial"] for t in r.get("trials", [])]), r["run_id"])
        for r in session_runs(services, session)
    ]


def compare_rows(
    services: Services, session: SessionState, run_a: str, run_b: str
) -> tuple[list[str], list[list[Any]]]:
    """Settings that differ, then one row per (trial, metric) with the change B − A."""
    store = services.store()
    a, b = store.get_run(run_a), store.get_run(run_b)
    if a is None or b is None or not owns(session, a) or not owns(session, b):
        return COMPARE_HEADERS, []
    rows = [["setting", key, left, right, ""] for key, left, right in setting_changes(a, b)]
    for trial in sorted(set(a["trials"]) | set(b["trials"])):
        for metric in METRICS:
            left = (a["trials"].get(trial, {}).get("summary") or {}).get(metric.key, "")
            right = (b["trials"].get(trial, {}).get("summary") or {}).get(metric.key, "")
            if left != "" or right != "":
                rows.append([metric.short, trial, left, right, _delta(left, right)])
    return COMPARE_HEADERS, rows


def setting_changes(a: dict[str, Any], b: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    """(setting, A's value, B's value) for every config, model or data field that differs."""
    left, right = _settings(a), _settings(b)
    keys = sorted(set(left) | set(right))
    return [(k, left.get(k, ""), right.get(k, "")) for k in keys if left.get(k) != right.get(k)]


def _settings(run: dict[str, Any]) -> dict[str, Any]:
    info = run["run"]
    flat = {key: info.get(key) for key in _RUN_FIELDS}
    flat |= _flatten(info.get("config") or {}, "")
    flat |= _flatten(info.get("models") or {}, "model.")
    files = info.get("files") or []
    flat["data"] = ", ".join(_file_id(f) for f in files)
    flat["evaluated on"] = describe(info.get("eval_set"))  # which Q/A set, and its split
    return {k: ", ".join(map(str, v)) if isinstance(v, list) else v for k, v in flat.items()}


def _file_id(record: Any) -> str:
    """'faq.md@1a2b3c4d': the name and a short content hash, so an edited file shows."""
    if not isinstance(record, dict):
        return str(record)
    return f"{record.get('name', '')}@{str(record.get('sha256', ''))[:8]}"


def _flatten(data: dict[str, Any], prefix: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            out |= _flatten(value, f"{prefix}{key}.")
        else:
            out[f"{prefix}{key}"] = value
    return out


def _delta(left: Any, right: Any) -> Any:
    numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (left, right))
    return round(right - left, 4) if numbers else ""


def compare(services: Services, session: SessionState, run_a: str | None, run_b: str | None) -> Any:
    import pandas as pd

    if not run_a or not run_b:
        return pd.DataFrame()
    headers, rows = compare_rows(services, session, run_a, run_b)
    return pd.DataFrame(rows, columns=headers)
