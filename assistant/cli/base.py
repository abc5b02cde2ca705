"""What every subcommand shares: the Command record and the --json flag."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Command:
    help: str
    run: Callable[[argparse.Namespace], int]
    add_args: Callable[[argparse.ArgumentParser], None] = lambda parser: None


def json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON on stdout")


class UsageError(Exception):
    """A mistyped command line; `parser` is the (sub)command whose usage applies."""

    def __init__(self, parser: argparse.ArgumentParser, message: str) -> None:
        super().__init__(message)
        self.parser = parser


class Parser(argparse.ArgumentParser):
    """argparse that raises on a bad command line instead of printing and exiting, so
    `main` can say it as ``{"error": ...}`` when --json was given (subcommands inherit it)."""

    def error(self, message: str):  # type: ignore[override]
        raise UsageError(self, message)
