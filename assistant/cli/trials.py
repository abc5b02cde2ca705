"""Commands that run and list trials: trial, runs.

The per-run knobs (`--top-k`, `--chunk-size`, `--lora-budget`, `--shots`, ...) are
generated from the fields of the `eval.config` dataclasses that carry a flag, so the CLI,
the web sliders and the stored config share one default each.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import replace
from typing import Any

from assistant.cli.base import Command, json_flag
from assistant.core.datadir import check_data_dir
from assistant.core.errors import ConfigError
from assistant.core.settings import load_settings
from eval.config import (
    BEHAVIOUR_TRIALS,
    TASK_CHOICES,
    BehaviourConfig,
    LoraConfig,
    RetrievalConfig,
    TrialConfig,
    flagged_fields,
)

OPTION_GROUPS = (RetrievalConfig, LoraConfig, BehaviourConfig)


def _trial(args: argparse.Namespace) -> int:
    """Run a knowledge trial (--docs) or a behaviour trial (--examples); print the scores."""
    from assistant.cli.table import print_run
    from assistant.core.models import load_chat_model, load_embedder
    from eval.store import Store

    if bool(args.docs) == bool(args.examples):
        raise ConfigError("give --docs PATH... (what the model knows) or --examples FILE "
                          "(how the model answers), not both")  # fmt: skip
    settings = load_settings(db_path=args.db)
    check_data_dir(settings)  # before loading models: a read-only folder fails in one line
    progress = None if args.json else _print_progress
    chat, embedder = load_chat_model(settings), load_embedder(settings)
    with Store(settings.db_file) as store:
        common = {"settings": settings, "store": store, "chat": chat, "embedder": embedder,
                  "workspace": args.workspace, "progress": progress}  # fmt: skip
        result = _behaviour(args, settings, common) if args.examples else _knowledge(args, common)
    if args.json:
        print(json.dumps(result.to_json()))
    else:
        print_run(result.to_json())
    return 0 if result.status in ("finished", "partial") else 1


def _knowledge(args: argparse.Namespace, common: dict) -> Any:
    from eval.trial import run_trials

    settings = common["settings"]
    config = trial_config_from_args(args, settings.seed, settings.temperature)
    return run_trials(
        args.docs, config=config, qa_file=args.qa, judge=_judge(args, settings), **common
    )


def _judge(args: argparse.Namespace, settings: Any) -> Any:
    """The judge model when --judge names a separate one (else the chat model judges)."""
    from assistant.core.models import load_chat_model

    if args.judge and settings.judge_model:
        return load_chat_model(settings.with_(chat_model=settings.judge_model))
    return None


def _behaviour(args: argparse.Namespace, settings: Any, common: dict) -> Any:
    from eval.behaviour import run_behaviour_trials

    config = behaviour_config_from_args(args, settings.seed, settings.temperature)
    return run_behaviour_trials(
        args.examples, config=config, instruction=args.instruction or "", task=args.task,
        judge=_judge(args, settings), **common,
    )  # fmt: skip


def _options(args: argparse.Namespace, config_type: type) -> Any:
    """An options dataclass with the flags the user gave; the rest keep their defaults."""
    given = {name: getattr(args, name, None) for name, *_ in flagged_fields(config_type)}
    return replace(config_type(), **{k: v for k, v in given.items() if v is not None})


def _trial_names(args: argparse.Namespace, default: tuple[str, ...]) -> tuple[str, ...]:
    if not args.trials:
        return default
    return tuple(t.strip() for t in args.trials.split(",") if t.strip())


def trial_config_from_args(args: argparse.Namespace, seed: int, temperature: float) -> TrialConfig:
    """The knowledge TrialConfig the flags describe; flags left out keep the defaults."""
    return TrialConfig(
        trials=_trial_names(args, TrialConfig().trials), judge=args.judge, seed=seed,
        temperature=temperature, retrieval=_options(args, RetrievalConfig),
        lora=_options(args, LoraConfig),
    )  # fmt: skip


def behaviour_config_from_args(
    args: argparse.Namespace, seed: int, temperature: float
) -> BehaviourConfig:
    """The BehaviourConfig the flags describe (--shots, --lora-budget, ...)."""
    given = _options(args, BehaviourConfig)
    return BehaviourConfig(
        trials=_trial_names(args, BEHAVIOUR_TRIALS), seed=seed, temperature=temperature,
        shots=given.shots, judge=args.judge, criteria=given.criteria,
        lora=_options(args, LoraConfig),
    )  # fmt: skip


def _print_progress(stage: str, done: int, total: int) -> None:
    print(f"\r{stage}: {done}/{total}   ", end="\n" if done >= total else "", flush=True)


def _trial_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--docs", nargs="+", metavar="PATH", help="knowledge trial: files/folders")
    parser.add_argument("--qa", metavar="FILE", help="Q/A pairs (CSV/JSONL: question, answer)")
    parser.add_argument(
        "--examples", metavar="FILE",
        help="behaviour trial: input→output examples (JSONL/CSV: input/output, "
        "prompt/completion, Alpaca, or OpenAI chat messages)",
    )  # fmt: skip
    parser.add_argument("--instruction", metavar="TEXT", help="task instruction (behaviour)")
    parser.add_argument("--task", choices=TASK_CHOICES, default="auto", help="behaviour task kind")
    parser.add_argument(
        "--trials", help="comma-separated trials (default prompt,rag,lora for --docs; "
        "prompt,few-shot,retrieved-shots,lora for --examples)",
    )  # fmt: skip
    parser.add_argument("--workspace", default="default", help="index name")
    parser.add_argument("--db", metavar="FILE", help="DuckDB file (default data/advisor.duckdb)")
    parser.add_argument("--judge", action="store_true", help="add LLM-as-judge yes/no verdicts")
    add_option_flags(parser)
    json_flag(parser)


def add_option_flags(parser: argparse.ArgumentParser) -> None:
    """One flag per flagged config field, typed and documented from the dataclass."""
    for config_type in OPTION_GROUPS:
        for name, default, flag, doc in flagged_fields(config_type):
            number = isinstance(default, int | float)
            shown = f"{default:g}" if number else repr(default)
            parser.add_argument(
                flag, dest=name, type=type(default), default=None,
                metavar="N" if number else "TEXT", help=f"{doc} (default {shown})",
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


def _pairs(args: argparse.Namespace) -> int:
    """Generate evaluation questions from documents (what the Trials tab offers for review)."""
    from assistant.core.models import load_chat_model, load_embedder
    from eval.questions import generate_questions
    from knowledge.chunking import ChunkConfig, chunk_documents
    from knowledge.reading.ingest import ingest_paths

    settings = load_settings()
    embedder = load_embedder(settings)
    ingest = ingest_paths(args.docs)
    config = ChunkConfig(RetrievalConfig().chunk_size, RetrievalConfig().chunk_overlap, "")
    chunks = chunk_documents(ingest.documents, config, embedder.count_tokens)
    progress = None if args.json else _print_progress
    report = generate_questions(
        chunks, load_chat_model(settings), args.n, seed=settings.seed, progress=progress
    )
    report.notes += [f"skipped {s.file}: {s.reason}" for s in ingest.skipped]
    if args.json:
        data = report.to_dict()
        keep = ("question", "answer", "source", "kind")
        data["pairs"] = [{k: p[k] for k in keep} for p in data["pairs"]]
        print(json.dumps(data))
        return 0
    for i, pair in enumerate(report.pairs, 1):
        print(f"{i:>2}. [{pair.kind}] {pair.question}  →  {pair.answer}  ({pair.source})")
    counts = ", ".join(f"{s} {n['kept'] + n['cloze']}" for s, n in report.per_source.items())
    print(f"{len(report.pairs)} pairs in {report.seconds:.1f} s ({report.tried} tried); {counts}")
    for note in report.notes:
        print(f"note: {note}")
    return 0


def _pairs_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--docs", nargs="+", required=True, metavar="PATH", help="files/folders")
    parser.add_argument("--n", type=int, default=20, help="pairs to generate (default 20)")
    json_flag(parser)


COMMANDS = {
    "pairs": Command("generate evaluation questions from documents", _pairs, _pairs_args),
    "trial": Command(
        "run trials: prompt/RAG/LoRA on documents, or prompt/few-shot/LoRA on examples",
        _trial,
        _trial_args,
    ),
    "runs": Command("list past trial runs", _runs, _runs_args),
}
