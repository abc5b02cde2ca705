"""A first-come line for the heavy jobs (trial runs, pair generation, retrieval sweeps).

One such job keeps both cores and the trial model busy for minutes, so only `slots` run
at once (one on 2 cores). Refusing a second visitor ("busy, try later") left them
polling with no idea how long to wait; here their job takes a ticket and waits in the
caller's own thread, told its place in line and an estimate as the line moves, until a
slot frees. The estimate is the remaining expected time of what is ahead: each running
job's estimate minus its elapsed time, plus the estimates of the jobs waiting before
this one. Each caller supplies its own job's estimate (see `assistant.web.turns`).

Leaving the line (Cancel, a closed tab) sets the ticket's cancel flag; a waiting ticket
then leaves without its job ever starting and `turn` raises `LeftLine`. No Gradio here:
the web layer only words what this reports.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from assistant.core.errors import LeftLine

POLL_S = 1.0  # how often a waiting job re-reads its place (the estimate shrinks with time)


@dataclass(frozen=True)
class Spot:
    """Where a waiting job stands: `position` 1 starts next; `ahead` counts running jobs
    too; `wait_s` until it starts; `overdue` when a running job outlived its estimate."""

    position: int
    ahead: int
    wait_s: float
    overdue: bool = False


@dataclass(eq=False)
class Ticket:
    """One job in the line (identity, not value, tells tickets apart)."""

    owner: str  # the session that queued it
    kind: str  # "trial", "pairs", "sweep": for the wording only
    estimate_s: float
    cancel: threading.Event = field(default_factory=threading.Event)
    started: float | None = None  # clock time it began running; None while waiting


class TrialQueue:
    """First come, first served; at most `slots` jobs run at once."""

    def __init__(
        self, slots: int = 1, poll_s: float = POLL_S, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.slots = max(1, slots)
        self.poll_s, self.clock = poll_s, clock
        self._cond = threading.Condition()
        self._waiting: list[Ticket] = []
        self._running: list[Ticket] = []

    @contextmanager
    def turn(
        self, owner: str, kind: str, estimate_s: float,
        cancel: threading.Event | None = None, on_wait: Callable[[Spot], None] | None = None,
    ) -> Iterator[Ticket]:  # fmt: skip
        """Wait for this job's turn, then hold a slot until the block ends (even by an
        exception). `on_wait` hears the spot whenever it changes; raises `LeftLine` if
        the cancel flag is set before the turn came (the block never runs)."""
        ticket = Ticket(owner, kind, max(0.0, estimate_s), cancel or threading.Event())
        with self._cond:
            self._waiting.append(ticket)
        try:
            self._wait(ticket, on_wait or (lambda spot: None))
            yield ticket
        finally:
            with self._cond:
                for line in (self._waiting, self._running):
                    if ticket in line:
                        line.remove(ticket)
                self._cond.notify_all()

    def _wait(self, ticket: Ticket, on_wait: Callable[[Spot], None]) -> None:
        told: Spot | None = None
        while True:
            with self._cond:
                if ticket.cancel.is_set() or ticket not in self._waiting:
                    raise LeftLine("You left the line before your turn came; nothing ran.")
                if self._waiting[0] is ticket and len(self._running) < self.slots:
                    self._waiting.pop(0)
                    ticket.started = self.clock()
                    self._running.append(ticket)
                    self._cond.notify_all()  # a second free slot is the next ticket's
                    return
                spot = self._spot(ticket)
            if spot != told:
                on_wait(spot)
                told = spot
            with self._cond:
                if not ticket.cancel.is_set() and ticket in self._waiting:
                    self._cond.wait(self.poll_s)

    def _spot(self, ticket: Ticket) -> Spot:
        """The ticket's place and wait; call holding the lock."""
        now = self.clock()
        index = self._waiting.index(ticket)
        left = [t.estimate_s - (now - (t.started or 0.0)) for t in self._running]  # all started
        ahead_s = sum(max(0.0, s) for s in left) + sum(t.estimate_s for t in self._waiting[:index])
        overdue = any(s < 0 for s in left)
        return Spot(index + 1, len(self._running) + index, round(ahead_s / self.slots), overdue)

    def leave(self, owner: str) -> bool:
        """Cancel every job of `owner`: waiting ones leave the line at once (their jobs
        never start), running ones see their cancel flag. True if any was waiting."""
        with self._cond:
            mine = [t for t in self._waiting + self._running if t.owner == owner]
            left = [t for t in self._waiting if t.owner == owner]
            for ticket in mine:
                ticket.cancel.set()
            self._waiting = [t for t in self._waiting if t.owner != owner]
            self._cond.notify_all()
        return bool(left)

    def waiting(self, owner: str) -> bool:
        """Whether `owner` has a job still waiting for its turn."""
        with self._cond:
            return any(t.owner == owner for t in self._waiting)

    def spot(self, ticket: Ticket) -> Spot | None:
        """Where a waiting ticket stands now (None once it runs or has left)."""
        with self._cond:
            return self._spot(ticket) if ticket in self._waiting else None

    def __len__(self) -> int:
        """Jobs running and waiting."""
        with self._cond:
            return len(self._running) + len(self._waiting)
