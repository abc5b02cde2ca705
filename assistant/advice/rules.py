"""Every weight and threshold the decision engine uses, in one place (words: wording.py).

Why one table: the advice must be auditable. A reviewer should be able to read this
file top to bottom, see each number and sentence next to the guidance note it comes
from (`knowledge/guidance/<file>.md`, an exact `##` heading), and change a threshold
without touching the logic in `assistant/advice/decide.py`. Tests check that every cited
heading really exists, so a renamed heading breaks the build, not the advice.
"""

from __future__ import annotations

from eval.kinds import DECISION_PAIRS

APPROACHES = ("prompt", "rag", "lora", "rag+lora", "full-finetune")
FINETUNE_APPROACHES = ("lora", "rag+lora", "full-finetune")
PREREQUISITES = ("build_eval_set", "measure_prompt_baseline", "collect_examples")
RISKS = (
    "catastrophic_forgetting",
    "maintenance_burden",
    "data_curation_cost",
    "retrieval_quality",
    "latency",
    "stale_knowledge",
    "measured_forgetting",  # a trial's adapter lost clearly more than ACT_DROP on the probe
)
# Gaps about how the model answers (fine-tuning can help) vs what it knows (it cannot).
BEHAVIOUR_GAPS = ("format", "style", "terminology", "latency", "reasoning")

# --- Thresholds -----------------------------------------------------------------------
THRESHOLDS = {
    "min_examples": 500,  # the article's bar for fine-tuning: 500+ expert-reviewed examples
    "lora_comfortable_examples": 1000,  # LoRA is weakest below ~1K examples
    "full_finetune_examples": 5000,  # "many thousands" of reviewed examples
    "narrow_gap": 0.05,  # best of prompt/RAG this close to target: fine-tuning won't pay
    "tight_latency_ms": 100,  # retrieval struggles to fit a budget under ~100 ms
    "fits_in_prompt_tokens": 30_000,  # small stable knowledge can simply go in the prompt
    "medium_corpus_tokens": 100_000,  # no longer comfortable to send with every request
    "large_corpus_tokens": 1_000_000,  # "too numerous for training"
    "many_sources": 3,
    "retrieval_score": 3,  # retrieval signals must add up to this to recommend RAG
    "short_timeline_weeks": 8,  # fine-tuning takes 2-3 months
}
# Drops (0.03 = 3 points on a 0..1 score) below the deployed score: investigate, then act.
# A trial's forgetting drop counts against an adapter when even its interval's low end
# exceeds ACT_DROP.
INVESTIGATE_DROP = 0.03
ACT_DROP = 0.05

# --- Trial evidence: which pair of trials answers which question ------------------------
# A knowledge run informs retrieval only, a behaviour run fine-tuning only; a pair is
# read through its paired verdict (better / worse / equivalent / inconclusive), never its
# raw means. The pairs are fixed before any run (`eval.kinds.DECISION_PAIRS`), so the
# run's Holm correction and the advice count the same family.
RETRIEVAL_PAIR = DECISION_PAIRS["knowledge"][0]  # does retrieval beat prompting on your facts?
FACTS_PAIR = ("lora", "rag")  # an adapter that recalls facts worse than RAG: facts go to RAG
# What a LoRA must beat on behaviour: each cheaper baseline, corrected together.
PROMPTING_BASELINES = tuple(b for _, b in DECISION_PAIRS["behaviour"])

# --- Retrieval signals: weight added when the condition holds ---------------------------
# Any single strong signal (weight >= 3) is enough on its own; weak ones must combine.
RETRIEVAL_WEIGHTS = {
    "knowledge_gap": 4,  # the gap is factual: a retrieval problem
    "needs_citations": 3,  # source attribution is built into RAG
    "many_sources": 3,  # >= many_sources distinct sources
    "two_sources": 1,
    "changes_daily": 3,
    "changes_weekly": 2,
    "changes_monthly": 1,
    "large_corpus": 3,  # > large_corpus_tokens
    "medium_corpus": 2,  # > medium_corpus_tokens
    "qa_use_case": 1,  # document Q&A and support usually need facts
    "fits_in_prompt": -3,  # 0 < tokens <= fits_in_prompt_tokens, static or yearly, one source
    "tight_latency": -1,  # latency budget under tight_latency_ms
}

# --- Strength of evidence: start at "base", add each input that applies, clamp -----------
# A heuristic sum that orders recommendations, not a probability: it is shown only as
# weak / moderate / strong (cut points in STRENGTH_LEVELS) with the inputs that moved it.
STRENGTH = {
    "base": 0.6,
    "measured_agrees": 0.2,  # one of your production scores supports the chosen approach
    "measured_disagrees": -0.15,  # a production score points elsewhere but the priors won
    "strong_signals": 0.1,  # retrieval score >= 2 x threshold, or several behaviour gaps
    "prompt_not_measured": -0.1,
    "prompt_measured_stand_in": -0.05,  # prompts measured by a trial, but on the stand-in only
    "no_eval_set": -0.05,
    "no_gaps_known": -0.1,
    "unknown_field": -0.04,  # per skipped interview answer ...
    "unknown_field_cap": -0.2,  # ... but never more than this in total
    "trial_agrees": 0.1,  # a trial verdict supports the choice (a small model: weaker evidence)
    "trial_disagrees": -0.1,  # a trial verdict points elsewhere but the priors won
    "trial_inconclusive": -0.1,  # a trial could not tell the approaches apart (yet)
    "stand_in_agrees": 0.05,  # a stand-in trial's verdict that cannot decide, but agrees
    "stand_in_disagrees": -0.05,  # ... or points elsewhere
    "forgetting_counts": -0.15,  # the adapter's probe drop exceeds ACT_DROP even at its low end
    "conflict": -0.1,  # e.g. retrieval needed under a tight latency budget
    "thin_examples": -0.1,  # 500-999 examples: LoRA is at its weakest
    "low_budget_finetune": -0.1,
    "short_timeline_finetune": -0.1,
    "no_gpu_finetune": -0.05,
    "min": 0.05,
    "max": 0.95,
}
STRENGTH_LEVELS = ((0.75, "strong"), (0.5, "moderate"), (0.0, "weak"))  # first cut reached


# Risks that come with an approach regardless of the profile.
APPROACH_RISKS: dict[str, tuple[str, ...]] = {
    "prompt": (),
    "rag": ("retrieval_quality",),
    "lora": ("catastrophic_forgetting", "maintenance_burden", "data_curation_cost"),
    "rag+lora": (
        "catastrophic_forgetting",
        "maintenance_burden",
        "data_curation_cost",
        "retrieval_quality",
    ),
    "full-finetune": ("catastrophic_forgetting", "maintenance_burden", "data_curation_cost"),
}


# Which stand-in verdicts may decide the approach (the packaged 135M model, not the
# team's). Only RAG beating prompting on the team's own documents: the facts are private,
# absent from any base model's weights, so retrieval delivering them to a small reader
# delivers them to a large one. A small reader failing with the passage in front of it,
# and any LoRA-vs-prompting verdict (in-context learning grows with model size), only
# change the strength of the evidence until the team's model confirms them.
# (knowledge/guidance/evaluation.md, "Trials on a small stand-in model: what carries over")
STAND_IN_DECIDES = frozenset({("rag", "prompt", "better")})
