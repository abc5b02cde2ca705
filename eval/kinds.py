"""The names every layer shares: run statuses, kinds of trial and task, headline metrics,
and the label of each trial. Each constant lives here once; the CLI, the Trials tab, the
advice and the report read them from here.
"""

from __future__ import annotations

from enum import StrEnum


class RunStatus(StrEnum):
    """Where a run or one of its trials ended up (stored as the plain string)."""

    RUNNING = "running"
    FINISHED = "finished"
    PARTIAL = "partial"  # answered, but cut short (a time budget) or some trial failed
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def usable(self) -> bool:
        """Its numbers can be shown and compared: it answered the held-out items."""
        return self in (RunStatus.FINISHED, RunStatus.PARTIAL)

    @property
    def terminal(self) -> bool:
        return self is not RunStatus.RUNNING


def usable(status: str) -> bool:
    """`RunStatus(status).usable` for a stored string (unknown strings are not usable).

    >>> usable("partial"), usable("failed"), usable("bogus")
    (True, False, False)
    """
    return status in (RunStatus.FINISHED, RunStatus.PARTIAL)


# "knowledge": documents + Q/A, does the model know our facts? "behaviour": input→output
# examples, does the model answer the way we need?
RUN_KINDS = ("knowledge", "behaviour")
TASK_KINDS = ("classification", "json", "generation")
TASK_CHOICES = ("auto", *TASK_KINDS)

# The score that stands for "how good": `contains` for knowledge runs (fair to verbose
# small models, unlike exact match), and per task kind for behaviour runs.
HEADLINE = {
    "knowledge": "contains",
    "classification": "accuracy",
    "json": "field_f1",
    "generation": "rouge_l",
}


def headline_metric(kind: str, task: str = "") -> str:
    """The headline metric of a run of this kind (and task, for behaviour runs).

    >>> headline_metric("knowledge"), headline_metric("behaviour", "json")
    ('contains', 'field_f1')
    """
    key = "knowledge" if kind == "knowledge" else task
    if key not in HEADLINE:
        raise ValueError(f"unknown run kind/task {kind!r}/{task!r}; tasks: {TASK_KINDS}")
    return HEADLINE[key]


KNOWLEDGE_TRIALS = ("prompt", "rag", "lora", "rag+lora")
BEHAVIOUR_TRIALS = ("prompt", "few-shot", "retrieved-shots", "lora")
# The pairs each kind's decision reads, fixed before any run: Holm's correction counts
# them together (the advice quotes the one that decided). Every other pair is shown,
# corrected among the rest, and decides nothing.
DECISION_PAIRS: dict[str, tuple[tuple[str, str], ...]] = {
    "knowledge": (("rag", "prompt"),),
    "behaviour": (("lora", "few-shot"), ("lora", "retrieved-shots")),
}
ADAPTER_TRIALS = ("lora", "rag+lora")  # trials that serve a trained adapter
RETRIEVAL_TRIALS = ("rag", "rag+lora", "retrieved-shots")  # need an index before serving

# One name per trial, read in tables, checkboxes and sentences alike.
TRIAL_LABELS = {
    "prompt": "zero-shot prompting",
    "few-shot": "few-shot prompting",
    "retrieved-shots": "prompting with retrieved examples",
    "rag": "RAG",
    "lora": "LoRA fine-tuning",
    "rag+lora": "RAG with LoRA fine-tuning",
    "lora-base": "the base model on the LoRA's engine",
}


def trial_label(name: str) -> str:
    """The label of a trial name; an unknown name is shown as it is."""
    return TRIAL_LABELS.get(name, name)
