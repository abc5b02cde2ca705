"""What the interview remembers between messages, and what one step returns.

Plain data, serialisable with to_dict(): any number of users can chat at once, and a
state can be stored as JSON between requests.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from assistant.advice.decide import Recommendation
from assistant.advice.evidence import Evidence
from assistant.advice.profile import Profile
from assistant.interview.questions import Question


@dataclass
class InterviewState:
    """Everything the interview remembers; plain data, serialisable with to_dict()."""

    profile: Profile = field(default_factory=Profile)
    answered: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    revisit: str | None = None  # a field the user asked to go back to
    missed: str | None = None  # the question whose last reply could not be read
    batch: bool = False  # the user described offline / batch work: no latency question
    preliminary_shown: bool = False
    shown_approach: str | None = None  # last approach shown, to announce only real changes
    finished: bool = False  # the final recommendation has been given
    # A weak reading said back and not yet confirmed: {"field", "value", "rivals"}.
    tentative: dict[str, Any] | None = None
    # Trial runs, newest last, one per kind: kept apart from the profile's production scores.
    evidence: list[Evidence] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "profile": self.profile.to_dict(),
            "answered": list(self.answered),
            "skipped": list(self.skipped),
            "revisit": self.revisit,
            "missed": self.missed,
            "batch": self.batch,
            "preliminary_shown": self.preliminary_shown,
            "shown_approach": self.shown_approach,
            "finished": self.finished,
            "tentative": dict(self.tentative) if self.tentative else None,
            "evidence": [e.to_dict() for e in self.evidence],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> InterviewState:
        values = dict(data)
        values["profile"] = Profile.from_dict(values.get("profile", {}))
        values["evidence"] = [Evidence.from_dict(e) for e in values.get("evidence") or []]
        return cls(**values)


@dataclass(frozen=True)
class Turn:
    """The result of one step: the new state, what to say, and what is asked next."""

    state: InterviewState
    messages: list[str]
    question: Question | None
    recommendation: Recommendation | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "state": self.state.to_dict(),
            "messages": list(self.messages),
            "question": self.question.to_dict() if self.question else None,
            "recommendation": self.recommendation.to_dict() if self.recommendation else None,
        }
