"""The command line: a registry of subcommands, each parsing its arguments, calling library
code and printing. With `--json` every command prints exactly one JSON object (or one per
line for JSONL input) on stdout.

Errors: an `AdvisorError` (the user's to fix) prints one `error:` line and exits 2; any
other exception is a bug, logged with its traceback, and the user sees a one-line
reference to the log instead of the traceback. With `--json` the same line is printed as
``{"error": "..."}`` on stdout instead, so a script reading stdout always gets one JSON
object, even for a mistyped flag.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys

from assistant.cli import advice, compare, runs, tools, trials
from assistant.cli.base import Command, Parser, UsageError
from assistant.core.errors import AdvisorError, describe_error

# Each module registers its own subcommands; a name is defined once.
COMMANDS: dict[str, Command] = {
    **tools.COMMANDS, **trials.COMMANDS, **compare.COMMANDS, **advice.COMMANDS, **runs.COMMANDS,
}  # fmt: skip


def _serve(args: argparse.Namespace) -> int:
    """Start the web app, once we know its data folder can be written and its port is free
    (else one line each)."""
    from assistant.core.datadir import check_data_dir
    from assistant.core.ports import check_port
    from assistant.core.settings import load_settings

    settings = load_settings(host=args.host, port=args.port)
    check_data_dir(settings)
    check_port(settings.host, settings.port)
    from assistant.web.scratch import keep_gradio_cache_inside

    keep_gradio_cache_inside()  # before gradio is imported: it reads the folder at import
    from assistant.web.layout import serve

    return serve(settings)


def _serve_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default=argparse.SUPPRESS, help="address to listen on")
    parser.add_argument("--port", type=int, default=argparse.SUPPRESS, help="port to listen on")


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
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
    argv = sys.argv[1:] if argv is None else list(argv)
    as_json = "--json" in argv
    try:
        args = build_parser().parse_args(argv)
        handler = _serve if args.command in (None, "serve") else COMMANDS[args.command].run
        return handler(args)
    except KeyboardInterrupt:
        return _fail("interrupted", as_json, 130)
    except UsageError as err:  # argparse's own wording, and its exit code
        if not as_json:
            err.parser.print_usage(sys.stderr)
        return _fail(f"{err.parser.prog}: {err}", as_json, 2)
    except Exception as err:  # one line for the user; a bug's traceback goes to the log
        return _fail(describe_error(err), as_json, 2 if isinstance(err, AdvisorError) else 1)


def _fail(message: str, as_json: bool, code: int) -> int:
    """Say what went wrong in one line: JSON on stdout with --json, else on stderr."""
    if as_json:
        print(json.dumps({"error": message}), flush=True)
    else:
        print(f"error: {message}", file=sys.stderr)
    return code
