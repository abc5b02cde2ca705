"""The cited sentences for prerequisites and risks, and which answers each one states.

Split from `wording.py` (the reasons): a prerequisite or a risk is shown beside the
recommendation, not as a reason for it, and is read by the plan and the report too.
"""

from __future__ import annotations

from assistant.advice.cited import COSTS, DRIFT, EVAL, FORGET, FT, LADDER, RAG, Cited
from assistant.advice.cited import cite as _c

# --- Prerequisites and risks, each explained with a citation ---------------------------
PREREQUISITE_NOTES: dict[str, Cited] = {
    "build_eval_set": _c(
        "Build a held-out set of 100-200 input/output pairs before anything else.",
        EVAL,
        "Size and content of the held-out benchmark set",
    ),
    "measure_prompt_baseline": _c(
        "Record a prompt-only baseline score on the held-out set.",
        LADDER,
        "First rung: prompt engineering and a measured baseline",
    ),
    "collect_examples": _c(
        "Curate at least 500 expert-reviewed examples before any fine-tuning.",
        FT,
        "Training data for fine-tuning: 500 or more expert-curated examples",
    ),
}
PREREQUISITE_STATES: dict[str, tuple[str, ...]] = {  # as STATES, for prerequisites
    "build_eval_set": ("has_eval_set",),
    "measure_prompt_baseline": ("prompting_tried",),
    "collect_examples": ("labeled_examples", "examples_reviewed"),
}
RISK_NOTES: dict[str, Cited] = {
    "catastrophic_forgetting": _c(
        "Fine-tuning can erode general abilities while the target task improves.",
        FORGET,
        "What catastrophic forgetting means for a fine-tuned model",
    ),
    "maintenance_burden": _c(
        "Every base model update means retraining and re-evaluating the fine-tuned model.",
        DRIFT,
        "Base model updates reset fine-tuning work",
    ),
    "data_curation_cost": _c(
        "Expert review of training data is usually the largest cost of fine-tuning.",
        COSTS,
        "Data curation is the largest fine-tuning cost",
    ),
    "retrieval_quality": _c(
        "Answers are only as good as the passages the retriever finds.",
        RAG,
        "Limits of RAG: retrieval quality",
    ),
    "latency": _c(
        "Retrieval or a large model may not fit the response-time budget.",
        RAG,
        "Limits of RAG: pipeline complexity and latency below 100 ms",
    ),
    "stale_knowledge": _c(
        "Anything the weights learned is frozen at training time while the knowledge changes.",
        RAG,
        "Frequently changing knowledge and fast re-indexing",
    ),
    "measured_forgetting": _c(
        "The trial's adapter lost clearly more general ability than monitoring tolerates: gate "
        "every adapter on the general-capability benchmark before it ships.",
        FORGET,
        "Measuring forgetting with a general-capability benchmark",
    ),
}
