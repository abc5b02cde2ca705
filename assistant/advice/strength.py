"""Strength of evidence: how much a recommendation rests on, said in words with its inputs.

Why not "confidence 70%": the number was an additive heuristic (a base plus a weight per
input, `rules.STRENGTH`), and a percentage reads as a probability it never was. The sum
still orders recommendations (`points`, never shown); users see a level (weak /
moderate / strong) and the inputs that raised or lowered it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from assistant.advice.rules import STRENGTH, STRENGTH_LEVELS

# What each input means, as the user reads it next to the level.
INPUT_LABELS = {
    "measured_agrees": "your production scores support the choice",
    "measured_disagrees": "your production scores point elsewhere",
    "strong_signals": "several independent signals point the same way",
    "prompt_not_measured": "no prompt-only baseline has been measured",
    "prompt_measured_stand_in": "prompts were measured only on the packaged stand-in model",
    "no_eval_set": "there is no held-out evaluation set",
    "no_gaps_known": "no specific gap is known",
    "unknown_field": "interview answers were skipped",
    "trial_agrees": "a trial verdict supports the choice",
    "trial_disagrees": "a trial verdict points elsewhere",
    "trial_inconclusive": "a trial could not tell the approaches apart yet",
    "stand_in_agrees": "a trial on the packaged stand-in model agrees (confirm on yours)",
    "stand_in_disagrees": "a trial on the packaged stand-in model points elsewhere",
    "forgetting_counts": "the trial's adapter clearly lost general ability",
    "conflict": "the needs conflict (e.g. retrieval under a tight latency budget)",
    "thin_examples": "fewer than 1,000 reviewed examples for a LoRA",
    "low_budget_finetune": "a low budget for fine-tuning",
    "short_timeline_finetune": "a short timeline for fine-tuning",
    "no_gpu_finetune": "no GPU for fine-tuning",
}


@dataclass(frozen=True)
class Strength:
    """A level and the inputs behind it; `points` only orders two strengths.

    >>> Strength("moderate", ("a trial verdict supports the choice",), ()).describe()
    'moderate (raised by: a trial verdict supports the choice)'
    """

    level: str
    raised_by: tuple[str, ...] = ()
    lowered_by: tuple[str, ...] = ()
    points: float = 0.0  # the heuristic sum behind the level: not a probability, never shown

    def describe(self) -> str:
        parts = [f"{name}: {', '.join(inputs)}"
                 for name, inputs in (("raised by", self.raised_by),
                                      ("lowered by", self.lowered_by)) if inputs]  # fmt: skip
        return f"{self.level} ({'; '.join(parts)})" if parts else self.level

    def to_dict(self) -> dict[str, Any]:
        return {"level": self.level, "raised_by": list(self.raised_by),
                "lowered_by": list(self.lowered_by)}  # fmt: skip


def strength_of(inputs: Iterable[str], skipped: int = 0) -> Strength:
    """The strength from the inputs that applied (keys of `rules.STRENGTH`).

    Skipped interview answers each weigh `unknown_field`, capped at `unknown_field_cap`.

    >>> strength_of(["trial_agrees", "strong_signals"]).level
    'strong'
    >>> strength_of(["prompt_not_measured", "no_eval_set"], skipped=2).describe()[:34]
    'weak (lowered by: no prompt-only b'
    """
    keys = list(dict.fromkeys(inputs))
    weights = {key: STRENGTH[key] for key in keys}
    if skipped:
        weights["unknown_field"] = max(
            STRENGTH["unknown_field_cap"], STRENGTH["unknown_field"] * skipped
        )
    total = STRENGTH["base"] + sum(weights.values())
    points = round(min(STRENGTH["max"], max(STRENGTH["min"], total)), 2)
    level = next(name for cut, name in STRENGTH_LEVELS if points >= cut)
    raised = tuple(INPUT_LABELS[k] for k, w in weights.items() if w > 0)
    lowered = tuple(INPUT_LABELS[k] for k, w in weights.items() if w < 0)
    return Strength(level, raised, lowered, points)
