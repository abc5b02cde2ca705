"""The steps each phase of a plan lists, in the words the report shows them.

Wording only: which phases a plan has, their lengths and costs are `plan.py`'s job.
"""

from __future__ import annotations

EVAL_TASKS = [
    "Collect 100-200 real requests covering common, rare and edge cases.",
    "Have domain experts write or check the reference answers.",
    "Version the set and keep it out of training data and prompt examples.",
]
EVAL_FROM_EXAMPLES_TASKS = [
    "Set aside 100-200 of your reviewed examples, stratified by case type, as the held-out set.",
    "Check with an expert that the set covers common, rare and edge cases; fill gaps.",
    "Version the set and keep it out of training data and prompt examples.",
]
PROMPT_TASKS = [
    "Write instructions, a few worked examples and an explicit output format.",
    "Score the prompt on the held-out set and record the prompt-only baseline.",
]
RAG_TASKS = [
    "Ingest and chunk the documents; embed them into a vector store.",
    "Tune retrieval (passages per question, reranking) and measure recall on its own.",
    "Score RAG plus prompting on the held-out set and record the RAG baseline.",
]


def finetune_tasks(approach: str) -> list[str]:
    tasks = [
        "Curate and deduplicate training examples; have experts review every one.",
        "Train LoRA at the starting configuration; change one setting at a time.",
        "Gate each run: beat the prompt and RAG baselines and the previous best run, "
        "and check the general-capability benchmark for forgetting.",
        "Run 2-3 human evaluation rounds of 8-16 expert hours.",
    ]
    if approach == "rag+lora":
        tasks[1] = (
            "Train the LoRA adapter on questions paired with retrieved passages "
            "(RAFT-style), keeping facts out of the adapter."
        )
    if approach == "full-finetune":
        tasks[1] = "Confirm LoRA has plateaued, then run full fine-tuning on several GPUs."
    return tasks
