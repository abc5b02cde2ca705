"""The report's table of paired comparisons: which differences the data supports.

Each stored pair is worded once, by `eval.scoring.comparison.Comparison`: a pair that
scored the same on every item says so instead of an interval, and a pair with a trial
the advice left out (a LoRA its time budget cut short) is marked as not used, so the
table never shows a verdict the recommendation silently ignored.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from assistant.report.blocks import Block, Heading, Para, table
from eval.scoring.comparison import Comparison, signed, span

COMPARE_HEADER = ("Pair", "Metric", "Difference", "95% interval", "p (Holm)", "Verdict",
                  "To find the margin")  # fmt: skip
RULE_NOTE = (
    "Paired comparisons on the same held-out items. 'better' or 'worse' only when an exact "
    "paired test (McNemar for 0/1 scores, sign-flip otherwise), after Holm's correction over "
    "the pairs read together, gives p < 0.05 and its 95% interval (Tango for 0/1 scores, BCa "
    "otherwise) lies on the same side of zero; 'equivalent' when the whole interval lies "
    "within the run's margin of {margin}; otherwise 'inconclusive', with the held-out items "
    "that would find a difference of the margin with 80% power."
)


def comparisons_blocks(
    comparisons: list[dict[str, Any]], left_out: Collection[str] = ()
) -> list[Block]:
    """Every pair of approaches on the same items: difference, interval, p, verdict.

    `left_out` names trials that did not finish: their pairs are shown, marked not used.
    """
    if not comparisons:
        return []
    read = [Comparison.from_dict(row) for row in comparisons]
    rows = [_row(c, left_out) for c in read]
    margins = sorted({c.margin for c in read if c.margin})
    margin = f"{margins[0]:.2f}" if margins else "(none stored: equivalence not read)"
    return [
        Heading(3, "Which differences the data supports"),
        Para(RULE_NOTE.format(margin=margin), "note"),
        table(COMPARE_HEADER, rows, (2, 1.1, 0.9, 1.4, 1.8, 1.1, 1.2)),
    ]


def _row(c: Comparison, left_out: Collection[str]) -> list[str]:
    p = c.p_text().removeprefix("p ").removeprefix("= ")
    if c.identical:
        verdict, interval, settle = c.same_scores(), "—", "—"
    else:
        lo, hi = c.ci95
        verdict, interval = c.verdict, f"[{signed(lo)}, {signed(hi)}]"
        settle = span(*c.items_range) if c.verdict == "inconclusive" and c.items_range else "—"
    unused = [name for name in (c.a, c.b) if name in left_out]
    if unused:
        verdict += NOT_USED.format(trial=unused[0])
    return [f"{c.a} vs {c.b}", c.metric, signed(c.delta), interval, p, verdict, settle]


NOT_USED = " (not used: {trial} did not finish)"
