"""What the assistant says besides questions: greeting, hints, recommendation messages."""

from __future__ import annotations

from typing import Any

from assistant.advice.wording import APPROACH_LABELS, PREREQUISITE_LABELS

GREETING = (
    "Hi! I'll ask a few short questions about your use case, one at a time, and then "
    "suggest whether better prompts, retrieval (RAG) or fine-tuning fits. You can say "
    "'skip' to any question, correct an answer ('change budget to high'), go back "
    "('go back to use case') or ask me a question at any point."
)
TRIAL_HINT = (
    "To check this on your own data, run a trial on a sample of your documents: it scores "
    "prompting alone against retrieval (and a small LoRA if you like), and I'll fold the "
    "scores into the recommendation."
)
NO_GUIDANCE_REPLY = "I don't have guidance on that."


def describe_recommendation(rec: Any, title: str) -> str:
    """A recommendation as a short Markdown message with its citations."""
    lines = [
        f"**{title}: {APPROACH_LABELS[rec.approach]}** (confidence {rec.confidence:.0%})",
        *(f'- {r.text} _({r.source.rsplit("/", 1)[-1]}, "{r.heading}")_' for r in rec.reasons),
    ]
    if rec.prerequisites:
        steps = "; ".join(PREREQUISITE_LABELS[pid] for pid in rec.prerequisites)
        lines.append(f"Before you start: {steps}.")
    if rec.risks:
        lines.append("Risks to watch: " + ", ".join(r.replace("_", " ") for r in rec.risks) + ".")
    return "\n".join(lines)
