"""What every trial runner receives and returns: one signature for prompt, RAG and LoRA."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from assistant.core.models.base import ChatModel, ChatResult, Embedder, Message, ModelError
from assistant.core.settings import Settings
from eval.config import TrialConfig
from eval.dataset import EvalPair
from knowledge.types import Chunk

Progress = Callable[[str, int, int], None]
ANSWER_SYSTEM = "Answer the question in a few words. Give only the answer."


class Cancelled(RuntimeError):
    """The user cancelled the run; runners stop at the next question."""


@dataclass
class TrialContext:
    """Inputs shared by all runners of one run. Heavy objects are already loaded."""

    settings: Settings
    config: TrialConfig
    chat: ChatModel
    embedder: Embedder
    index: Any  # knowledge.index.VectorIndex of the run's workspace
    train: list[EvalPair]
    chunks: list[Chunk]
    run_dir: Any  # pathlib.Path for artefacts (adapters)
    progress: Progress = lambda stage, done, total: None
    cancel: threading.Event = field(default_factory=threading.Event)
    judge: ChatModel | None = None  # LLM-as-judge model; None = the chat model
    sources: tuple[str, ...] = ()  # this run's documents: retrieval looks only at these

    def check_cancel(self) -> None:
        if self.cancel.is_set():
            raise Cancelled("cancelled by the user")


@dataclass
class ItemResult:
    """One held-out question as answered by one trial."""

    question: str
    reference: str
    prediction: str
    latency_s: float
    prompt_tokens: int = 0
    completion_tokens: int = 0
    context: str = ""
    retrieved: list[dict[str, Any]] = field(default_factory=list)
    scores: dict[str, float] = field(default_factory=dict)


@dataclass
class TrialOutput:
    """A runner's per-question results plus trial-specific numbers (train time, …).

    `control` holds a same-engine baseline a runner measured alongside (the LoRA's base
    model with the adapter off); the orchestrator stores it as trial `<name>-base`.
    """

    items: list[ItemResult]
    extra: dict[str, Any] = field(default_factory=dict)
    status: str = "finished"  # or "partial" (e.g. training stopped by the time budget)
    note: str = ""
    control: TrialOutput | None = None


def question_messages(question: str, context: str = "") -> list[Message]:
    """The task prompt: short, because tiny models lose track of long instructions."""
    user = question
    if context:
        user = f"Context:\n{context}\n\nUsing the context, answer: {question}"
    return [{"role": "system", "content": ANSWER_SYSTEM}, {"role": "user", "content": user}]


def item_from(pair: EvalPair, result: ChatResult, **extra: Any) -> ItemResult:
    return ItemResult(
        question=pair.question,
        reference=pair.answer,
        prediction=result.text,
        latency_s=result.seconds,
        prompt_tokens=result.prompt_tokens,
        completion_tokens=result.completion_tokens,
        **extra,
    )


def answer_all(
    ctx: TrialContext,
    heldout: Sequence[EvalPair],
    stage: str,
    answer: Callable[[EvalPair], ItemResult],
) -> list[ItemResult]:
    """Answer every held-out pair with progress and a cancellation check between them."""
    items = []
    for i, pair in enumerate(heldout):
        ctx.check_cancel()
        ctx.progress(stage, i, len(heldout))
        items.append(answer(pair))
    ctx.progress(stage, len(heldout), len(heldout))
    return items


LABEL_ANSWER_TOKENS = 16  # room for a multi-word label, not for an essay


@dataclass
class BehaviourContext:
    """Inputs shared by the behaviour runners of one run (input→output examples)."""

    settings: Settings
    config: Any  # eval.config.BehaviourConfig
    chat: ChatModel
    embedder: Embedder
    task: str
    instruction: str
    labels: list[str]
    train: list[Any]  # eval.examples.Example
    system: str  # the short task prompt every approach starts from
    run_dir: Any
    progress: Progress = lambda stage, done, total: None
    cancel: threading.Event = field(default_factory=threading.Event)
    notes: list[str] = field(default_factory=list)
    judge: ChatModel | None = None  # asks config.criteria of each answer when config.judge
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

    def check_cancel(self) -> None:
        if self.cancel.is_set():
            raise Cancelled("cancelled by the user")

    def train_vectors(self) -> list[list[float]]:
        """Embeddings of the training inputs, computed once per run."""
        if self._vectors is None:
            self._vectors = self.embedder.embed([ex.input for ex in self.train])
        return self._vectors

    def with_chat(self, chat: ChatModel) -> BehaviourContext:
        return replace(self, chat=chat)


def answer_examples(
    ctx: BehaviourContext,
    heldout: Sequence[Any],
    stage: str,
    messages: Callable[[Any], list[Message]],
) -> list[ItemResult]:
    """Answer every held-out example; a failed call is an empty (wrong) answer, not a crash."""
    items, failures = [], []
    options = {"max_tokens": ctx.answer_tokens, "temperature": ctx.config.temperature}
    for i, example in enumerate(heldout):
        ctx.check_cancel()
        ctx.progress(stage, i, len(heldout))
        try:
            result = ctx.chat.chat(messages(example), **options)
        except (ModelError, ValueError, RuntimeError) as err:
            failures.append(f"{type(err).__name__}: {str(err)[:120]}")
            result = ChatResult("", 0, 0, 0.0, ctx.chat.name)
        items.append(
            ItemResult(example.input, example.output, result.text, result.seconds,
                       result.prompt_tokens, result.completion_tokens)
        )  # fmt: skip
    ctx.progress(stage, len(heldout), len(heldout))
    if failures:
        ctx.notes.append(
            f"{stage}: {len(failures)} calls failed and scored as wrong ({failures[0]})"
        )
    return items
