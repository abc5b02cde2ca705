"""Profile (+ trial evidence) → recommendation and plan, as one JSON-ready result.

The `recommend` command, the web app and the report all call `advise`, so they give the
same answer for the same inputs. Trial runs reach the advice in exactly one form,
`Evidence` (built by `evidence_from_run`), whichever front end ran the trial; they never
touch the profile, whose `measured` field holds only the team's own production scores.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from assistant.advice.costs import CostTable, cost_table
from assistant.advice.decide import Recommendation, recommend
from assistant.advice.evidence import Evidence, evidence_from_run
from assistant.advice.plan import Plan, build_plan
from assistant.advice.profile import Profile
from assistant.core.rates import CostRates

__all__ = ["Advice", "CostTable", "Evidence", "advise", "evidence_from_run"]


@dataclass(frozen=True)
class Advice:
    profile: Profile
    recommendation: Recommendation
    plan: Plan
    evidence: tuple[Evidence, ...] = field(default_factory=tuple)
    costs: CostTable = field(default_factory=CostTable)  # measured costs at the team's volume

    def to_dict(self) -> dict[str, Any]:
        data = self.recommendation.to_dict()
        data["plan"] = self.plan.to_list()
        data["costs"] = self.costs.to_dict()
        return data


def advise(
    profile: Profile,
    unknown: tuple[str, ...] = (),
    evidence: Sequence[Evidence] = (),
    rates: CostRates = CostRates(),
) -> Advice:
    """Recommendation, plan and measured costs for a profile, with trial evidence beside it.

    `rates` (`CostRates.from_settings`) price the plan and the measured costs.
    """
    evidence = tuple(evidence)
    recommendation = recommend(profile, unknown=unknown, evidence=evidence)
    plan = build_plan(recommendation, profile, rates)
    costs = cost_table(profile, evidence, rates)
    return Advice(profile, recommendation, plan, evidence, costs)
