#!/usr/bin/env python
"""Adaptation Advisor: the web app (default) and the command line.

Each subcommand is a small function that calls library code and prints; the web
UI wires Gradio callbacks to the same library functions.
"""

from __future__ import annotations

from assistant.offline import enforce_offline

enforce_offline()  # before gradio, transformers or chromadb are imported anywhere

import argparse  # noqa: E402
import sys  # noqa: E402

from assistant.models.base import ModelError  # noqa: E402
from assistant.settings import load_settings  # noqa: E402


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


def _serve_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default=argparse.SUPPRESS, help="address to listen on")
    parser.add_argument("--port", type=int, default=argparse.SUPPRESS, help="port to listen on")


def build_parser() -> argparse.ArgumentParser:
    from assistant.cli import COMMANDS

    parser = argparse.ArgumentParser(
        prog="app.py",
        description="Adaptation Advisor: should you prompt, build RAG, or fine-tune?",
    )
    parser.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, help="port to listen on (default 7860)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    _serve_args(sub.add_parser("serve", help="start the web app (the default)"))
    for name, command in COMMANDS.items():
        command.add_args(sub.add_parser(name, help=command.help, description=command.help))
    return parser


def main(argv: list[str] | None = None) -> int:
    from assistant.cli import COMMANDS, USER_ERRORS

    args = build_parser().parse_args(argv)
    handler = cmd_serve if args.command in (None, "serve") else COMMANDS[args.command].run
    try:
        return handler(args)
    except USER_ERRORS as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
