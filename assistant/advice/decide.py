"""The decision engine: a pure function from a Profile (+ trial evidence) to a cited Recommendation.

It walks the adaptation ladder the guidance describes: prompting first, retrieval for
knowledge gaps, fine-tuning (LoRA before full fine-tuning) only for behaviour gaps that
prompting did not close and only with enough expert-reviewed examples. Measurements
override these priors, because a number on the team's own data beats a rule of thumb:
the team's production scores (`assistant.advice.production`) and the verdicts of trial
runs (`assistant.advice.trial_rules`), each answering only its own question. Every
weight and threshold comes from `rules`, every sentence from `wording`, so this file
holds only the logic; the same inputs always give the same recommendation.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from assistant.advice import production, prompt_rung, trial_rules
from assistant.advice.caveats import PREREQUISITE_NOTES, PREREQUISITE_STATES
from assistant.advice.cited import Cited
from assistant.advice.draft import PRODUCTION, Draft
from assistant.advice.drill import cite_drill
from assistant.advice.evidence import Evidence, latest
from assistant.advice.labels import APPROACH_STEPS, PREREQUISITE_STEPS, examples_gap
from assistant.advice.profile import Profile
from assistant.advice.rules import (
    APPROACH_RISKS,
    FINETUNE_APPROACHES,
    PREREQUISITES,
    RISKS,
    THRESHOLDS,
)
from assistant.advice.signals import Signals, signals
from assistant.advice.strength import Strength, strength_of

__all__ = ["Recommendation", "Signals", "recommend", "signals"]

FRESH_CHANGES = ("monthly", "weekly", "daily")


@dataclass(frozen=True)
class Recommendation:
    approach: str
    strength: Strength  # of the evidence: weak / moderate / strong, with its inputs
    reasons: list[Cited]
    prerequisites: list[str]
    risks: list[str]
    next_steps: list[str]
    basis: str = ""  # one sentence: what the decision rests on (measured vs rules of thumb)
    risk_numbers: dict[str, str] = field(default_factory=dict)  # risk id → measured numbers
    # The prerequisites as said to the team, numbers filled in, each citing its heading.
    prerequisite_notes: list[Cited] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "approach": self.approach,
            "strength": self.strength.to_dict(),
            "basis": self.basis,
            "reasons": [r.to_dict() for r in self.reasons],
            "prerequisites": list(self.prerequisites),
            "prerequisite_notes": [n.to_dict() for n in self.prerequisite_notes],
            "risks": list(self.risks),
            "risk_numbers": dict(self.risk_numbers),
            "next_steps": list(self.next_steps),
        }


def recommend(
    profile: Profile,
    *,
    unknown: Iterable[str] = (),
    unasked: Iterable[str] = (),
    evidence: Sequence[Evidence] = (),
) -> Recommendation:
    """The recommended approach for a profile.

    `unknown` names fields the user skipped (each lowers the strength); `unasked` names
    fields whose question has not been asked yet: their defaults still decide, but no
    reason or prerequisite states them as the team's answer ("0 examples available"
    before the examples question). `evidence` holds trial runs (oldest first), kept
    apart from the profile's own production scores in `profile.measured`.
    """
    unasked = frozenset(unasked)
    d = Draft(profile, unasked=unasked)
    sig = signals(profile)
    approach = production.shortcut(profile, d)
    vetoed = approach is not None
    prompts = prompt_rung.read_prompts(sig, evidence)
    if approach is None:
        wants_rag = _wants_retrieval(profile, sig, evidence, d)
        ready = _finetune_ready(profile, sig, d, prompts)
        considered = sig.behaviour or "lora" in profile.measured  # was fine-tuning on the table?
        vetoes = production.vetoes(profile, d) if considered else production.Vetoes()
        read = trial_rules.read_finetune(sig, evidence, d)
        against = read is not None and read.cheaper_wins and read.decides
        vetoed = vetoes.all or against
        finetune = ready and not vetoed
        if read is not None:
            outcome = "chosen" if finetune else ("vetoed" if vetoes.all else "not_ready")
            trial_rules.cite_finetune(read, outcome, d)
        approach = _choose(profile, sig, d, wants_rag, finetune, vetoes)
        prompt_rung.weigh_prompts(prompts, approach, d)
    _finetune_cautions(profile, approach, d)
    knowledge = latest(evidence, "knowledge")
    if knowledge is not None:
        cite_drill(profile, evidence, d, trial_rules.model_phrase(knowledge))
    forgot = trial_rules.cite_forgetting(evidence, d) if approach in FINETUNE_APPROACHES else None
    prompt_known = profile.prompting_tried or prompt_rung.measured_on_team_model(prompts)
    prerequisites = _prerequisites(profile, sig, approach, vetoed, unasked, prompt_known)
    return Recommendation(
        approach=approach,
        strength=_strength(profile, d, list(unknown), prompt_known or prompts is not None),
        reasons=d.reasons,
        prerequisites=prerequisites,
        risks=_risks(profile, sig, approach) + (["measured_forgetting"] if forgot else []),
        next_steps=_next_steps(profile, approach, prerequisites, d),
        basis=d.basis(),
        risk_numbers={"measured_forgetting": forgot.numbers()} if forgot else {},
        prerequisite_notes=[
            prompt_rung.baseline_note(prompts, prerequisite_note(profile, pid))
            for pid in prerequisites
        ],
    )


def prerequisite_note(p: Profile, pid: str) -> Cited:
    """A prerequisite as said to this team: collect_examples names the bar and the gap."""
    note = PREREQUISITE_NOTES[pid]
    if pid != "collect_examples":
        return note
    return Cited(_examples_gap(p), note.source, note.heading)


def _examples_gap(p: Profile) -> str:
    return examples_gap(p.labeled_examples, p.examples_reviewed, THRESHOLDS["min_examples"])


def _wants_retrieval(p: Profile, sig: Signals, evidence: Sequence[Evidence], d: Draft) -> bool:
    """Retrieval signals from the weight table, overridden by production scores, then trials."""
    wanted = sig.retrieval_score >= THRESHOLDS["retrieval_score"]
    measured = production.retrieval(p, d)
    read = trial_rules.read_retrieval(p, sig, evidence, d)
    if measured is not None:
        wanted = measured
    elif read is not None and read.reading == "better":
        wanted = True
    elif read is not None and read.decides and "knowledge" not in p.gaps:
        wanted = False  # RAG lost on facts nobody said were missing
    if read is not None:
        trial_rules.cite_retrieval(read, wanted, d)
    if not wanted:
        if "knowledge" in p.gaps and "fits_in_prompt" in sig.retrieval_hits:
            d.why("fits_in_prompt")
        return False
    for hit, reason in (
        ("knowledge_gap", "knowledge_gap"),
        ("knowledge_gap", "facts_not_trained"),
        ("changes_daily", "frequent_change"),
        ("changes_weekly", "frequent_change"),
        ("large_corpus", "large_corpus"),
        ("many_sources", "many_sources"),
        ("needs_citations", "citations"),
    ):
        if hit in sig.retrieval_hits:
            d.why(reason)
    trial_rules.cite_facts(p, evidence, d)
    if sig.tight_latency:
        d.why("tight_latency_rag")
        d.adjust("conflict")
    if sig.retrieval_score >= 2 * THRESHOLDS["retrieval_score"]:
        d.adjust("strong_signals")
    return True


def _finetune_ready(
    p: Profile, sig: Signals, d: Draft, prompts: prompt_rung.PromptRead | None
) -> bool:
    """Behaviour gap + measured prompt + 500 reviewed examples; otherwise say what's missing.

    A behaviour run that measured prompts is quoted instead of "not attacked with a
    measured prompt yet", which it contradicts.
    """
    if not sig.behaviour:
        return False
    if prompts is not None:
        prompt_rung.cite_prompts(prompts, sig, d)
    elif not p.prompting_tried:
        d.why("behaviour_prompt_first", behaviour=sig.behaviour)
    if p.labeled_examples < THRESHOLDS["min_examples"]:
        d.why("too_few_examples")
    if p.labeled_examples > 0 and not p.examples_reviewed:
        d.why("unreviewed_examples")
    return p.prompting_tried and sig.examples_ok


def _choose(
    p: Profile, sig: Signals, d: Draft, wants_rag: bool, finetune: bool, vetoes: production.Vetoes
) -> str:
    if finetune:
        for gap in sig.behaviour:
            d.why(f"gap_{gap}")
        if vetoes.lora_wins:
            d.why("lora_wins", on=PRODUCTION)
            d.adjust("measured_agrees")
        if wants_rag:
            d.why("hybrid")
            d.why("hybrid_order")
            return "rag+lora"
        if len(sig.behaviour) >= 2:
            d.adjust("strong_signals")
        if production.full_finetune_justified(p):
            d.why("full_finetune", on=PRODUCTION)
            return "full-finetune"
        d.why("lora_default")
        return "lora"
    if wants_rag:
        return "rag"
    d.why("prompt_first")
    m, target = p.measured, p.measured.get("target")
    if not p.gaps and target is not None and ("prompt" in m or "rag" in m):
        d.why("unknown_gap_kind", on=PRODUCTION)
    elif not p.gaps:
        d.why("no_gap_known")
    return "prompt"


def _finetune_cautions(p: Profile, approach: str, d: Draft) -> None:
    """Costs and constraints that do not block fine-tuning but lower the strength."""
    if approach not in FINETUNE_APPROACHES:
        return
    t, weeks = THRESHOLDS, p.timeline_weeks
    cautions = {  # (reason id, strength input): condition
        ("thin_examples", "thin_examples"): p.labeled_examples < t["lora_comfortable_examples"],
        ("low_budget", "low_budget_finetune"): p.budget == "low",
        ("short_timeline", "short_timeline_finetune"): weeks is not None
        and weeks < t["short_timeline_weeks"],
        ("no_gpu", "no_gpu_finetune"): p.gpu == "none",
    }
    for (reason, key), holds in cautions.items():
        if holds:
            d.why(reason)
            d.adjust(key)


def _prerequisites(
    p: Profile, sig: Signals, approach: str, vetoed: bool, unasked: frozenset[str],
    prompt_known: bool,
) -> list[str]:  # fmt: skip
    """Exact ids in a fixed order; collect_examples only when fine-tuning is still open.

    None rests on an unasked field: "build an eval set" before we asked whether one exists
    would answer the question for the user.
    """
    wanted = {
        "build_eval_set": not p.has_eval_set,
        "measure_prompt_baseline": not prompt_known,
        "collect_examples": bool(sig.behaviour)
        and not sig.examples_ok
        and not vetoed
        and approach not in FINETUNE_APPROACHES,
    }
    held_back = {pid for pid, fields in PREREQUISITE_STATES.items() if unasked.intersection(fields)}
    return [pid for pid in PREREQUISITES if wanted[pid] and pid not in held_back]


def _risks(p: Profile, sig: Signals, approach: str) -> list[str]:
    risks = set(APPROACH_RISKS[approach])
    uses_rag = approach in ("rag", "rag+lora")
    if (sig.tight_latency and uses_rag) or (
        "latency" in sig.behaviour and approach in ("prompt", "rag")
    ):
        risks.add("latency")
    has_knowledge = "knowledge" in p.gaps or p.corpus_tokens > 0
    trained_in = approach in ("lora", "full-finetune") and has_knowledge
    if trained_in and p.knowledge_change in FRESH_CHANGES:
        risks.add("stale_knowledge")
    return [r for r in RISKS if r in risks]


def _strength(p: Profile, d: Draft, unknown: list[str], prompt_measured: bool) -> Strength:
    """The strength of the evidence from the inputs collected and the profile's gaps."""
    inputs = list(d.adjustments)
    inputs += [key for key, holds in (
        ("prompt_not_measured", not prompt_measured),
        ("no_eval_set", not p.has_eval_set),
        ("no_gaps_known", not p.gaps and not p.measured),
    ) if holds]  # fmt: skip
    return strength_of(inputs, skipped=len(set(unknown)))


def _next_steps(p: Profile, approach: str, prerequisites: list[str], d: Draft) -> list[str]:
    gap = _examples_gap(p)
    steps = [PREREQUISITE_STEPS[pid].format(examples_gap=gap) for pid in prerequisites] + d.steps
    if "fits_in_prompt" in d.ids:
        steps.append("Put your reference material in the prompt and check answers against it.")
    steps.extend(APPROACH_STEPS[approach])
    return steps
