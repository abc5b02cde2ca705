"""`app.py compare A B`: the trials' verdict machinery on two files of per-item scores.

For teams that already have evaluation results from another tool: each file holds one
score per item (JSONL `{"id", "score"}` or CSV `id,score`), paired by id. The output is
the comparison a trial would store: n, both means, the difference with its 95% interval,
the exact test's p, the verdict under the run margin, and the items that would find a
difference of that margin. Any problem with the files is one `error:` line (or
`{"error": ...}` under --json) and exit code 2.
"""

from __future__ import annotations

import argparse
import json

from assistant.cli.base import Command, json_flag
from assistant.core.errors import AdvisorError, ConfigError
from eval.scoring.comparison import Comparison, signed, span
from eval.scoring.verdict import MARGIN

READINGS = {
    "better": "{a} scores higher: the exact test and the interval agree",
    "worse": "{b} scores higher: the exact test and the interval agree",
    "equivalent": "the whole interval lies within ±{margin}: no difference that matters",
    "inconclusive": "not settled: a verdict needs p < 0.05 and an interval on one side of "
    "zero, or an interval within ±{margin}",
}


def compare_files(path_a: str, path_b: str, margin: float = MARGIN) -> Comparison:
    """The stored-style comparison of the scores in two files (a minus b)."""
    from eval.data.scores import paired_scores, read_scores
    from eval.scoring.comparison import measure

    if not 0 < margin < 1:
        raise ConfigError(f"--margin must be between 0 and 1 (on the 0-1 score), got {margin}")
    a, b = read_scores(path_a), read_scores(path_b)
    sa, sb = paired_scores(a, b, path_a, path_b)
    return measure(path_a, path_b, sa, sb, "score", margin=margin)


def describe(c: Comparison) -> list[str]:
    """The comparison for a terminal, one fact per line."""
    low, high = c.ci95
    reading = READINGS[c.verdict].format(a=c.a, b=c.b, margin=f"{c.margin:.2f}")
    lines = [
        f"{c.a} vs {c.b}: {c.n} paired items, means {c.mean_a:.3f} vs {c.mean_b:.3f}",
        f"difference {signed(c.delta)} (95% interval {signed(low)} to {signed(high)}, "
        f"{c.interval}), {c.p_text()} ({c.test})",
        f"verdict: {c.verdict} ({reading})",
    ]
    if c.items_range and c.power is not None:
        lines.append(
            f"with {c.n} items a true difference of {c.margin:.2f} is found with "
            f"{c.power:.0%} power; about {span(*c.items_range)} items would find it with 80% power"
        )
    return lines


def _compare(args: argparse.Namespace) -> int:
    """Compare two files of per-item scores; print the verdict."""
    try:
        found = compare_files(args.a, args.b, args.margin)
    except AdvisorError as err:
        if not args.json:
            raise  # one `error:` line from the CLI's handler, exit 2
        print(json.dumps({"error": str(err)}))
        return 2
    print(json.dumps(found.to_dict()) if args.json else "\n".join(describe(found)))
    return 0


def _compare_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("a", metavar="A", help="scores of approach A (.jsonl or .csv)")
    parser.add_argument("b", metavar="B", help="scores of approach B, same item ids")
    parser.add_argument(
        "--margin", type=float, default=MARGIN, metavar="N",
        help=f"differences smaller than this do not matter (default {MARGIN:g})",
    )  # fmt: skip
    json_flag(parser)


COMMANDS = {
    "compare": Command(
        "compare two files of per-item scores (id, score) with the trials' verdict rule",
        _compare,
        _compare_args,
    ),
}
