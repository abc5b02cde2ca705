"""Back-pressure for model answers: a bounded line in front of the one chat model.

A side question's answer has two parts: the guidance sentences, quoted at once with no
model, and the model's short summary of them. One chat model on 2 cores writes one
summary at a time (a few seconds each), so with 200 visitors asking at once the last
waited minutes, and nobody was told: they all held a chat worker, so even the quoted
guidance of later visitors queued behind them (first text 498 s median, 740 s p95).

So summaries wait in a line of at most `bound` places. A visitor in the line sees their
place and an estimate update under the quoted guidance; a visitor who would be beyond
it is told at once where they would stand and how long that would take, and gets the
quoted guidance alone, which frees their worker for the next visitor. Estimates come
from the measured length of recent summaries.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from assistant.core.models.base import ChatResult, Message

FIRST_GUESS_S = 6.0  # a summary's length before any was measured (SmolLM2, 2 cores)
SMOOTHING = 0.3  # weight of the latest measured summary in the running estimate
POLL_S = 0.5  # how often a waiting visitor's place is re-told


@dataclass(frozen=True)
class Place:
    """Where a summary stands: 1 is being written now; `wait_s` until this one starts."""

    position: int
    wait_s: float


def duration(seconds: float) -> str:
    """'about 40 s', 'about 3 min'.

    >>> duration(4.2), duration(44), duration(185)
    ('about 5 s', 'about 45 s', 'about 3 min')
    """
    from eval.plan import span  # one rounding rule for every time we state

    return f"about {span(seconds)}"


def waiting_note(place: Place) -> str:
    """Shown under the quoted guidance while a summary waits its turn."""
    ahead = place.position - 1
    return (
        f"_The model's short summary follows: {ahead} question{'s' if ahead != 1 else ''} "
        f"ahead of yours, {duration(place.wait_s)}._"
    )


def busy_note(place: Place) -> str:
    """Said at once when the line is full: where they would stand, and what to do."""
    return (
        f"_The model is busy: yours would be number {place.position} in line "
        f"({duration(place.wait_s)}), so this is the quoted guidance without a summary. "
        "Ask again in a while for one._"
    )


class ModelLine:
    """A first-come line of at most `bound` summaries (the head is the one being written)."""

    def __init__(self, bound: int, first_guess_s: float = FIRST_GUESS_S) -> None:
        self.bound = bound
        self.typical_s = first_guess_s
        self._cond = threading.Condition()
        self._line: list[object] = []
        self._started = 0.0  # when the head began

    def place(self, index: int) -> Place:
        """The place of the summary at `index` (0 = head); call holding the lock."""
        head_left = max(0.0, self.typical_s - (time.monotonic() - self._started))
        wait = 0.0 if index == 0 else head_left + (index - 1) * self.typical_s
        return Place(index + 1, round(wait, 1))

    def __len__(self) -> int:
        return len(self._line)

    @contextmanager
    def turn(
        self, on_wait: Callable[[Place], None], on_full: Callable[[Place], None]
    ) -> Iterator[bool]:
        """Wait for this caller's turn: True once it is at the head, False at once (after
        `on_full`) when the line is full. Leaving the block frees the place."""
        ticket = object()
        with self._cond:
            if len(self._line) >= self.bound:
                full = self.place(len(self._line))
            else:
                full = None
                self._line.append(ticket)
                if len(self._line) == 1:
                    self._started = time.monotonic()
        if full is not None:
            on_full(full)
            yield False
            return
        try:
            self._wait_for_head(ticket, on_wait)
            start = time.monotonic()
            yield True
            self._measured(time.monotonic() - start)
        finally:
            with self._cond:
                was_head = self._line and self._line[0] is ticket
                self._line.remove(ticket)
                if was_head:
                    self._started = time.monotonic()
                self._cond.notify_all()

    def _wait_for_head(self, ticket: object, on_wait: Callable[[Place], None]) -> None:
        told = None
        while True:
            with self._cond:
                index = self._line.index(ticket)
                if index == 0:
                    return
                place = self.place(index)
            if place.position != (told.position if told else None):
                on_wait(place)
                told = place
            with self._cond:
                self._cond.wait(POLL_S)

    def _measured(self, seconds: float) -> None:
        with self._cond:
            self.typical_s = (1 - SMOOTHING) * self.typical_s + SMOOTHING * seconds


class QueuedChat:
    """A chat model whose answers wait their turn in a `ModelLine`.

    When the line is full, `chat` returns an empty reply and `stream` yields nothing:
    the guidance Q&A then shows the quoted sentences alone (`Answer.generated` False).
    """

    def __init__(
        self,
        model: Any,
        line: ModelLine,
        on_wait: Callable[[Place], None] = lambda place: None,
        on_full: Callable[[Place], None] = lambda place: None,
    ) -> None:
        self.model, self.line = model, line
        self.name = getattr(model, "name", "chat")
        self.on_wait, self.on_full = on_wait, on_full

    def chat(self, messages: Sequence[Message], **options: Any) -> ChatResult:
        with self.line.turn(self.on_wait, self.on_full) as served:
            if served:
                return self.model.chat(messages, **options)
        return ChatResult("", 0, 0, 0.0, self.name)

    def stream(self, messages: Sequence[Message], **options: Any) -> Iterator[str]:
        with self.line.turn(self.on_wait, self.on_full) as served:
            if served:
                yield from self.model.stream(messages, **options)


class LazyChat:
    """A chat model loaded at its first call, so the quotes before it can show at once:
    right after a start, loading waits behind the embedder's load (one lock for both)."""

    name = "chat"

    def __init__(self, load: Callable[[], Any]) -> None:
        self._load = load

    def chat(self, messages: Sequence[Message], **options: Any) -> ChatResult:
        return self._load().chat(messages, **options)

    def stream(self, messages: Sequence[Message], **options: Any) -> Iterator[str]:
        yield from self._load().stream(messages, **options)
