"""Command-line subcommands: each parses its arguments, calls library code, prints.

A registry of `Command`s (name → arguments + handler) keeps `app.py` to wiring and
makes adding a subcommand one entry. With `--json` every command prints exactly one
JSON object (or one per line for JSONL input) on stdout.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from dataclasses import dataclass

from assistant.settings import load_settings


@dataclass(frozen=True)
class Command:
    help: str
    run: Callable[[argparse.Namespace], int]
    add_args: Callable[[argparse.ArgumentParser], None] = lambda parser: None


def _json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON on stdout")


def _doctor(args: argparse.Namespace) -> int:
    """Report versions, models, backend, GPU and a smoke generation."""
    from assistant.doctor import run_doctor

    report = run_doctor(smoke=not args.no_smoke)
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        _print_doctor(report)
    return 0 if not report["problems"] else 1


def _print_doctor(report: dict) -> None:
    print(f"Python {report['python']} on {report['platform']} ({report['cpu_cores']} cores)")
    for name, version in report["libraries"].items():
        print(f"  {name:24} {version}")
    print("Models:")
    for model in report["models"]:
        where = f"{model['path']} ({model['size_mb']} MB)" if model["found"] else "not installed"
        print(f"  {model['key']:24} {where}")
    if "backend" in report:
        print(f"Backend: chat={report['backend']['chat']} embed={report['backend']['embed']}")
    print(f"GPU: {report['gpu']}")
    smoke = report.get("smoke")
    if smoke and smoke.get("ok"):
        print(
            f"Smoke test: {smoke['model']} loaded in {smoke['load_seconds']} s, "
            f"{smoke['tokens_per_second']} tok/s: {smoke['reply']!r}"
        )
    for problem in report["problems"]:
        print(f"PROBLEM: {problem}")
    print("All good." if not report["problems"] else f"{len(report['problems'])} problem(s).")


def _ingest(args: argparse.Namespace) -> int:
    """Ingest files/folders into a workspace's vector index."""
    from assistant.models import load_embedder
    from knowledge.workspace import index_paths, open_index

    settings = load_settings()
    index = open_index(args.workspace, settings, load_embedder(settings))
    report = index_paths(args.paths, index)
    summary = report.summary()
    if args.json:
        keys = ("files", "documents", "chunks", "qa_pairs", "skipped", "seconds")
        print(json.dumps({k: summary[k] for k in keys} | {"unchanged": summary["unchanged"]}))
        return 0
    print(
        f"{summary['files']} files: {summary['documents']} documents, {summary['chunks']} new "
        f"chunks, {summary['qa_pairs']} Q/A pairs, {len(summary['unchanged'])} unchanged "
        f"({summary['seconds']} s); workspace {args.workspace!r} holds {index.count()} chunks"
    )
    for item in summary["skipped"]:
        print(f"  skipped {item['file']}: {item['reason']}")
    for note in summary["notes"]:
        print(f"  note: {note}")
    return 0


def _ask(args: argparse.Namespace) -> int:
    """Answer a question from the built-in guidance, with citations."""
    from assistant.models import load_chat_model, load_embedder
    from knowledge.guidance import ask_guidance, open_guidance

    settings = load_settings()
    index = open_guidance(settings, load_embedder(settings))
    answer = ask_guidance(args.question, index, load_chat_model(settings))
    if args.json:
        print(json.dumps(answer.to_dict()))
        return 0
    print(answer.text)
    for citation in answer.citations:
        print(f"  [source: {citation.source} — {citation.heading}]")
    return 0


def _trial(args: argparse.Namespace) -> int:
    """Run prompt/RAG/LoRA trials on documents and print the scores."""
    from assistant.models import load_chat_model, load_embedder
    from eval.config import TrialConfig
    from eval.report_table import print_run
    from eval.store import Store
    from eval.trial import run_trials

    settings = load_settings(db_path=args.db)
    trials = tuple(t.strip() for t in args.trials.split(",") if t.strip())
    config = TrialConfig(trials=trials, judge=args.judge)
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


def _print_progress(stage: str, done: int, total: int) -> None:
    print(f"\r{stage}: {done}/{total}   ", end="\n" if done >= total else "", flush=True)


def _trial_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--docs", nargs="+", required=True, metavar="PATH", help="files/folders")
    parser.add_argument("--qa", metavar="FILE", help="Q/A pairs (CSV/JSONL: question, answer)")
    parser.add_argument("--trials", default="prompt,rag,lora", help="comma-separated trials")
    parser.add_argument("--workspace", default="default", help="index name")
    parser.add_argument("--db", metavar="FILE", help="DuckDB file (default data/advisor.duckdb)")
    parser.add_argument("--judge", action="store_true", help="add LLM-as-judge yes/no verdicts")
    _json_flag(parser)


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
    _json_flag(parser)


def _recommend(args: argparse.Namespace) -> int:
    """Recommend an approach and a plan for one profile (JSON) or many (JSONL)."""
    from assistant.advice import advise, measured_from_run, with_measurements
    from assistant.profile import Profile, ProfileError
    from eval.store import Store

    settings = load_settings(db_path=args.db)
    profiles = _read_profiles(args.profile)
    failures = 0
    with Store(settings.db_file) as store:
        measured = _run_measurements(store, args.run_id, measured_from_run)
        for line_no, data in profiles:
            try:
                profile = with_measurements(Profile.from_dict(data), measured)
            except ProfileError as err:
                failures += 1
                where = f"line {line_no}: " if line_no else ""
                if args.json:
                    print(json.dumps({"error": f"{where}{err}", "field": err.field}))
                else:
                    print(f"error: {where}{err}")
                continue
            result = advise(profile).to_dict()
            store.save_recommendation(profile.to_dict(), result, run_id=args.run_id)
            print(json.dumps(result) if args.json else _format_advice(result))
    return 1 if failures else 0


def _read_profiles(path: str) -> list[tuple[int, object]]:
    """[(line number or 0, parsed JSON)] from a .json file or a .jsonl file."""
    from assistant.profile import ProfileError

    try:
        text = open(path, encoding="utf-8").read()  # noqa: SIM115 - tiny file, read once
    except OSError as err:
        raise ProfileError("profile", f"cannot read profile file {path}: {err.strerror}") from None
    try:
        if path.endswith(".jsonl"):
            return [
                (n, json.loads(line)) for n, line in enumerate(text.splitlines(), 1) if line.strip()
            ]
        return [(0, json.loads(text))]
    except json.JSONDecodeError as err:
        raise ProfileError("profile", f"{path} is not valid JSON: {err}") from None


def _run_measurements(store, run_id: str | None, extract) -> dict[str, float]:
    if not run_id:
        return {}
    from assistant.profile import ProfileError

    run = store.get_run(run_id)
    if run is None:
        raise ProfileError("run_id", f"no run {run_id!r} in the database (see `app.py runs`)")
    return extract(run)


def _format_advice(result: dict) -> str:
    lines = [f"Recommended approach: {result['approach']} (confidence {result['confidence']:.2f})"]
    lines += [f"  - {r['text']} [{r['source']} — {r['heading']}]" for r in result["reasons"]]
    if result["prerequisites"]:
        lines.append("Prerequisites: " + ", ".join(result["prerequisites"]))
    if result["risks"]:
        lines.append("Risks: " + ", ".join(result["risks"]))
    lines.append("Plan:")
    lines += [f"  {i}. {phase['name']}" for i, phase in enumerate(result["plan"], 1)]
    return "\n".join(lines)


def _recommend_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--profile", required=True, metavar="FILE", help="profile .json or .jsonl")
    parser.add_argument("--run-id", help="fill `measured` from this trial run")
    parser.add_argument("--db", metavar="FILE", help="DuckDB file")
    _json_flag(parser)


def _report(args: argparse.Namespace) -> int:
    """Write the recommendation report for a run and/or a profile."""
    from assistant.profile import Profile, ProfileError
    from assistant.report import render
    from assistant.report_data import build_report_data
    from eval.store import Store

    if not args.run_id and not args.profile:
        raise ProfileError("profile", "give --run-id ID, --profile FILE, or both")
    profile = Profile()
    if args.profile:
        [(_, data)] = _read_profiles(args.profile)[:1] or [(0, {})]
        profile = Profile.from_dict(data)
    settings = load_settings(db_path=args.db)
    with Store(settings.db_file) as store:
        data = build_report_data(profile, store, args.run_id)
    payload = render(data, args.format)
    with open(args.out, "wb") as fh:
        fh.write(payload)
    summary = {"out": args.out, "format": args.format, "bytes": len(payload),
               "approach": data.advice.recommendation.approach}  # fmt: skip
    print(json.dumps(summary) if args.json else f"wrote {args.out} ({len(payload):,} bytes)")
    return 0


def _report_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--run-id", help="trial run to report (see `app.py runs`)")
    parser.add_argument("--profile", metavar="FILE", help="profile .json (else defaults)")
    parser.add_argument("--format", choices=("md", "html", "pdf"), default="pdf")
    parser.add_argument("--out", required=True, metavar="FILE")
    parser.add_argument("--db", metavar="FILE", help="DuckDB file")
    _json_flag(parser)


def _doctor_args(parser: argparse.ArgumentParser) -> None:
    _json_flag(parser)
    parser.add_argument("--no-smoke", action="store_true", help="skip loading the models")


def _ingest_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH", help="files or folders")
    parser.add_argument("--workspace", default="default", help="index name (default: default)")
    _json_flag(parser)


def _ask_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("question")
    _json_flag(parser)


COMMANDS: dict[str, Command] = {
    "doctor": Command("check versions, models, backend and GPU", _doctor, _doctor_args),
    "ingest": Command("ingest documents into a workspace's index", _ingest, _ingest_args),
    "ask": Command("answer a question from the built-in guidance, with citations", _ask, _ask_args),
    "trial": Command("run prompt/RAG/LoRA trials on your documents", _trial, _trial_args),
    "runs": Command("list past trial runs", _runs, _runs_args),
    "report": Command("write the report (md, html or pdf)", _report, _report_args),
    "recommend": Command(
        "recommend an approach and plan for a profile", _recommend, _recommend_args
    ),
}


def _user_errors() -> tuple[type[Exception], ...]:
    """Errors that are the user's to fix: printed as one line, never a traceback."""
    from assistant.models.base import ModelError
    from assistant.profile import ProfileError
    from assistant.report_data import ReportError
    from assistant.settings import SettingsError
    from eval.config import ConfigError
    from eval.dataset import DatasetError
    from eval.store import StoreError
    from eval.trial import TrialBusy

    return (
        ModelError, SettingsError, ConfigError, DatasetError, TrialBusy, ProfileError, StoreError,
        ReportError,
    )  # fmt: skip


USER_ERRORS = _user_errors()
