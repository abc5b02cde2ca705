"""Past runs: `runs` lists them (also from a read-only data folder), `export` hands a
run's trained adapter over as peft folder + GGUF LoRA + serving commands."""

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


def _export(args: argparse.Namespace) -> int:
    """Write a run's LoRA adapter (peft + GGUF + README with serving commands) to a folder."""
    from pathlib import Path

    from assistant.core.errors import AdvisorError
    from eval.export import export_adapter

    settings = load_settings(db_path=args.db)
    with open_store(settings) as store:
        run = store.get_run(args.run_id)
    if run is None:
        raise AdvisorError(f"no run {args.run_id!r}: `app.py runs` lists the runs")
    out = Path(args.out or f"adapter-{args.run_id}")
    done = export_adapter(run, out)
    if args.json:
        print(json.dumps(done.to_dict()))
    else:
        print(f"wrote {', '.join(done.files)} to {out}/ (README.md has the serving commands)")
    return 0


def _export_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("run_id", metavar="RUN", help="run id (see `app.py runs`)")
    parser.add_argument("--out", metavar="DIR", help="folder to write (default adapter-RUN)")
    parser.add_argument("--db", metavar="FILE", help="DuckDB file")
    json_flag(parser)


COMMANDS = {
    "runs": Command("list past trial runs", _runs, _runs_args),
    "export": Command("export a run's LoRA adapter for serving", _export, _export_args),
}
