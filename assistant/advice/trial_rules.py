"""Rules on trial evidence: each kind of run answers only its own question, by verdict.

A knowledge run (prompt vs RAG vs LoRA on the team's documents) informs retrieval only;
a behaviour run (zero-shot / few-shot / retrieved shots / LoRA on input→output examples)
informs fine-tuning only. So a LoRA that failed to learn facts never vetoes fine-tuning
for a format or style gap. Every rule reads the pairs fixed for its question before the
run (`rules.RETRIEVAL_PAIR`, `rules.PROMPTING_BASELINES`), corrected together with Holm,
through the verdict rule (`eval.scoring.verdict`), never raw means:

- the costlier arm (RAG, LoRA) wins only on "better" against every cheaper arm read;
- the cheaper arm wins on "worse", on "equivalent" and when the costlier arm's advantage
  stays below the margin even at its interval's upper end (non-inferiority);
- anything else is inconclusive: it lowers the strength of the evidence and says how
  many held-out items would find a difference of the margin.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from assistant.advice.draft import NOTE, Draft
from assistant.advice.evidence import Evidence, latest
from assistant.advice.forgetting import Forgetting
from assistant.advice.profile import Profile
from assistant.advice.rules import (
    ACT_DROP,
    FACTS_PAIR,
    PROMPTING_BASELINES,
    RETRIEVAL_PAIR,
    STAND_IN_DECIDES,
)
from assistant.advice.signals import Signals, retrieval_open
from assistant.advice.trial_wording import (
    CLOSEST,
    CONFIRM_FLAGS,
    CONFIRM_STEP,
    EXTEND_BY,
    EXTEND_STEP,
    EXTEND_STEP_UNKNOWN,
    EXTEND_UNKNOWN,
    KIND_LABELS,
    OTHER_MODEL,
    PACKAGED_MODEL,
    PACKAGED_MODEL_UNNAMED,
    READING_EQUIVALENT,
    READING_NO_BETTER,
    READING_WORDS,
    RERUN_STEP,
    STATS,
    UNITS,
)
from eval.kinds import TRIAL_LABELS
from eval.scoring.comparison import Comparison, read_together, signed, span
from eval.scoring.verdict import no_better_than_margin

CHEAPER_WINS = ("worse", "equivalent", "no_better")


@dataclass(frozen=True)
class Read:
    """A decisive reading of `pair` (the costlier arm a against the cheaper arm b).

    `reading` is the pair's verdict, or "no_better" when only non-inferiority holds.
    """

    evidence: Evidence
    pair: Comparison
    reading: str

    @property
    def cheaper_wins(self) -> bool:
        return self.reading in CHEAPER_WINS

    @property
    def decides(self) -> bool:
        """May this reading choose the approach? Always on the team's own model; on the
        packaged stand-in only where the effect carries over (`rules.STAND_IN_DECIDES`)."""
        key = (self.pair.a, self.pair.b, self.reading)
        return not self.evidence.packaged or key in STAND_IN_DECIDES


def read_retrieval(p: Profile, sig: Signals, evidence: Sequence[Evidence], d: Draft) -> Read | None:
    """RAG vs prompting alone from the newest knowledge run; None unless it is decisive."""
    e = latest(evidence, "knowledge")
    if e is None:
        return None
    if not retrieval_open(p, sig):
        d.why("knowledge_trial_unused", on=NOTE, run_id=e.run_id, behaviour=sig.behaviour)
        return None
    pair = e.compared(*RETRIEVAL_PAIR)
    if pair is not None and pair.stored:
        [pair] = read_together([pair])
        if (reading := _reading(pair)) != "inconclusive":
            return Read(e, pair, reading)
    return _unsettled(e, pair, "rag_trial_inconclusive", d)


def cite_retrieval(read: Read, wanted: bool, d: Draft) -> None:
    """Quote the decisive RAG reading; the strength follows whether the final choice agrees."""
    if not read.decides:
        stand_in_only(read, (read.reading == "better") == wanted, d)
        return
    reason = {"better": "rag_trial_better", "worse": "rag_trial_worse"}.get(
        read.reading, "rag_trial_not_needed"
    )
    if read.evidence.packaged and reason == "rag_trial_better":
        reason = "rag_trial_better_stand_in"
        _confirm(read.evidence, d)
    d.trial(reason, _key(read.evidence, read.pair), True, **context(read.evidence, read.pair))
    d.adjust("trial_agrees" if (read.reading == "better") == wanted else "trial_disagrees")


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

    The baselines are corrected together (Holm). "worse" against either is decisive
    against fine-tuning (the clearest loss is quoted); "better" needs every baseline
    (the closest one, whose comparison decided last, is quoted); an equivalent or
    non-inferior baseline means prompting is enough. Anything else decides nothing.
    """
    e = latest(evidence, "behaviour")
    if e is None:
        return None
    if not sig.behaviour:
        d.why("behaviour_trial_unused", on=NOTE, run_id=e.run_id)
        return None
    found = [c for b in PROMPTING_BASELINES if (c := e.compared("lora", b)) is not None]
    if not found:
        return None
    if not all(c.stored for c in found):
        return _unsettled(e, found[0], "lora_trial_inconclusive", d)
    pairs = read_together(found)
    readings = [_reading(c) for c in pairs]
    if "worse" in readings:
        worse = [c for c, r in zip(pairs, readings, strict=True) if r == "worse"]
        return Read(e, min(worse, key=lambda c: c.p_holm), "worse")
    if all(r == "better" for r in readings):
        return Read(e, max(pairs, key=lambda c: (c.p_holm, -c.delta)), "better")
    cheaper = [(c, r) for c, r in zip(pairs, readings, strict=True) if r in CHEAPER_WINS]
    if cheaper:
        pair, reading = min(cheaper, key=lambda cr: (cr[1] != "equivalent", cr[0].ci95[1]))
        return Read(e, pair, reading)
    unsettled = min((c for c, r in zip(pairs, readings, strict=True) if r != "better"),
                    key=lambda c: c.delta)  # fmt: skip
    return _unsettled(e, unsettled, "lora_trial_inconclusive", d)


def stand_in_only(read: Read, agrees: bool, d: Draft) -> None:
    """A stand-in reading that may not choose the approach: quoted, weighed lightly, and a
    step to repeat the trial on the team's model."""
    e, pair = read.evidence, read.pair
    extra = context(e, pair) | {
        "kind_label": KIND_LABELS.get(e.kind, e.kind).capitalize(),
        "reading_word": READING_WORDS.get(read.reading, read.reading),
    }
    d.trial("stand_in_only_strength", _key(e, pair), None, **extra)
    d.adjust("stand_in_agrees" if agrees else "stand_in_disagrees")
    _confirm(e, d)


def _confirm(e: Evidence, d: Draft) -> None:
    kind = KIND_LABELS.get(e.kind, e.kind)
    d.step(CONFIRM_STEP.format(kind=kind, run_id=e.run_id, flag=CONFIRM_FLAGS.get(e.kind, "")))


def cite_finetune(read: Read, outcome: str, d: Draft) -> None:
    """Quote the decisive LoRA reading; `outcome` is chosen, vetoed or not_ready."""
    e, pair = read.evidence, read.pair
    if not read.decides:
        agrees = read.cheaper_wins == (outcome != "chosen")
        stand_in_only(read, agrees, d)
        return
    if read.reading == "worse":  # a prompting baseline beat the adapter
        d.trial("prompting_enough", _key(e, pair), True, **context(e, pair.flipped()))
        d.adjust("trial_agrees")
        return
    if read.cheaper_wins:  # the baseline is as good, within the margin
        d.trial("prompting_close_enough", _key(e, pair), True, **context(e, pair))
        d.adjust("trial_agrees")
        return
    settled = {"chosen": True, "vetoed": True}.get(outcome)
    closest = CLOSEST.format(family=pair.family) if pair.family > 1 else ""
    extra = context(e, pair) | {"forgetting": e.forgetting, "closest": closest}
    d.trial("lora_trial_better", _key(e, pair), settled, **extra)
    if outcome == "chosen":
        d.adjust("trial_agrees")
    elif outcome == "vetoed":
        d.adjust("trial_disagrees")


def cite_forgetting(evidence: Sequence[Evidence], d: Draft) -> Forgetting | None:
    """With a fine-tune chosen: an adapter (knowledge or behaviour run alike) whose probe
    drop exceeds ACT_DROP even at the low end of its interval lowers the strength of the
    evidence; returns that measurement (the largest drop) or None."""
    runs = [e for e in (latest(evidence, k) for k in KIND_LABELS) if e and e.probe]
    counted = [e for e in runs if e.probe.counts]
    if not counted:
        return None
    e = max(counted, key=lambda e: e.probe.drop)
    label = TRIAL_LABELS.get(e.probe.trial, e.probe.trial).removesuffix(" fine-tuning")
    d.why("forgetting_measured", on=NOTE, run_id=e.run_id, trial=label,
          numbers=e.probe.numbers(), act=f"{ACT_DROP:.2f}")  # fmt: skip
    d.adjust("forgetting_counts")
    return e.probe


def _reading(pair: Comparison) -> str:
    """The pair's verdict, or "no_better" when only non-inferiority of b holds."""
    if pair.verdict == "inconclusive" and no_better_than_margin(pair.ci95, pair.margin):
        return "no_better"
    return pair.verdict


def _unsettled(e: Evidence, pair: Comparison | None, reason: str, d: Draft) -> None:
    """Say why the pair decides nothing, lower the strength, add a step."""
    if pair is None:
        return None
    d.adjust("trial_inconclusive")
    labels = _labels(pair)
    if not pair.stored:
        d.trial("trial_no_verdict", _key(e, pair), False, run_id=e.run_id, **labels)
        d.step(RERUN_STEP.format(run_id=e.run_id))
        return None
    d.trial(reason, _key(e, pair), False, **context(e, pair))
    extend = pair.extend_by
    step = EXTEND_STEP if extend else EXTEND_STEP_UNKNOWN
    kind = KIND_LABELS.get(e.kind, e.kind)
    d.step(step.format(kind=kind, run_id=e.run_id, extend=span(*extend) if extend else "",
                       **labels))  # fmt: skip
    return None


def context(e: Evidence, pair: Comparison) -> dict[str, Any]:
    """The placeholders of a trial reason: run, model, metric, delta, interval, p, items."""
    low, high = pair.ci95
    interval = f"{signed(low)} to {signed(high)}"
    unit = UNITS.get(e.kind, "paired items")
    margin = f"{pair.margin:.2f}"
    reading = (READING_EQUIVALENT if pair.verdict == "equivalent" else READING_NO_BETTER).format(
        margin=margin, high=signed(high)
    )
    return {
        "run_id": e.run_id,
        "model": model_phrase(e),
        "metric": pair.metric or e.metric,
        "delta": signed(pair.delta),
        "stats": _stats(pair, interval, unit),
        "n": pair.n,
        "margin": margin,
        "reading": reading,
        "extend_text": _extend_text(pair),
        **_labels(pair),
    }


def _stats(pair: Comparison, interval: str, unit: str) -> str:
    """Interval, p and items; a pair that scored the same on every item says just that."""
    if pair.identical:
        return f"{pair.same_scores()}, {pair.n} {unit}"
    return STATS.format(interval=interval, p=pair.p_text(), n=pair.n, unit=unit)


def _extend_text(pair: Comparison) -> str:
    """How many items would find a difference of the margin, from the margin, never the gap."""
    extend = pair.extend_by
    if not extend or pair.power is None:
        return EXTEND_UNKNOWN
    needed = pair.items_range or (pair.items_needed, pair.items_needed)
    return EXTEND_BY.format(n=pair.n, margin=f"{pair.margin:.2f}", power=pair.power,
                            needed=span(*needed), extend=span(*extend))  # fmt: skip


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
    """(run, costlier arm, cheaper arm): the pair a decision read, named in its basis."""
    return e.run_id, pair.a, pair.b
