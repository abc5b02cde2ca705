"""A sentence and the guidance note it rests on, plus the names of those notes.

Shared by the two tables of sentences (`wording` for profile rules and your production
scores, `trial_wording` for trial evidence) so each can cite the same files without
importing the other.
"""

from __future__ import annotations

from dataclasses import dataclass

G = "knowledge/guidance/"

LADDER = "adaptation-ladder.md"
RAG = "when-rag-wins.md"
FT = "when-finetuning-wins.md"
LORA = "lora-and-qlora.md"
EVAL = "evaluation.md"
HYBRID = "hybrid-rag-plus-finetuning.md"
COSTS = "costs-and-timelines.md"
RESEARCH = "research-findings.md"
FORGET = "catastrophic-forgetting.md"
DRIFT = "drift-monitoring.md"


@dataclass(frozen=True)
class Cited:
    """A sentence and the guidance note it rests on (a reason, a risk, a prerequisite)."""

    text: str
    source: str
    heading: str

    def to_dict(self) -> dict[str, str]:
        return {"text": self.text, "source": self.source, "heading": self.heading}


def cite(text: str, file: str, heading: str) -> Cited:
    """A sentence citing `knowledge/guidance/<file>`, section `## <heading>`."""
    return Cited(text, G + file, heading)
