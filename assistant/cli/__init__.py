"""The command line: a registry of subcommands, each parsing its arguments, calling library
code and printing. With `--json` every command prints exactly one JSON object (or one per
line for JSONL input) on stdout.

Errors: an `AdvisorError` (the user's to fix) prints one `error:` line and exits 2; any
other exception is a bug, logged with its traceback, and the user sees a one-line
reference to the log instead of the traceback.
"""

from __future__ import annotations

import argparse
import logging
import sys

from assistant.cli import advice, compare, tools, trials
from assistant.cli.base import Command
from assistant.core.errors import AdvisorError, describe_error

COMMANDS: dict[str, Command] = {
    **tools.COMMANDS, **trials.COMMANDS, **compare.COMMANDS, **advice.COMMANDS,
}  # fmt: skip


def _serve(args: argparse.Namespace) -> int:
    """Start the web app, once we know its data folder can be written (else one line)."""
    from assistant.core.datadir import check_data_dir
    from assistant.core.settings import load_settings

    settings = load_settings(host=args.host, port=args.port)
    check_data_dir(settings)
    from assistant.web.layout import serve

    return serve(settings)


def _serve_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default=argparse.SUPPRESS, help="address to listen on")
    parser.add_argument("--port", type=int, default=argparse.SUPPRESS, help="port to listen on")


def build_parser() -> argparse.ArgumentParser:
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
    """Run one command; returns the process exit code."""
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s: %(message)s")
    args = build_parser().parse_args(argv)
    handler = _serve if args.command in (None, "serve") else COMMANDS[args.command].run
    try:
        return handler(args)
    except KeyboardInterrupt:
        return 130
    except Exception as err:  # one line for the user; a bug's traceback goes to the log
        print(f"error: {describe_error(err)}", file=sys.stderr)
        return 2 if isinstance(err, AdvisorError) else 1
