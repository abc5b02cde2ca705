"""The prompt rung as a behaviour run measured it: zero-shot against prompts with examples.

Why: a behaviour run measures the cheapest fix for a format or style gap (instructions
with worked examples) before any adapter. Those verdicts are real evidence about the
first rung whether or not the run's LoRA finished, so the advice quotes them in place of
"not attacked with a measured prompt yet", which the run contradicts. They never choose
fine-tuning: a verdict between two prompts says nothing about an adapter.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from assistant.advice.caveats import PREREQUISITE_NOTES
from assistant.advice.cited import Cited
from assistant.advice.draft import Draft
from assistant.advice.evidence import Evidence, latest
from assistant.advice.signals import Signals
from assistant.advice.trial_rules import context
from assistant.advice.trial_wording import (
    PROMPT_BETTER,
    PROMPT_SAME,
    PROMPT_SCORES,
    PROMPT_UNSETTLED,
    READING_WORDS,
    STAND_IN_BASELINE,
)
from eval.kinds import trial_label
from eval.scoring.comparison import Comparison

PROMPT_BASELINE_NOTE = PREREQUISITE_NOTES["measure_prompt_baseline"].text
ZERO_SHOT = "prompt"
WITH_EXAMPLES = ("few-shot", "retrieved-shots")


@dataclass(frozen=True)
class PromptRead:
    """The best prompt with examples against zero-shot, from one behaviour run."""

    evidence: Evidence
    pair: Comparison  # best prompt with examples (a) vs zero-shot (b)

    @property
    def helped(self) -> bool:
        return self.pair.verdict == "better"


def read_prompts(sig: Signals, evidence: Sequence[Evidence]) -> PromptRead | None:
    """The newest behaviour run's prompt reading; None without a behaviour gap, a
    finished zero-shot arm and a finished, compared arm with examples."""
    e = latest(evidence, "behaviour")
    if e is None or not sig.behaviour or ZERO_SHOT not in e.scores:
        return None
    arms = [a for a in WITH_EXAMPLES if a in e.scores]
    pairs = [c for a in arms if (c := e.compared(a, ZERO_SHOT)) is not None and c.stored]
    if not pairs:
        return None
    return PromptRead(e, max(pairs, key=lambda c: (e.scores[c.a], c.delta)))


def cite_prompts(read: PromptRead, sig: Signals, d: Draft) -> None:
    """Quote the measured prompts; a stand-in's reading weighs less than one on your model."""
    e, pair = read.evidence, read.pair
    others = ", ".join(f"{trial_label(a)} {e.scores[a]:.2f}" for a in WITH_EXAMPLES
                       if a in e.scores)  # fmt: skip
    scores = PROMPT_SCORES.format(zero=f"{e.scores[ZERO_SHOT]:.2f}", metric=e.metric,
                                  others=others)  # fmt: skip
    reason = "behaviour_prompts_measured_stand_in" if e.packaged else "behaviour_prompts_measured"
    d.trial(reason, (e.run_id, pair.a, pair.b), None,
            behaviour=sig.behaviour, scores=scores, outcome=_outcome(read),
            **context(e, pair))  # fmt: skip
    if e.packaged and not d.profile.prompting_tried:
        d.adjust("prompt_measured_stand_in")


def weigh_prompts(read: PromptRead | None, approach: str, d: Draft) -> None:
    """Examples that measurably helped support starting on the prompt rung: with prompting
    chosen, the verdict joins what the decision rests on (never when an adapter is)."""
    if read is None or approach != "prompt" or not read.helped:
        return
    d.settled.append((read.evidence.run_id, read.pair.a, read.pair.b))
    d.adjust("stand_in_agrees" if read.evidence.packaged else "trial_agrees")


def baseline_note(read: PromptRead | None, note: Cited) -> Cited:
    """The prompt-baseline prerequisite after a stand-in measured prompts: it asks for the
    baseline on the team's model, so it never reads as if nothing had been measured."""
    if read is None or note.text != PROMPT_BASELINE_NOTE:
        return note
    return Cited(STAND_IN_BASELINE.format(run_id=read.evidence.run_id), note.source, note.heading)


def measured_on_team_model(read: PromptRead | None) -> bool:
    """Did the run measure a prompt baseline on the team's own model (not the stand-in)?"""
    return read is not None and not read.evidence.packaged


def _outcome(read: PromptRead) -> str:
    """The verdict as the reason's second sentence (capitalised: it starts one)."""
    text = _verdict(read)
    return text[:1].upper() + text[1:]


def _verdict(read: PromptRead) -> str:
    pair = read.pair
    extra = context(read.evidence, pair)
    if pair.identical:
        return PROMPT_SAME.format(a_label=extra["a_label"], same=pair.same_scores(), n=pair.n)
    if read.helped:
        return PROMPT_BETTER.format(**extra)
    reading = READING_WORDS.get(pair.verdict, pair.verdict)
    return PROMPT_UNSETTLED.format(**(extra | {"reading": reading}))
