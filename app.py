#!/usr/bin/env python
"""Adaptation Advisor: the web app (default) and the command line.

Each subcommand is a small function that calls library code and prints; the web
UI wires Gradio callbacks to the same library functions.
"""

from __future__ import annotations

from assistant.offline import enforce_offline

enforce_offline()  # before gradio, transformers or chromadb are imported anywhere

import argparse  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
from collections.abc import Callable  # noqa: E402

from assistant.models.base import ModelError  # noqa: E402
from assistant.settings import SettingsError, load_settings  # noqa: E402


def cmd_serve(args: argparse.Namespace) -> int:
    """Start the web app."""
    settings = load_settings(host=args.host, port=args.port)
    app = build_app(settings)
    print(f"Adaptation Advisor on http://{settings.host}:{settings.port}", flush=True)
    app.queue(default_concurrency_limit=4).launch(
        server_name=settings.host, server_port=settings.port, show_error=True
    )
    return 0


def build_app(settings):
    """The Gradio Blocks app: a chat box streaming replies from the configured model."""
    import gradio as gr

    from assistant.chat import stream_reply
    from assistant.models import load_chat_model

    def add_user_turn(message: str, history: list) -> tuple[str, list]:
        if not message.strip():
            return "", history
        return "", [*history, {"role": "user", "content": message}]

    def bot_turn(history: list):
        if not history or history[-1]["role"] != "user":
            yield history
            return
        *earlier, last = history
        try:
            model = load_chat_model(settings)
            for text in stream_reply(model, earlier, last["content"], settings.max_tokens):
                yield [*history, {"role": "assistant", "content": text}]
        except ModelError as err:
            yield [*history, {"role": "assistant", "content": f"Model problem: {err}"}]

    with gr.Blocks(title="Adaptation Advisor") as demo:
        gr.Markdown("## Adaptation Advisor\nShould you prompt, build RAG, or fine-tune?")
        chatbot = gr.Chatbot(label="Conversation", height=480)
        with gr.Row():
            box = gr.Textbox(
                placeholder="Ask about RAG, fine-tuning or prompting…",
                show_label=False,
                scale=8,
                elem_id="chat-input",
            )
            send = gr.Button("Send", variant="primary", scale=1, elem_id="chat-send")
        for trigger in (box.submit, send.click):
            trigger(add_user_turn, [box, chatbot], [box, chatbot], queue=False).then(
                bot_turn, chatbot, chatbot
            )
    return demo


def cmd_doctor(args: argparse.Namespace) -> int:
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


def cmd_ingest(args: argparse.Namespace) -> int:
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


def cmd_ask(args: argparse.Namespace) -> int:
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


COMMANDS: dict[str, tuple[Callable[[argparse.Namespace], int], str]] = {
    "serve": (cmd_serve, "start the web app (the default)"),
    "doctor": (cmd_doctor, "check versions, models, backend and GPU"),
    "ingest": (cmd_ingest, "ingest documents into a workspace's index"),
    "ask": (cmd_ask, "answer a question from the built-in guidance, with citations"),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="app.py",
        description="Adaptation Advisor: should you prompt, build RAG, or fine-tune?",
    )
    parser.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, help="port to listen on (default 7860)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (_, help_text) in COMMANDS.items():
        sub.add_parser(name, help=help_text)
    serve = sub.choices["serve"]
    serve.add_argument("--host", default=argparse.SUPPRESS, help="address to listen on")
    serve.add_argument("--port", type=int, default=argparse.SUPPRESS, help="port to listen on")
    doctor = sub.choices["doctor"]
    doctor.add_argument("--json", action="store_true", help="print one JSON object")
    doctor.add_argument("--no-smoke", action="store_true", help="skip loading the models")
    ingest = sub.choices["ingest"]
    ingest.add_argument("paths", nargs="+", metavar="PATH", help="files or folders")
    ingest.add_argument("--workspace", default="default", help="index name (default: default)")
    ingest.add_argument("--json", action="store_true", help="print one JSON object")
    ask = sub.choices["ask"]
    ask.add_argument("question")
    ask.add_argument("--json", action="store_true", help="print one JSON object")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler = COMMANDS[args.command or "serve"][0]
    try:
        return handler(args)
    except (SettingsError, ModelError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
