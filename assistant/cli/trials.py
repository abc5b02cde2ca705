"""Commands that run and list trials: trial, runs.

The per-run knobs (`--top-k`, `--chunk-size`, `--lora-budget`, ...) are generated from
the fields of `eval.config.RetrievalConfig` and `LoraConfig` that carry a flag, so the
CLI, the web sliders and the stored config share one default each.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import replace

from assistant.cli.base import Command, json_flag
from assistant.core.settings import load_settings
from eval.config import LoraConfig, RetrievalConfig, TrialConfig, flagged_fields

OPTION_GROUPS = (("retrieval", RetrievalConfig), ("lora", LoraConfig))


def _trial(args: argparse.Namespace) -> int:
    """Run prompt/RAG/LoRA trials on documents and print the scores."""
    from assistant.cli.table import print_run
    from assistant.core.models import load_chat_model, load_embedder
    from eval.store import Store
    from eval.trial import run_trials

    settings = load_settings(db_path=args.db)
    config = trial_config_from_args(args, settings.seed, settings.temperature)
    judge = None
    if args.judge and settings.judge_model:
        judge = load_chat_model(settings.with_(chat_model=settings.judge_model))
    progress = None if args.json else _print_progress
    with Store(settings.db_file) as store:
        result = run_trials(
            args.docs, settings=settings, store=store, chat=load_chat_model(settings),
            embedder=load_embedder(settings), config=config, qa_file=args.qa,
            workspace=args.workspace, progress=progress, judge=judge,
        )  # fmt: skip
    if args.json:
        print(json.dumps(result.to_json()))
    else:
        print_run(result.to_json())
    return 0 if result.status in ("finished", "partial") else 1


def trial_config_from_args(args: argparse.Namespace, seed: int, temperature: float) -> TrialConfig:
    """The TrialConfig the flags describe; flags left out keep the dataclass defaults."""
    groups = {}
    for group, config_type in OPTION_GROUPS:
        given = {name: getattr(args, name) for name, *_ in flagged_fields(config_type)}
        groups[group] = replace(config_type(), **{k: v for k, v in given.items() if v is not None})
    trials = tuple(t.strip() for t in args.trials.split(",") if t.strip())
    return TrialConfig(
        trials=trials, judge=args.judge, seed=seed, temperature=temperature, **groups
    )


def _print_progress(stage: str, done: int, total: int) -> None:
    print(f"\r{stage}: {done}/{total}   ", end="\n" if done >= total else "", flush=True)


def _trial_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--docs", nargs="+", required=True, metavar="PATH", help="files/folders")
    parser.add_argument("--qa", metavar="FILE", help="Q/A pairs (CSV/JSONL: question, answer)")
    parser.add_argument("--trials", default="prompt,rag,lora", help="comma-separated trials")
    parser.add_argument("--workspace", default="default", help="index name")
    parser.add_argument("--db", metavar="FILE", help="DuckDB file (default data/advisor.duckdb)")
    parser.add_argument("--judge", action="store_true", help="add LLM-as-judge yes/no verdicts")
    add_option_flags(parser)
    json_flag(parser)


def add_option_flags(parser: argparse.ArgumentParser) -> None:
    """One flag per flagged config field, typed and documented from the dataclass."""
    for _, config_type in OPTION_GROUPS:
        for name, default, flag, doc in flagged_fields(config_type):
            parser.add_argument(
                flag, dest=name, type=type(default), default=None, metavar="N",
                help=f"{doc} (default {default:g})",
            )  # fmt: skip


def _runs(args: argparse.Namespace) -> int:
    """List past runs from DuckDB."""
    from eval.store import Store

    settings = load_settings(db_path=args.db)
    with Store(settings.db_file) as store:
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


COMMANDS = {
    "trial": Command("run prompt/RAG/LoRA trials on your documents", _trial, _trial_args),
    "runs": Command("list past trial runs", _runs, _runs_args),
}
