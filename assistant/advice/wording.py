"""The cited sentences of the advice: reasons, prerequisites and risks.

Split from `assistant.advice.rules` so that file holds the numbers (weights, thresholds) and
this one the words; sentences about trial evidence live in `trial_wording`, labels and
steps in `labels`. Each entry names a guidance file and an exact `##` heading; tests
check the heading exists, so a renamed heading breaks the build, not the advice.
Reasons that quote `measured` say "your production scores": those are numbers the team
entered, never trial results on the packaged model.
"""

from __future__ import annotations

from assistant.advice.cited import (
    COSTS,
    EVAL,
    FT,
    HYBRID,
    LADDER,
    LORA,
    RAG,
    RESEARCH,
    Cited,
)
from assistant.advice.cited import cite as _c
from assistant.advice.trial_wording import TRIAL_REASONS

# --- Reasons: id -> text (may use {placeholders} filled by decide.py) + citation ----------
_RULE_REASONS: dict[str, Cited] = {
    "prompt_first": _c(
        "Start with prompt engineering: it costs a day or two, needs no infrastructure and "
        "gives the baseline every later step must beat.",
        LADDER,
        "First rung: prompt engineering and a measured baseline",
    ),
    "no_gap_known": _c(
        "No specific gap is known yet, so there is nothing to escalate for: climb the ladder "
        "only when a measured gap remains.",
        LADDER,
        "Knowing when to stop climbing the ladder",
    ),
    "unknown_gap_kind": _c(
        "Scores are below target but the kind of error is unknown: check whether failures are "
        "missing facts (retrieval) or the shape of answers (behaviour) before escalating.",
        LADDER,
        "Fine-tuning changes how a model answers; retrieval changes what it knows",
    ),
    "knowledge_gap": _c(
        "The model lacks facts; missing facts are fixed by retrieving them at answer time.",
        LADDER,
        "Second rung: add retrieval when a knowledge gap remains",
    ),
    "facts_not_trained": _c(
        "Fine-tuning does not reliably teach facts, and facts in weights go stale until the "
        "next training run.",
        FT,
        "Fine-tuning is unreliable for adding facts",
    ),
    "research_knowledge": _c(
        "Published comparisons found retrieval clearly beat fine-tuning for injecting new "
        "knowledge.",
        RESEARCH,
        "Ovadia et al. 2023: retrieval beat fine-tuning for knowledge injection",
    ),
    "frequent_change": _c(
        "The knowledge changes {knowledge_change}: re-indexing takes minutes, retraining takes "
        "days or weeks.",
        RAG,
        "Frequently changing knowledge and fast re-indexing",
    ),
    "large_corpus": _c(
        "About {corpus_tokens:,} tokens of knowledge is too much to send with every request or "
        "to turn into training data; an index holds all of it.",
        RAG,
        "Document collections too large to train on",
    ),
    "many_sources": _c(
        "{source_count} separate sources can be indexed side by side and refreshed on their "
        "own schedules.",
        RAG,
        "Unifying several knowledge sources behind one assistant",
    ),
    "citations": _c(
        "Answers must cite their source: retrieval shows the passage behind each answer, "
        "fine-tuned weights cannot.",
        RAG,
        "Source attribution and audit trails with RAG",
    ),
    "fits_in_prompt": _c(
        "The knowledge is small ({corpus_tokens:,} tokens) and stable, so it can go straight "
        "into the prompt of a long-context model instead of a retrieval pipeline.",
        LADDER,
        "How large context windows reduce the need to fine-tune",
    ),
    "gap_format": _c(
        "A strict output format that prompting did not enforce is a classic reason to fine-tune.",
        FT,
        "Enforcing a highly consistent output format",
    ),
    "gap_style": _c(
        "Tone and house style are patterns across many examples, which weight updates learn well.",
        FT,
        "Changing behavior and tone rather than knowledge",
    ),
    "gap_terminology": _c(
        "Systematic terminology errors that survive prompting can be trained away with "
        "expert-written examples.",
        FT,
        "Fixing systematic domain terminology errors",
    ),
    "gap_latency": _c(
        "A tight latency or cost target favours a smaller specialised model with a short prompt.",
        FT,
        "Meeting latency targets with a smaller specialized model",
    ),
    "gap_reasoning": _c(
        "Domain reasoning gaps start with LoRA; full fine-tuning is for the rare case where "
        "benchmarks show LoRA has reached its limit.",
        FT,
        "Choosing between LoRA and full fine-tuning",
    ),
    "behaviour_prompt_first": _c(
        "The behaviour gap ({behaviour}) has not been attacked with a measured prompt yet; "
        "instructions, examples and an output template often close it.",
        LADDER,
        "Third rung: fine-tune only for a measured behavior gap",
    ),
    "too_few_examples": _c(
        "Fine-tuning needs at least {min_examples} expert-curated examples; {labeled_examples} "
        "are available.",
        FT,
        "Training data for fine-tuning: 500 or more expert-curated examples",
    ),
    "unreviewed_examples": _c(
        "The examples have not been reviewed by domain experts; a model learns their errors "
        "and repeats them confidently.",
        FT,
        "Why fine-tuning data quality outweighs quantity",
    ),
    "thin_examples": _c(
        "With fewer than {lora_comfortable_examples} examples LoRA is at its weakest: verify "
        "each run carefully on the held-out set.",
        LORA,
        "When LoRA is not enough or not appropriate",
    ),
    "lora_default": _c(
        "LoRA reaches near full fine-tuning accuracy at a fraction of the cost and risk; start "
        "there.",
        LORA,
        "Avoid starting with full fine-tuning of a frontier model",
    ),
    "full_finetune": _c(
        "Your production scores put LoRA at {lora:.2f} against a target of {target:.2f} on a "
        "reasoning gap, with multi-GPU hardware, a high budget and {labeled_examples} reviewed "
        "examples: testing full fine-tuning is justified.",
        LORA,
        "When LoRA is not enough or not appropriate",
    ),
    "hybrid": _c(
        "Both a knowledge gap and a behaviour gap exist: retrieval supplies the facts, a LoRA "
        "adapter the behaviour.",
        HYBRID,
        "When a hybrid of RAG and fine-tuning is justified",
    ),
    "hybrid_order": _c(
        "Build and measure RAG first; train the adapter only on what retrieval leaves.",
        HYBRID,
        "Order of work: build RAG first, then train an adapter",
    ),
    "prompt_meets_target": _c(
        "Your production prompt score {prompt:.2f} already meets the target {target:.2f}: "
        "stop here.",
        LADDER,
        "Knowing when to stop climbing the ladder",
    ),
    "rag_meets_target": _c(
        "Your production RAG score {rag:.2f} already meets the target {target:.2f}: no need to "
        "fine-tune.",
        LADDER,
        "Knowing when to stop climbing the ladder",
    ),
    "narrow_gap": _c(
        "The best of your production scores ({best:.2f}) is within {narrow_gap:.2f} of the target "
        "({target:.2f}); closing that gap will not repay months of fine-tuning.",
        EVAL,
        "Baselines to record: prompting alone and RAG plus prompting",
    ),
    "lora_loses": _c(
        "In your production scores LoRA ({lora:.2f}) did not beat the {baseline} baseline "
        "({base:.2f}); a fine-tune must beat the cheaper baseline to be worth owning.",
        EVAL,
        "Regression testing every training run",
    ),
    "lora_wins": _c(
        "In your production scores LoRA ({lora:.2f}) beats the prompt and RAG baselines.",
        EVAL,
        "Regression testing every training run",
    ),
    "rag_measured_better": _c(
        "Your production scores put retrieval at {rag:.2f} against {prompt:.2f} for prompting "
        "alone.",
        LADDER,
        "Second rung: add retrieval when a knowledge gap remains",
    ),
    "rag_not_better": _c(
        "In your production scores retrieval ({rag:.2f}) did not beat prompting ({prompt:.2f}); "
        "many such cases are retrieval misses that chunking or reranking fix.",
        RAG,
        "Limits of RAG: retrieval quality",
    ),
    "tight_latency_rag": _c(
        "A {latency_budget_ms} ms budget is tight for retrieval, which adds a search and a "
        "longer prompt to every request.",
        RAG,
        "Limits of RAG: pipeline complexity and latency below 100 ms",
    ),
    "no_eval_set": _c(
        "There is no held-out evaluation set yet, so no step can be shown to help.",
        EVAL,
        "Build the evaluation set before any training",
    ),
    "low_budget": _c(
        "Fine-tuning costs many multiples of RAG, mostly in expert data work; a low budget "
        "leaves little room for iterations.",
        COSTS,
        "Fine-tuning timeline and total cost",
    ),
    "short_timeline": _c(
        "A fine-tuning project typically takes two to three months; {timeline_weeks} weeks is "
        "tight.",
        COSTS,
        "Fine-tuning timeline and total cost",
    ),
    "no_gpu": _c(
        "No GPU is available: QLoRA on one rented GPU keeps each training run cheap.",
        LORA,
        "QLoRA: LoRA on a 4-bit quantized base model",
    ),
}

REASONS: dict[str, Cited] = {**_RULE_REASONS, **TRIAL_REASONS}

# The profile answers each sentence states as the team's. Mid-interview a field not yet
# asked still holds its default (0 examples, no GPU), and a sentence built on it would
# tell the user something they never said, so it is held back until the question is
# asked (`recommend(..., unasked=...)`).
STATES: dict[str, tuple[str, ...]] = {
    "no_gap_known": ("gaps",),
    "knowledge_gap": ("gaps",),
    "frequent_change": ("knowledge_change",),
    "large_corpus": ("corpus_tokens",),
    "many_sources": ("source_count",),
    "citations": ("needs_citations",),
    "fits_in_prompt": ("corpus_tokens", "knowledge_change"),
    "behaviour_prompt_first": ("gaps", "prompting_tried"),
    "behaviour_prompts_measured": ("gaps",),
    "behaviour_prompts_measured_stand_in": ("gaps",),
    "too_few_examples": ("labeled_examples",),
    "unreviewed_examples": ("examples_reviewed",),
    "thin_examples": ("labeled_examples",),
    "full_finetune": ("labeled_examples", "budget", "gpu"),
    "tight_latency_rag": ("latency_budget_ms",),
    "no_eval_set": ("has_eval_set",),
    "low_budget": ("budget",),
    "short_timeline": ("timeline_weeks",),
    "no_gpu": ("gpu",),
}
