"""What every trial runner receives and returns, and the one loop that asks the model.

A runner has one signature for both kinds of trial: (context, held-out items) ->
TrialOutput. Knowledge items are `EvalPair`s (question → answer), behaviour items are
`Example`s (input → output); both answer to `.question` and `.answer`, so scoring and
storage never ask which kind they hold.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from assistant.core.errors import Cancelled
from assistant.core.models.base import ChatModel, ChatResult, Embedder, Message, ModelError
from assistant.core.settings import Settings

Progress = Callable[[str, int, int], None]
ANSWER_SYSTEM = "Answer the question in a few words. Give only the answer."
LABEL_ANSWER_TOKENS = 16  # room for a multi-word label, not for an essay


def no_progress(stage: str, done: int, total: int) -> None:
    """The progress callback of a run nobody watches."""


@dataclass(kw_only=True)
class RunContext:
    """Inputs shared by all runners of one run. Heavy objects are already loaded."""

    settings: Settings
    config: Any  # eval.config.KnowledgeConfig or BehaviourConfig
    chat: ChatModel
    embedder: Embedder
    run_dir: Any  # pathlib.Path for artefacts (adapters)
    train: list[Any] = field(default_factory=list)
    progress: Progress = no_progress
    cancel: threading.Event = field(default_factory=threading.Event)
    judge: ChatModel | None = None  # LLM-as-judge model; None = the chat model
    notes: list[str] = field(default_factory=list)  # said to the user with the run

    @property
    def answer_tokens(self) -> int:
        return self.config.max_answer_tokens

    def check_cancel(self) -> None:
        if self.cancel.is_set():
            raise Cancelled("cancelled by the user")

    def with_chat(self, chat: ChatModel) -> Any:
        return replace(self, chat=chat)


@dataclass(kw_only=True)
class KnowledgeContext(RunContext):
    """A knowledge run: the workspace index and the run's own documents."""

    index: Any  # knowledge.index.VectorIndex of the run's workspace
    chunks: list[Any] = field(default_factory=list)  # knowledge.types.Chunk
    sources: tuple[str, ...] = ()  # this run's documents: retrieval looks only at these


@dataclass(kw_only=True)
class BehaviourContext(RunContext):
    """A behaviour run: the task kind, its label set and the short task prompt."""

    task: str
    instruction: str = ""
    labels: list[str] = field(default_factory=list)
    system: str = ""  # the short task prompt every approach starts from
    _vectors: list[list[float]] | None = None

    @property
    def input_chars(self) -> int:
        """Characters of prompt text that fit the context with room for the answer."""
        return max(2000, (self.settings.context_size - self.config.max_answer_tokens) * 3)

    @property
    def answer_tokens(self) -> int:
        """Completion budget: a label needs a few tokens, JSON or prose the configured cap.

        A base model that rambles past the label would otherwise spend the whole cap on
        every held-out item (4 s instead of 0.3 s each on 2 cores) without changing its
        score, since a label answer is read from its start; every approach gets the same cap.
        """
        cap = self.config.max_answer_tokens
        return min(cap, LABEL_ANSWER_TOKENS) if self.task == "classification" else cap

    def train_vectors(self) -> list[list[float]]:
        """Embeddings of the training inputs, computed once per run."""
        if self._vectors is None:
            self._vectors = self.embedder.embed([ex.input for ex in self.train])
        return self._vectors


@dataclass
class ItemResult:
    """One held-out item as answered by one trial."""

    question: str
    reference: str
    prediction: str
    latency_s: float
    prompt_tokens: int = 0
    completion_tokens: int = 0
    context: str = ""
    retrieved: list[dict[str, Any]] = field(default_factory=list)
    scores: dict[str, float] = field(default_factory=dict)
    failure: str = ""  # why it failed (eval.scoring.attribution), "correct" when it did not


@dataclass
class TrialOutput:
    """A runner's per-item results plus trial-specific numbers (train time, …).

    `control` holds a same-engine baseline a runner measured alongside (the LoRA's base
    model with the adapter off); the orchestrator stores it as trial `<name>-base`.
    """

    items: list[ItemResult]
    extra: dict[str, Any] = field(default_factory=dict)
    status: str = "finished"  # or "partial" (e.g. training stopped by the time budget)
    note: str = ""
    control: TrialOutput | None = None
    replicas: list[list[ItemResult]] = field(default_factory=list)  # the same arm, other seeds


@dataclass
class Prompt:
    """What one item is asked with, and what a RAG answer saw (kept for its metrics)."""

    messages: list[Message]
    context: str = ""
    retrieved: list[dict[str, Any]] = field(default_factory=list)


def question_messages(question: str, context: str = "") -> list[Message]:
    """The knowledge task prompt: short, because tiny models lose track of long ones."""
    user = question
    if context:
        user = f"Context:\n{context}\n\nUsing the context, answer: {question}"
    return [{"role": "system", "content": ANSWER_SYSTEM}, {"role": "user", "content": user}]


def answer_each(
    ctx: RunContext,
    heldout: Sequence[Any],
    stage: str,
    prompt: Callable[[Any], Prompt],
    chat: ChatModel | None = None,
) -> list[ItemResult]:
    """Answer every held-out item, with progress and a cancel check between items.

    A failed model call is an empty (wrong) answer and a note, not a lost trial: one
    timeout on item 37 must not throw away the 36 answers before it.
    """
    chat = chat or ctx.chat
    options = {"max_tokens": ctx.answer_tokens, "temperature": ctx.config.temperature}
    items, failures = [], []
    for i, item in enumerate(heldout):
        ctx.check_cancel()
        ctx.progress(stage, i, len(heldout))
        asked = prompt(item)
        try:
            result = chat.chat(asked.messages, **options)
        except Cancelled:
            raise
        except (ModelError, ValueError, RuntimeError) as err:
            failures.append(f"{type(err).__name__}: {str(err)[:120]}")
            result = ChatResult("", 0, 0, 0.0, chat.name)
        items.append(
            ItemResult(item.question, item.answer, result.text, result.seconds,
                       result.prompt_tokens, result.completion_tokens, asked.context,
                       asked.retrieved)
        )  # fmt: skip
    ctx.progress(stage, len(heldout), len(heldout))
    if failures:
        ctx.notes.append(
            f"{stage}: {len(failures)} calls failed and scored as wrong ({failures[0]})"
        )
    return items
