"""The "Cost at your volume" section: the measured cost table, break-even and its chart.

The numbers and sentences come whole from `Advice.costs` (assistant.advice.costs), so
the JSON from `recommend` and the report can never disagree; this module only lays
them out and adds the curve.
"""

from __future__ import annotations

from assistant.advice.costs import CostLine
from assistant.advice.money import count, money
from assistant.report.blocks import Block, Chart, Heading, Para, bullets, table
from assistant.report.charts import VOLUME_TITLE, volume_chart
from assistant.report.data import ReportData

TITLE = "Cost at your volume"
HEADER = ("Approach", "Monthly serving", "One-off", "Yearly upkeep", "Basis")
WIDTHS = (1.2, 1.0, 1.1, 1.1, 3.6)
LEAD = (
    "What each approach of trial run {run_id} would cost at your {volume} queries a month, "
    "from its measured times; every figure names its basis."
)


def cost_section(data: ReportData) -> list[Block]:
    costs = data.advice.costs
    out: list[Block] = [Heading(2, TITLE)]
    if not costs.lines:
        return [*out, Para(costs.reason, "note")]
    volume = count(costs.monthly_queries or 0)
    out += [
        Para(LEAD.format(run_id=costs.run_id, volume=volume)),
        table(HEADER, [_row(line) for line in costs.lines], WIDTHS),
    ]
    if costs.break_even:
        out += [Heading(3, "Break-even"), bullets([b.sentence for b in costs.break_even])]
    png = volume_chart(costs)
    if png:
        out.append(Chart(png, VOLUME_TITLE))
    out += [Para(note, "note") for note in costs.notes]
    return out


def _row(line: CostLine) -> list[str]:
    serving = line.monthly_serving
    return [
        line.approach,
        money(serving),
        money(line.one_off),
        money(line.yearly_upkeep),
        f"Serving: {serving.basis}. One-off: {line.one_off.basis}. "
        f"Upkeep: {line.yearly_upkeep.basis}.",
    ]
