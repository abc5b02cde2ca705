"""Commands for checking the setup and using the knowledge base: doctor, ingest, ask."""

from __future__ import annotations

import argparse
import json

from assistant.cli.base import Command, json_flag
from assistant.core.settings import load_settings


def _doctor(args: argparse.Namespace) -> int:
    """Report versions, models, backend, GPU and a smoke generation."""
    from assistant.core.doctor import run_doctor

    report = run_doctor(smoke=not args.no_smoke)
    if args.json:
        if report["problems"]:  # a failed command's JSON always carries "error"
            report["error"] = f"{len(report['problems'])} problem(s): " + "; ".join(
                report["problems"]
            )
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
    from assistant.core.models import load_embedder
    from knowledge.index import check_paths, check_workspace, index_paths, open_index

    settings = load_settings()
    check_workspace(args.workspace)  # before the embedder loads: a bad name fails at once
    check_paths(args.paths)  # so do a missing path and an empty folder
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
    import shutil

    from assistant.cli.readonly import guidance_settings
    from assistant.core.models import load_chat_model, load_embedder
    from knowledge.guidance import ask_guidance, open_guidance

    settings = load_settings()
    where, tmp = guidance_settings(settings)  # a read-only data folder: a temporary index
    try:
        index = open_guidance(where, load_embedder(settings))
        answer = ask_guidance(args.question, index, load_chat_model(settings))
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
    if args.json:
        print(json.dumps(answer.to_dict()))
        return 0
    print(answer.text)
    for citation in answer.citations:
        print(f"  [source: {citation.source} — {citation.heading}]")
    return 0


def _doctor_args(parser: argparse.ArgumentParser) -> None:
    json_flag(parser)
    parser.add_argument("--no-smoke", action="store_true", help="skip loading the models")


def _ingest_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH", help="files or folders")
    parser.add_argument("--workspace", default="default", help="index name (default: default)")
    json_flag(parser)


def _ask_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("question")
    json_flag(parser)


COMMANDS = {
    "doctor": Command("check versions, models, backend and GPU", _doctor, _doctor_args),
    "ingest": Command("ingest documents into a workspace's index", _ingest, _ingest_args),
    "ask": Command("answer a question from the built-in guidance, with citations", _ask, _ask_args),
}
