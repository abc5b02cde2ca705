"""The Trials tab's "Cost at your volume": the advice's cost table as Markdown and a chart.

The figures come whole from `Advice.costs` (the same object the report and `recommend`
print), so the app cannot show a number the report does not; this module only lays them
out for the screen.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from assistant.advice.costs import CostTable
from assistant.advice.money import count, money
from assistant.web.safe import esc
from assistant.web.services import Services
from assistant.web.session import SessionState

HEADER = "| Approach | Monthly serving | One-off | Yearly upkeep |\n| --- | --- | --- | --- |"


def session_costs(services: Services, session: SessionState) -> CostTable:
    """The session's answers and trial evidence priced at its volume and the team's rates."""
    from assistant.advice import advise
    from assistant.core.rates import CostRates

    rates = CostRates.from_settings(services.settings)
    return advise(session.profile, evidence=session.interview.evidence, rates=rates).costs


def costs_markdown(costs: CostTable) -> str:
    """Table, break-even sentences and notes; the reason alone when nothing is priced."""
    if not costs.lines:
        return f"_{esc(costs.reason)}_"
    lead = (
        f"At your {count(costs.monthly_queries or 0)} queries a month, from the measured "
        f"times of run {esc(costs.run_id)}:"
    )
    rows = [
        f"| {esc(line.approach)} | {money(line.monthly_serving)} | {money(line.one_off)} | "
        f"{money(line.yearly_upkeep)} |"
        for line in costs.lines
    ]
    extra = [f"- {esc(b.sentence)}" for b in costs.break_even]
    extra += [f"- {esc(note)}" for note in costs.notes]
    return "\n".join([lead, "", HEADER, *rows, "", *extra])


def costs_chart(costs: CostTable) -> str | None:
    """The cost-versus-volume chart as a PNG file for gr.Image (None when nothing priced)."""
    from assistant.report.charts import volume_chart

    png = volume_chart(costs) if costs.lines else None
    if not png:
        return None
    path = Path(tempfile.mkdtemp(prefix="advisor-costs-")) / "costs.png"
    path.write_bytes(png)
    return str(path)
