"""`runs`: list past trial runs from DuckDB, also from a read-only data folder.

It replaces the `runs` in trials.py (registered after it in `assistant.cli.COMMANDS`),
which opened the database for writing and so refused a read-only folder.
"""

from __future__ import annotations

import argparse
import json

from assistant.cli.base import Command, json_flag
from assistant.cli.readonly import open_store
from assistant.core.settings import load_settings


def _runs(args: argparse.Namespace) -> int:
    """List past runs from DuckDB."""
    settings = load_settings(db_path=args.db)
    with open_store(settings) as store:
        runs = store.list_runs(limit=args.limit)
    if args.json:
        print(json.dumps({"runs": runs}, default=str))
        return 0
    if not runs:
        print("no runs yet: try `python app.py trial --docs FOLDER`")
    for run in runs:
        trials = ", ".join(f"{t['trial']}:{t['status']}" for t in run.get("trials", []))
        print(f"{run['run_id']}  {run['started_at']}  {run['status']:9}  "
              f"held-out {run['n_heldout']:>3}  {trials}")  # fmt: skip
    return 0


def _runs_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", metavar="FILE", help="DuckDB file")
    parser.add_argument("--limit", type=int, default=50)
    json_flag(parser)


COMMANDS = {"runs": Command("list past trial runs", _runs, _runs_args)}
