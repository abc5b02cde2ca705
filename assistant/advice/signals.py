"""What a profile says before any decision: retrieval signals and behaviour gaps.

Kept apart from the decision so the inputs to every rule can be tested on their own
(`signals(profile)` is a pure function of the profile and the weight table).
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.advice.profile import Profile
from assistant.advice.rules import BEHAVIOUR_GAPS, RETRIEVAL_WEIGHTS, THRESHOLDS


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


def retrieval_open(p: Profile, sig: Signals) -> bool:
    """Whether retrieval is a question at all, so a knowledge trial can inform it.

    Closed only when the answers rule it out: the gaps named are all behaviour gaps,
    there are no documents, and no retrieval signal holds (a style rewrite, say).
    """
    behaviour_only = bool(p.gaps) and "knowledge" not in p.gaps
    return not (behaviour_only and p.corpus_tokens == 0 and sig.retrieval_score <= 0)


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
