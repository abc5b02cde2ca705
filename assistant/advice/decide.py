"""The decision engine: a pure function from a Profile to a cited Recommendation.

It walks the adaptation ladder the guidance describes: prompting first, retrieval for
knowledge gaps, fine-tuning (LoRA before full fine-tuning) only for behaviour gaps that
prompting did not close and only with enough expert-reviewed examples. Measured trial
scores override these priors, because a number on the team's own data beats a rule of
thumb. Every weight, threshold and sentence comes from `assistant.advice.rules`, so this file
holds only the logic; the same profile always gives the same recommendation.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from assistant.advice.profile import Profile
from assistant.advice.rules import (
    APPROACH_RISKS,
    BEHAVIOUR_GAPS,
    CONFIDENCE,
    FINETUNE_APPROACHES,
    PREREQUISITES,
    RETRIEVAL_WEIGHTS,
    RISKS,
    THRESHOLDS,
)
from assistant.advice.wording import APPROACH_STEPS, PREREQUISITE_STEPS, REASONS, Cited

FRESH_CHANGES = ("monthly", "weekly", "daily")


@dataclass(frozen=True)
class Recommendation:
    approach: str
    confidence: float
    reasons: list[Cited]
    prerequisites: list[str]
    risks: list[str]
    next_steps: list[str]

    def to_dict(self) -> dict[str, Any]:
        return {
            "approach": self.approach,
            "confidence": self.confidence,
            "reasons": [r.to_dict() for r in self.reasons],
            "prerequisites": list(self.prerequisites),
            "risks": list(self.risks),
            "next_steps": list(self.next_steps),
        }


@dataclass(frozen=True)
class Signals:
    """What the profile says before any decision: inputs to the rules, easy to test."""

    retrieval_score: int
    retrieval_hits: tuple[str, ...]
    behaviour: tuple[str, ...]  # behaviour gaps, plus "latency" when the budget is tight
    tight_latency: bool
    examples_ok: bool


def signals(p: Profile) -> Signals:
    """Score the retrieval signals with RETRIEVAL_WEIGHTS and list the behaviour gaps."""
    tight = p.latency_budget_ms is not None and p.latency_budget_ms < THRESHOLDS["tight_latency_ms"]
    hits = [name for name, holds in _retrieval_conditions(p, tight).items() if holds]
    behaviour = [g for g in BEHAVIOUR_GAPS if g in p.gaps or (g == "latency" and tight)]
    examples_ok = p.labeled_examples >= THRESHOLDS["min_examples"] and p.examples_reviewed
    return Signals(
        retrieval_score=sum(RETRIEVAL_WEIGHTS[h] for h in hits),
        retrieval_hits=tuple(hits),
        behaviour=tuple(behaviour),
        tight_latency=tight,
        examples_ok=examples_ok,
    )


def _retrieval_conditions(p: Profile, tight: bool) -> dict[str, bool]:
    t = THRESHOLDS
    tokens = p.corpus_tokens
    return {
        "knowledge_gap": "knowledge" in p.gaps,
        "needs_citations": p.needs_citations,
        "many_sources": p.source_count >= t["many_sources"],
        "two_sources": p.source_count == 2,
        "changes_daily": p.knowledge_change == "daily",
        "changes_weekly": p.knowledge_change == "weekly",
        "changes_monthly": p.knowledge_change == "monthly",
        "large_corpus": tokens > t["large_corpus_tokens"],
        "medium_corpus": t["medium_corpus_tokens"] < tokens <= t["large_corpus_tokens"],
        "qa_use_case": p.use_case in ("document_qa", "customer_support"),
        "fits_in_prompt": 0 < tokens <= t["fits_in_prompt_tokens"]
        and p.knowledge_change in ("static", "yearly")
        and p.source_count <= 1,
        "tight_latency": tight,
    }


@dataclass
class _Draft:
    """Reasons and confidence adjustments collected while deciding (local to one call)."""

    profile: Profile
    reasons: list[Cited] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    adjustments: dict[str, float] = field(default_factory=dict)

    def why(self, reason_id: str, **extra: Any) -> None:
        """Add a reason once, its text filled from the profile, thresholds and scores."""
        if reason_id in self.ids:
            return
        rule = REASONS[reason_id]
        context = {**self.profile.to_dict(), **THRESHOLDS, **self.profile.measured, **extra}
        context["behaviour"] = ", ".join(extra.get("behaviour", ()))
        self.ids.append(reason_id)
        self.reasons.append(Cited(rule.text.format(**context), rule.source, rule.heading))

    def adjust(self, key: str) -> None:
        self.adjustments[key] = CONFIDENCE[key]


def recommend(profile: Profile, *, unknown: Iterable[str] = ()) -> Recommendation:
    """The recommended approach for a profile; `unknown` names fields the user skipped."""
    draft = _Draft(profile)
    sig = signals(profile)
    approach = _measured_shortcut(profile, draft)
    vetoed = approach is not None
    if approach is None:
        wants_rag = _wants_retrieval(profile, sig, draft)
        ready = _finetune_ready(profile, sig, draft)
        considered = sig.behaviour or "lora" in profile.measured  # was fine-tuning on the table?
        vetoes = _measured_vetoes(profile, draft) if considered else _Vetoes()
        vetoed = vetoes.all
        approach = _choose(profile, sig, draft, wants_rag, ready and not vetoes.all, vetoes)
    _finetune_cautions(profile, approach, draft)
    prerequisites = _prerequisites(profile, sig, approach, vetoed)
    return Recommendation(
        approach=approach,
        confidence=_confidence(profile, draft, list(unknown)),
        reasons=draft.reasons,
        prerequisites=prerequisites,
        risks=_risks(profile, sig, approach),
        next_steps=_next_steps(approach, prerequisites, draft),
    )


def _measured_shortcut(p: Profile, d: _Draft) -> str | None:
    """A measured baseline that already meets the target ends the climb."""
    m, target = p.measured, p.measured.get("target")
    if target is None:
        return None
    if m.get("prompt", -1.0) >= target:
        d.why("prompt_meets_target")
        d.adjust("measured_agrees")
        return "prompt"
    if m.get("rag", -1.0) >= target:
        d.why("rag_meets_target")
        d.adjust("measured_agrees")
        return "rag"
    return None


def _wants_retrieval(p: Profile, sig: Signals, d: _Draft) -> bool:
    """Retrieval signals from the weight table, overridden by a measured RAG-vs-prompt gap."""
    wanted = sig.retrieval_score >= THRESHOLDS["retrieval_score"]
    m = p.measured
    if "rag" in m and "prompt" in m:
        if m["rag"] > m["prompt"] + THRESHOLDS["narrow_gap"]:
            d.why("rag_measured_better")
            d.adjust("measured_agrees")
            wanted = True
        elif m["rag"] <= m["prompt"]:
            d.why("rag_not_better")
            if "knowledge" in p.gaps:
                d.adjust("measured_disagrees")  # the gap is factual, so keep retrieval
            else:
                wanted = False
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
    if sig.tight_latency:
        d.why("tight_latency_rag")
        d.adjust("conflict")
    if sig.retrieval_score >= 2 * THRESHOLDS["retrieval_score"]:
        d.adjust("strong_signals")
    return True


def _finetune_ready(p: Profile, sig: Signals, d: _Draft) -> bool:
    """Behaviour gap + measured prompt + 500 reviewed examples; otherwise say what's missing."""
    if not sig.behaviour:
        return False
    if not p.prompting_tried:
        d.why("behaviour_prompt_first", behaviour=sig.behaviour)
    if p.labeled_examples < THRESHOLDS["min_examples"]:
        d.why("too_few_examples")
    if p.labeled_examples > 0 and not p.examples_reviewed:
        d.why("unreviewed_examples")
    return p.prompting_tried and sig.examples_ok


@dataclass(frozen=True)
class _Vetoes:
    """What trial scores say about fine-tuning: ruled out, or shown to win."""

    all: bool = False
    lora_wins: bool = False


def _measured_vetoes(p: Profile, d: _Draft) -> _Vetoes:
    """A narrow gap to target, or a LoRA trial that lost to a cheaper baseline, rule it out.

    A hybrid is ruled out too when LoRA lost: the trial is the only evidence about
    fine-tuning we have, and it says the cheaper system is at least as good.
    """
    m, target = p.measured, p.measured.get("target")
    baselines = {k: m[k] for k in ("prompt", "rag") if k in m}
    if not baselines:
        return _Vetoes()
    vetoed = False
    if target is not None and target - max(baselines.values()) <= THRESHOLDS["narrow_gap"]:
        d.why("narrow_gap", best=max(baselines.values()))
        vetoed = True
    if "lora" in m:
        name = "rag" if "rag" in baselines else "prompt"
        if m["lora"] <= baselines[name]:
            label = "RAG" if name == "rag" else "prompt-only"
            d.why("lora_loses", baseline=label, base=baselines[name])
            if "knowledge" in p.gaps:
                d.why("research_knowledge")
            vetoed = True
    if vetoed:
        d.adjust("measured_agrees")
        return _Vetoes(all=True)
    return _Vetoes(lora_wins="lora" in m and m["lora"] > max(baselines.values()))


def _choose(
    p: Profile, sig: Signals, d: _Draft, wants_rag: bool, finetune: bool, vetoes: _Vetoes
) -> str:
    if finetune:
        for gap in sig.behaviour:
            d.why(f"gap_{gap}")
        if vetoes.lora_wins:
            d.why("lora_wins")
            d.adjust("measured_agrees")
        if wants_rag:
            d.why("hybrid")
            d.why("hybrid_order")
            return "rag+lora"
        if len(sig.behaviour) >= 2:
            d.adjust("strong_signals")
        if _full_finetune_justified(p):
            d.why("full_finetune")
            return "full-finetune"
        d.why("lora_default")
        return "lora"
    if wants_rag:
        return "rag"
    d.why("prompt_first")
    m, target = p.measured, p.measured.get("target")
    if not p.gaps and target is not None and ("prompt" in m or "rag" in m):
        d.why("unknown_gap_kind")
    elif not p.gaps:
        d.why("no_gap_known")
    return "prompt"


def _full_finetune_justified(p: Profile) -> bool:
    """The rare case: a reasoning gap where measured LoRA plateaued, with the means to go on."""
    m, target = p.measured, p.measured.get("target")
    return (
        "reasoning" in p.gaps
        and p.gpu == "multi"
        and p.budget == "high"
        and p.labeled_examples >= THRESHOLDS["full_finetune_examples"]
        and "lora" in m
        and target is not None
        and m["lora"] < target - THRESHOLDS["narrow_gap"]
    )


def _finetune_cautions(p: Profile, approach: str, d: _Draft) -> None:
    """Costs and constraints that do not block fine-tuning but lower confidence."""
    if approach not in FINETUNE_APPROACHES:
        return
    t, weeks = THRESHOLDS, p.timeline_weeks
    cautions = {  # (reason id, confidence key): condition
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


def _prerequisites(p: Profile, sig: Signals, approach: str, vetoed: bool) -> list[str]:
    """Exact ids in a fixed order; collect_examples only when fine-tuning is still open."""
    wanted = {
        "build_eval_set": not p.has_eval_set,
        "measure_prompt_baseline": not p.prompting_tried,
        "collect_examples": bool(sig.behaviour)
        and not sig.examples_ok
        and not vetoed
        and approach not in FINETUNE_APPROACHES,
    }
    return [pid for pid in PREREQUISITES if wanted[pid]]


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


def _confidence(p: Profile, d: _Draft, unknown: list[str]) -> float:
    """Base confidence plus the adjustments that applied, clamped to [min, max]."""
    c = CONFIDENCE
    total = c["base"] + sum(d.adjustments.values())
    if not p.prompting_tried:
        total += c["prompt_not_measured"]
    if not p.has_eval_set:
        total += c["no_eval_set"]
    if not p.gaps and not p.measured:
        total += c["no_gaps_known"]
    total += max(c["unknown_field_cap"], c["unknown_field"] * len(set(unknown)))
    return round(min(c["max"], max(c["min"], total)), 2)


def _next_steps(approach: str, prerequisites: list[str], d: _Draft) -> list[str]:
    steps = [PREREQUISITE_STEPS[pid] for pid in prerequisites]
    if "fits_in_prompt" in d.ids:
        steps.append("Put your reference material in the prompt and check answers against it.")
    steps.extend(APPROACH_STEPS[approach])
    return steps
