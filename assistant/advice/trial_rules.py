"""Rules on trial evidence: each kind of run answers only its own question, by verdict.

A knowledge run (prompt vs RAG vs LoRA on the team's documents) informs retrieval only;
a behaviour run (zero-shot / few-shot / retrieved shots / LoRA on input→output examples)
informs fine-tuning only. So a LoRA that failed to learn facts never vetoes fine-tuning
for a format or style gap. Every rule reads a pair's paired verdict, never raw means: a
"better" or "worse" verdict can decide, an "inconclusive" one only lowers confidence and
says how many held-out items would settle it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from assistant.advice.draft import NOTE, Draft
from assistant.advice.evidence import Evidence, latest
from assistant.advice.profile import Profile
from assistant.advice.rules import FACTS_PAIR, PROMPTING_BASELINES, RETRIEVAL_PAIR
from assistant.advice.signals import Signals, retrieval_open
from assistant.advice.trial_wording import (
    EXTEND_BY,
    EXTEND_STEP,
    EXTEND_STEP_UNKNOWN,
    EXTEND_UNKNOWN,
    KIND_LABELS,
    OTHER_MODEL,
    PACKAGED_MODEL,
    PACKAGED_MODEL_UNNAMED,
    RERUN_STEP,
)
from eval.kinds import TRIAL_LABELS
from eval.scoring.comparison import Comparison


@dataclass(frozen=True)
class Read:
    """A decisive verdict (better or worse) from one run, read as `pair.a` vs `pair.b`."""

    evidence: Evidence
    pair: Comparison


def read_retrieval(p: Profile, sig: Signals, evidence: Sequence[Evidence], d: Draft) -> Read | None:
    """RAG vs prompting alone from the newest knowledge run; None unless it is decisive."""
    e = latest(evidence, "knowledge")
    if e is None:
        return None
    if not retrieval_open(p, sig):
        d.why("knowledge_trial_unused", on=NOTE, run_id=e.run_id, behaviour=sig.behaviour)
        return None
    return _decisive(e, e.compared(*RETRIEVAL_PAIR), "rag_trial_inconclusive", d)


def cite_retrieval(read: Read, wanted: bool, d: Draft) -> None:
    """Quote the decisive RAG verdict; confidence follows whether the final choice agrees."""
    better = read.pair.verdict == "better"
    reason = "rag_trial_better" if better else "rag_trial_worse"
    d.trial(reason, _key(read.evidence, read.pair), True, **context(read.evidence, read.pair))
    d.adjust("trial_agrees" if better == wanted else "trial_disagrees")


def cite_facts(p: Profile, evidence: Sequence[Evidence], d: Draft) -> None:
    """With retrieval chosen for a knowledge gap: a LoRA that recalled facts worse than RAG."""
    e = latest(evidence, "knowledge")
    if e is None or "knowledge" not in p.gaps:
        return
    pair = e.compared(FACTS_PAIR[1], FACTS_PAIR[0])  # rag vs lora
    if pair is not None and pair.stored and pair.verdict == "better":
        d.trial("rag_beats_lora_on_facts", _key(e, pair), True, **context(e, pair))


def read_finetune(sig: Signals, evidence: Sequence[Evidence], d: Draft) -> Read | None:
    """LoRA vs the prompting baselines from the newest behaviour run; None unless decisive.

    "worse" against any baseline is decisive against fine-tuning; "better" needs every
    baseline the run compared. Anything else is inconclusive and decides nothing.
    """
    e = latest(evidence, "behaviour")
    if e is None:
        return None
    if not sig.behaviour:
        d.why("behaviour_trial_unused", on=NOTE, run_id=e.run_id)
        return None
    pairs = [c for b in PROMPTING_BASELINES if (c := e.compared("lora", b)) is not None]
    if not pairs:
        return None
    worse = [c for c in pairs if c.stored and c.verdict == "worse"]
    if worse:
        return Read(e, worse[0])
    if all(c.stored and c.verdict == "better" for c in pairs):
        return Read(e, pairs[0])
    unsettled = next(c for c in pairs if not c.stored or c.verdict != "better")
    return _decisive(e, unsettled, "lora_trial_inconclusive", d)


def cite_finetune(read: Read, outcome: str, d: Draft) -> None:
    """Quote the decisive LoRA verdict; `outcome` is chosen, vetoed or not_ready."""
    e, pair = read.evidence, read.pair
    if pair.verdict == "worse":  # a prompting baseline beat the adapter
        flipped = pair.flipped()
        d.trial("prompting_enough", _key(e, pair), True, **context(e, flipped))
        d.adjust("trial_agrees")
        return
    settled = {"chosen": True, "vetoed": True}.get(outcome)
    extra = context(e, pair) | {"forgetting": e.forgetting}
    d.trial("lora_trial_better", _key(e, pair), settled, **extra)
    if outcome == "chosen":
        d.adjust("trial_agrees")
    elif outcome == "vetoed":
        d.adjust("trial_disagrees")


def _decisive(e: Evidence, pair: Comparison | None, reason: str, d: Draft) -> Read | None:
    """The pair if its verdict decides; otherwise say why not, lower confidence, add a step."""
    if pair is None:
        return None
    if pair.verdict != "inconclusive" and pair.stored:
        return Read(e, pair)
    d.adjust("trial_inconclusive")
    labels = _labels(pair)
    if not pair.stored:
        d.trial("trial_no_verdict", _key(e, pair), False, run_id=e.run_id, **labels)
        d.step(RERUN_STEP.format(run_id=e.run_id))
        return None
    d.trial(reason, _key(e, pair), False, **context(e, pair))
    step = EXTEND_STEP if pair.extend_by else EXTEND_STEP_UNKNOWN
    kind = KIND_LABELS.get(e.kind, e.kind)
    d.step(step.format(kind=kind, run_id=e.run_id, extend=pair.extend_by or 0, **labels))
    return None


def context(e: Evidence, pair: Comparison) -> dict[str, Any]:
    """The placeholders of a trial reason, formatted: run, model, metric, delta, interval."""
    low, high = pair.ci95
    extend = pair.extend_by
    return {
        "run_id": e.run_id,
        "model": model_phrase(e),
        "metric": pair.metric or e.metric,
        "delta": f"{pair.delta:+.2f}",
        "interval": f"{low:+.2f} to {high:+.2f}",
        "n": pair.n,
        "extend_text": EXTEND_BY.format(extend=extend) if extend else EXTEND_UNKNOWN,
        **_labels(pair),
    }


def model_phrase(e: Evidence) -> str:
    """'the packaged model (name)' or 'model name': which model the trial ran."""
    if not e.packaged:
        return OTHER_MODEL.format(model=e.model or "unknown")
    return PACKAGED_MODEL.format(model=e.model) if e.model else PACKAGED_MODEL_UNNAMED


def _labels(pair: Comparison) -> dict[str, str]:
    return {
        "a_label": TRIAL_LABELS.get(pair.a, pair.a),
        "b_label": TRIAL_LABELS.get(pair.b, pair.b),
    }


def _key(e: Evidence, pair: Comparison) -> tuple[str, str, str]:
    a, b = sorted((pair.a, pair.b))
    return e.run_id, a, b
