"""The working notes of one decision: reasons, strength inputs, and what they rest on.

Each reason is tagged by what it rests on (a rule of thumb, the team's production
scores, or a measured trial comparison), so the recommendation can say in one sentence
how much of it was measured (`basis`). A Draft lives for one `recommend` call only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from assistant.advice.cited import Cited
from assistant.advice.profile import Profile
from assistant.advice.rules import STRENGTH, THRESHOLDS
from assistant.advice.trial_wording import (
    BASIS,
    BASIS_DRILL,
    BASIS_MEASURED,
    BASIS_PRODUCTION,
    BASIS_RULES,
    BASIS_UNSETTLED,
)
from assistant.advice.wording import REASONS, STATES
from eval.kinds import trial_label

RULE, PRODUCTION, NOTE = "rule", "production", "note"


@dataclass
class Draft:
    """Reasons and strength inputs collected while deciding (local to one call)."""

    profile: Profile
    reasons: list[Cited] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    adjustments: dict[str, float] = field(default_factory=dict)
    steps: list[str] = field(default_factory=list)  # next steps the evidence adds
    rules: int = 0
    production: bool = False
    settled: list[tuple[str, str, str]] = field(default_factory=list)  # (run, a, b)
    unsettled: list[tuple[str, str, str]] = field(default_factory=list)
    unasked: frozenset[str] = frozenset()  # fields whose question has not been asked yet
    drills: list[str] = field(default_factory=list)  # runs whose update drill is quoted

    def why(self, reason_id: str, *, on: str = RULE, **extra: Any) -> bool:
        """Add a reason once, its text filled from the profile, thresholds and `extra`.

        `on` says what it rests on: RULE (a rule of thumb), PRODUCTION (the team's own
        scores) or NOTE (context that decides nothing). Returns False if already given,
        or held back because it states an answer not given yet (see `wording.STATES`).
        """
        if reason_id in self.ids or self.unasked.intersection(STATES.get(reason_id, ())):
            return False
        rule = REASONS[reason_id]
        context = {**self.profile.to_dict(), **THRESHOLDS, **self.profile.measured, **extra}
        context["behaviour"] = ", ".join(extra.get("behaviour", ()))
        self.ids.append(reason_id)
        self.reasons.append(Cited(rule.text.format(**context).strip(), rule.source, rule.heading))
        self.rules += on == RULE
        self.production = self.production or on == PRODUCTION
        return True

    def trial(self, reason_id: str, pair: tuple[str, str, str], settled: bool | None, **extra):
        """Add a reason quoting a trial comparison `pair` = (run id, a, b).

        settled: True when the decision rests on the verdict, False when the verdict was
        inconclusive, None when the comparison is only context.
        """
        if not self.why(reason_id, on=NOTE, **extra):
            return
        if settled is True:
            self.settled.append(pair)
        elif settled is False:
            self.unsettled.append(pair)

    def adjust(self, key: str) -> None:
        """Record an input to the strength of the evidence (a key of `rules.STRENGTH`)."""
        self.adjustments[key] = STRENGTH[key]

    def step(self, text: str) -> None:
        if text not in self.steps:
            self.steps.append(text)

    def basis(self) -> str:
        """One sentence: which measured comparisons, production scores, rules of thumb.

        >>> d = Draft(Profile()); d.rules = 3; d.settled = [("abc123", "rag", "prompt")]
        >>> d.basis() == ("Rests on 1 measured comparison from run abc123 "
        ...               "(RAG vs zero-shot prompting) and 3 rules of thumb.")
        True
        """
        parts = []
        if self.settled:
            runs = list(dict.fromkeys(run for run, _, _ in self.settled))
            pairs = [f"{trial_label(a)} vs {trial_label(b)}" for _, a, b in self.settled]
            count = len(self.settled)
            parts.append(
                BASIS_MEASURED.format(count=count, s=_s(count), runs=_and(runs), pairs=_and(pairs))
            )
        if self.drills:
            parts.append(BASIS_DRILL.format(runs=_and(self.drills)))
        if self.production:
            parts.append(BASIS_PRODUCTION)
        if self.rules or not parts:
            parts.append(BASIS_RULES.format(count=self.rules, s=_s(self.rules)))
        count = len(self.unsettled)
        unsettled = BASIS_UNSETTLED.format(count=count, s=_s(count)) if count else ""
        return BASIS.format(parts=_and(parts), unsettled=unsettled)


def _s(count: int) -> str:
    return "" if count == 1 else "s"


def _and(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
