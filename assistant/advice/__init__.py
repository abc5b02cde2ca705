"""Profile (+ measurements) → recommendation and plan, as one JSON-ready result.

The `recommend` command, the web app and the report all call `advise`, so they give the
same answer for the same inputs. Trial scores reach a profile in exactly one place,
`merge_measurements`, whichever front end ran the trial.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from assistant.advice.decide import Recommendation, recommend
from assistant.advice.plan import Plan, build_plan
from assistant.advice.profile import Profile

# The trial score that stands for "how good is this approach" in `measured`: `contains`
# (the reference appears in the answer) is fair to verbose small models, unlike EM.
HEADLINE_METRIC = "contains"
MEASURED_TRIALS = ("prompt", "rag", "lora")


@dataclass(frozen=True)
class Advice:
    profile: Profile
    recommendation: Recommendation
    plan: Plan

    def to_dict(self) -> dict[str, Any]:
        data = self.recommendation.to_dict()
        data["plan"] = self.plan.to_list()
        return data


def measured_from_run(run: dict[str, Any]) -> dict[str, float]:
    """Headline scores of a stored run's finished trials (a `Store.get_run` result)."""
    out = {}
    for name in MEASURED_TRIALS:
        trial = run.get("trials", {}).get(name)
        if trial and trial.get("status") in ("finished", "partial"):
            score = trial.get("summary", {}).get(HEADLINE_METRIC)
            if isinstance(score, int | float):
                out[name] = round(float(score), 4)
    return out


def merge_measurements(profile: Profile, measured: dict[str, float]) -> Profile:
    """The profile with trial scores merged into `measured` (keeping its target).

    A measured prompt score means the prompt baseline was tried. Bad scores raise
    ProfileError naming the field.
    """
    if not measured:
        return profile
    changes: dict[str, Any] = {"measured": {**profile.measured, **measured}}
    if "prompt" in measured:
        changes["prompting_tried"] = True
    return profile.with_(**changes)


def advise(profile: Profile, unknown: tuple[str, ...] = ()) -> Advice:
    recommendation = recommend(profile, unknown=unknown)
    return Advice(profile, recommendation, build_plan(recommendation, profile))
