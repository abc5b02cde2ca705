"""Commands that run and list trials: trial, runs.

The per-run knobs (`--top-k`, `--chunk-size`, `--lora-budget`, `--shots`, ...) are
generated from the fields of the `eval.config` dataclasses that carry a flag, so the CLI,
the web sliders and the stored config share one default each.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from assistant.cli.base import Command, json_flag
from assistant.core.datadir import check_data_dir
from assistant.core.errors import ConfigError
from assistant.core.settings import load_settings
from eval.config import (
    BehaviourConfig,
    KnowledgeConfig,
    LoraConfig,
    RetrievalConfig,
    RunOptions,
    build_config,
    flagged_fields,
    trial_settings,
)
from eval.kinds import TASK_CHOICES, usable

OPTION_GROUPS = (RetrievalConfig, LoraConfig, KnowledgeConfig, BehaviourConfig)


def _trial(args: argparse.Namespace) -> int:
    """Run a knowledge trial (--docs) or a behaviour trial (--examples); print the scores."""
    from assistant.cli.table import print_run
    from assistant.core.models import load_chat_model, load_embedder
    from eval.plan import plan_job
    from eval.run import check_inputs, run_trials
    from eval.store import Store

    if (args.drill_docs or args.drill_qa) and args.examples:
        raise ConfigError("--drill-docs and --drill-qa apply to a knowledge trial (--docs)")
    if bool(args.docs) == bool(args.examples):
        raise ConfigError("give --docs PATH... (what the model knows) or --examples FILE "
                          "(how the model answers), not both")  # fmt: skip
    app_settings = load_settings(db_path=args.db)
    check_data_dir(app_settings)  # before loading models: a read-only folder fails in one line
    kind = "behaviour" if args.examples else "knowledge"
    config = config_from_args(args, kind, app_settings)
    settings = trial_settings(app_settings, config)  # the run's own model
    job = trial_job(args, kind, config, settings, _quiet if args.json else _print_progress)
    check_inputs(job)  # missing files, empty folders, bad rows: before any model loads
    if args.plan:
        return _print_plan(job, args.json)
    job.chat, job.embedder = load_chat_model(settings, "trial"), load_embedder(settings)
    job.judge = _judge(args, settings)
    with Store(settings.db_file) as store, cancel_on_interrupt(job.cancel):
        job.store = store
        plan = plan_job(job, store, job.chat)
        print(plan.line("cli"), file=sys.stderr if args.json else sys.stdout, flush=True)
        if not args.json:
            job.progress = _eta_progress(plan)
        result = run_trials(job)
    if args.json:
        print(json.dumps(result.to_json()))
    else:
        print_run(result.to_json())
    if result.status == "cancelled":
        return 130  # as a shell reports a Ctrl-C
    return 0 if usable(result.status) else 1


def _print_plan(job: Any, as_json: bool) -> int:
    """`trial --plan`: the plan from earlier runs or a kept figure, with no model loaded."""
    from eval.plan import plan_job
    from eval.prepare import input_notes
    from eval.store import Store

    with Store(job.settings.db_file) as store:
        plan = plan_job(job, store)
    notes = input_notes(job)
    if as_json:
        print(json.dumps({"plan": plan_json(plan), "notes": notes}))
    else:
        print("\n".join([plan.line("cli"), *(f"- {note}" for note in notes)]))
    return 0


def plan_json(plan: Any) -> dict[str, Any]:
    """The plan's figures for scripts: seconds per arm, the LoRA's steps against its budget."""
    lora = plan.lora
    return {
        "expected_s": round(plan.total_s, 1), "timing": plan.source,
        "n_train": plan.n_train, "n_heldout": plan.n_heldout,
        "arms": {arm.trial: round(arm.seconds, 1) for arm in plan.arms},
        "lora": None if lora is None else {
            "planned_steps": lora.planned_steps, "steps_in_budget": lora.steps_in_budget,
            "budget_s": lora.budget_s, "step_s": round(lora.step_s, 2), "fits": lora.fits,
        },
        "choices": [plan_choice.text("cli").strip("`") for plan_choice in plan.choices],
        "line": plan.line("cli"),
    }  # fmt: skip


def trial_job(args, kind, config, settings, progress) -> Any:
    """The run as the flags describe it (one TrialJob for both kinds); models come later."""
    from pathlib import Path

    from eval.run import TrialJob

    return TrialJob(
        kind, settings, None, None, None, config, workspace=args.workspace,
        docs=[Path(p) for p in args.docs or []], qa_file=Path(args.qa) if args.qa else None,
        examples_file=Path(args.examples) if args.examples else None,
        instruction=args.instruction or "", task=args.task, progress=progress,
        drill_docs=[Path(p) for p in args.drill_docs or []],
        drill_qa=Path(args.drill_qa) if args.drill_qa else None,
    )  # fmt: skip


@contextmanager
def cancel_on_interrupt(cancel: threading.Event) -> Iterator[None]:
    """Ctrl-C asks the run to stop at the next item, so it ends `cancelled` with what it
    finished saved, instead of dying mid-write and being found later as a crash. A second
    Ctrl-C interrupts at once."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: Any) -> None:
        if cancel.is_set():
            raise KeyboardInterrupt
        cancel.set()
        print("\nstopping after the current item (Ctrl-C again to quit now)", file=sys.stderr)

    previous = signal.signal(signal.SIGINT, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _judge(args: argparse.Namespace, settings: Any) -> Any:
    """The judge model when --judge names a separate one (else the chat model judges)."""
    from assistant.core.models import load_chat_model

    if args.judge and settings.judge_model:
        return load_chat_model(settings.with_(chat_model=settings.judge_model))
    return None


def config_from_args(args: argparse.Namespace, kind: str, settings: Any) -> RunOptions:
    """The run's config from the flags the user gave (`eval.config.build_config`)."""
    names = {name for group in OPTION_GROUPS for name, *_ in flagged_fields(group)}
    options = {name: getattr(args, name, None) for name in names}
    trials = tuple(t.strip() for t in (args.trials or "").split(",") if t.strip())
    return build_config(kind, settings, trials, judge=args.judge or None, **options)


def _quiet(stage: str, done: int, total: int) -> None:
    """No progress lines under --json: stdout holds exactly one JSON object."""


def _eta_progress(plan: Any) -> Any:
    """Progress lines that say the time left by the plan, re-estimated as items finish."""
    from eval.eta import Eta

    eta = Eta(plan)

    def show(stage: str, done: int, total: int) -> None:
        label = eta.update(stage, done, total).label
        print(f"\r{label}   ", end="\n" if done >= total else "", flush=True)

    return show


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
    parser.add_argument(
        "--drill-docs", nargs="+", metavar="PATH",
        help="update drill with your own update: new versions of documents (named as the "
        "originals), measured on the held-out questions --drill-qa answers differently",
    )  # fmt: skip
    parser.add_argument("--drill-qa", metavar="FILE",
                        help="the answers as they read in the --drill-docs versions")  # fmt: skip
    parser.add_argument("--workspace", default="default", help="index name")
    parser.add_argument("--db", metavar="FILE", help="DuckDB file (default data/advisor.duckdb)")
    parser.add_argument("--judge", action="store_true", help="add LLM-as-judge yes/no verdicts")
    parser.add_argument("--plan", action="store_true",
                        help="print how long the run should take and whether the LoRA budget "
                        "fits its steps, then stop (loads no model)")  # fmt: skip
    add_option_flags(parser)
    json_flag(parser)


def add_option_flags(parser: argparse.ArgumentParser) -> None:
    """One flag per flagged config field, typed and documented from the dataclass (a field
    both kinds share is one flag; a yes/no field is a switch)."""
    seen: set[str] = set()
    for config_type in OPTION_GROUPS:
        for name, default, flag, doc in flagged_fields(config_type):
            if flag in seen:
                continue
            seen.add(flag)
            if isinstance(default, bool):
                parser.add_argument(flag, dest=name, action="store_const", const=True,
                                    default=None, help=doc)  # fmt: skip
                continue
            number = isinstance(default, int | float)
            shown = f"{default:g}" if number else repr(default)
            parser.add_argument(
                flag, dest=name, type=type(default), default=None,
                metavar="N" if number else "TEXT", help=f"{doc} (default {shown})",
            )  # fmt: skip


def _pairs(args: argparse.Namespace) -> int:
    """Generate evaluation questions from documents (what the Trials tab offers for review)."""
    from assistant.core.models import load_chat_model, load_embedder
    from eval.questions.generate import generate_questions
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
}
