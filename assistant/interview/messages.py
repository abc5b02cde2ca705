"""What the assistant says besides questions: greeting, hints, recommendation messages."""

from __future__ import annotations

from typing import Any

from assistant.advice.evidence import Evidence
from assistant.advice.labels import APPROACH_LABELS
from assistant.advice.trial_rules import model_phrase
from assistant.advice.trial_wording import (
    EVIDENCE_ADDED,
    KIND_LABELS,
    NO_PAIRS,
    NO_VERDICTS,
    VERDICT_LINE,
)
from eval.scoring.comparison import Comparison, signed

GREETING = (
    "Hi! I'll ask a few short questions about your use case, one at a time, and then "
    "suggest whether better prompts, retrieval (RAG) or fine-tuning fits. You can say "
    "'skip' to any question, correct an answer ('change budget to high'), go back "
    "('go back to use case') or ask me a question at any point."
)
TRIAL_HINT = (
    "To check this on your own data, run a trial on a sample of your documents: it scores "
    "prompting alone against retrieval (and a small LoRA if you like), and I'll weigh its "
    "verdicts in the recommendation."
)
BEHAVIOUR_HINT = (
    "You said the model gets the {gaps} wrong: that is where fine-tuning can pay off, so "
    'run a trial on your own input→output examples: on the Trials tab choose "How the model '
    'answers" and upload 30+ examples (JSONL or CSV, e.g. ticket → label or text → JSON): '
    "it scores zero-shot, few-shot and retrieved-example prompts (and a small LoRA if you "
    "like) on held-out examples, and I'll weigh its verdicts in the recommendation."
)
BEHAVIOUR_GAPS = ("format", "style", "terminology", "latency")
NO_GUIDANCE_REPLY = "I don't have guidance on that."


def trial_hint(gaps: tuple[str, ...] | list[str]) -> str:
    """Which trial to offer: behaviour examples for a format/style/terminology/latency gap."""
    heard = [g for g in BEHAVIOUR_GAPS if g in gaps]
    if not heard:
        return TRIAL_HINT
    behaviour = BEHAVIOUR_HINT.format(gaps=" and ".join(heard))
    return f"{TRIAL_HINT}\n{behaviour}" if "knowledge" in gaps else behaviour


def describe_recommendation(rec: Any, title: str) -> str:
    """A recommendation as a short Markdown message with its citations."""
    lines = [
        f"**{title}: {APPROACH_LABELS[rec.approach]}** "
        f"(strength of evidence: {rec.strength.level})",
        *(f'- {r.text} _({r.source.rsplit("/", 1)[-1]}, "{r.heading}")_' for r in rec.reasons),
    ]
    tail = [rec.basis] if getattr(rec, "basis", "") else []
    tail.append(f"Strength of evidence: {rec.strength.describe()}.")
    if rec.prerequisite_notes:  # each with its numbers ("collect about 200 more") and source
        notes = (f'- {n.text} _({n.source.rsplit("/", 1)[-1]}, "{n.heading}")_'
                 for n in rec.prerequisite_notes)  # fmt: skip
        tail.append("Before you start:\n" + "\n".join(notes))
    if rec.risks:
        numbers = getattr(rec, "risk_numbers", {})
        named = [r.replace("_", " ") + (f" ({numbers[r]})" if r in numbers else "")
                 for r in rec.risks]  # fmt: skip
        tail.append("Risks to watch: " + ", ".join(named) + ".")
    # A blank line ends the list, so these lines are not run into its last item; each is
    # its own paragraph.
    return "\n".join(lines) + "".join(f"\n\n{line}" for line in tail)


def describe_change(before: Any, after: Any) -> str:
    """What a trial did to the advice: the approach, the strength and what moved it, and
    the reasons it replaced, so no reason the run contradicts stays unremarked."""
    if before.approach != after.approach:
        head = (
            f"This changes my recommendation from {APPROACH_LABELS[before.approach]} to "
            f"{APPROACH_LABELS[after.approach]}."
        )
    else:
        was, now = before.strength.level, after.strength.level
        change = f"stays {now}" if was == now else f"goes from {was} to {now}"
        head = (f"My recommendation stays {APPROACH_LABELS[after.approach]}; the strength of "
                f"the evidence {change}{_moved(before.strength, after.strength)}.")  # fmt: skip
    texts = {r.text for r in after.reasons}
    gone = [r.text for r in before.reasons if r.text not in texts]
    added = sum(r.text not in {b.text for b in before.reasons} for r in after.reasons)
    lines = [head]
    if gone:
        lines.append(REPLACED + " ".join(f"“{text}”" for text in gone))
    if added:
        one = added == 1
        lines.append(ADDED.format(n=added, s="" if one else "s", verb="rests" if one else "rest"))
    return " ".join(lines)


REPLACED = "No longer said, now that this run is weighed (what it measured is below): "
ADDED = "{n} reason{s} below {verb} on this run."


def _moved(before: Any, after: Any) -> str:
    """' (now also raised by: …; no longer lowered by: …)', or '' when no input moved."""
    parts = []
    for words, now, was in (
        ("now also raised by", after.raised_by, before.raised_by),
        ("now also lowered by", after.lowered_by, before.lowered_by),
        ("no longer raised by", before.raised_by, after.raised_by),
        ("no longer lowered by", before.lowered_by, after.lowered_by),
    ):
        moved = [item for item in now if item not in was]
        if moved:
            parts.append(f"{words}: {', '.join(moved)}")
    return f" ({'; '.join(parts)})" if parts else ""


def describe_evidence(evidence: Evidence) -> str:
    """A trial run as the chat announces it: run, model, metric, each pair's verdict, and
    every trial left out with the reason and what it would take to finish it."""
    if not evidence.has_verdicts:
        verdicts = NO_VERDICTS
    elif not evidence.comparisons:
        verdicts = NO_PAIRS
    else:
        lines = [_verdict_line(c) for c in evidence.comparisons]
        verdicts = "; ".join(lines) + "."
    text = EVIDENCE_ADDED.format(
        kind=KIND_LABELS.get(evidence.kind, evidence.kind), run_id=evidence.run_id,
        model=model_phrase(evidence), metric=evidence.metric, verdicts=verdicts,
    )  # fmt: skip
    return "\n".join([text, *evidence.left_out()])


def _verdict_line(row: dict) -> str:
    """One stored comparison, turned round so a clear winner is named first; a pair that
    scored the same on every item says so instead of an interval."""
    c = Comparison.from_dict(row).winner_first()
    if c.identical:
        return f"{c.a} vs {c.b}: {c.same_scores()}"
    low, high = c.ci95
    return VERDICT_LINE.format(
        a=c.a, b=c.b, verdict=c.verdict, delta=signed(c.delta),
        interval=f"{signed(low)} to {signed(high)}", p=c.p_text(),
    )  # fmt: skip
