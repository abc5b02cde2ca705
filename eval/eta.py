"""Time left in a run, from its plan and the progress it reports.

Progress by stage count read 95% with 11 minutes to go: four quick answer stages and one
long training count alike. Here the fraction is time: seconds elapsed over seconds
elapsed plus the expected seconds left. What is left is re-estimated as items complete:
once a stage has finished an item (or a training step), its observed seconds per item
replace the plan's, for the rest of that stage and, scaled alike, for the later stages
of the same kind (answers or training), which run on the same engine.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from eval.plan import RunPlan, Stage, span


@dataclass(frozen=True)
class Reading:
    fraction: float  # of the whole run, in [0, 1)
    seconds_left: float
    label: str  # "few-shot answers (12/30) — about 4 min left"


class Eta:
    """Feed it (stage, done, total) as the run reports them; read `update`'s result."""

    def __init__(self, plan: RunPlan, clock: Callable[[], float] = time.monotonic) -> None:
        self.stages = plan.stages()
        self.clock = clock
        self.started = clock()
        self.cursor = 0
        self.entered: tuple[float, int] | None = None  # (time, done) when the stage began
        self.factor = {"answer": 1.0, "train": 1.0, "other": 1.0}
        self.fraction = 0.0

    def update(self, stage: str, done: int, total: int) -> Reading:
        now = self.clock()
        self._follow(stage, done, now)
        left = self._current_left(done, now) + self._later_left()
        elapsed = now - self.started
        fraction = elapsed / (elapsed + left) if elapsed + left > 0 else 0.0
        self.fraction = min(0.99, max(self.fraction, fraction))
        count = f" ({done}/{total})" if total > 0 else ""
        return Reading(self.fraction, left, f"{stage}{count} — about {span(left)} left")

    def _follow(self, stage: str, done: int, now: float) -> None:
        """Move to the first stage from here on whose name the report starts with."""
        for i in range(self.cursor, len(self.stages)):
            if stage.startswith(self.stages[i].name):
                if i != self.cursor or self.entered is None:
                    self.cursor, self.entered = i, (now, done)
                return

    @property
    def current(self) -> Stage | None:
        return self.stages[self.cursor] if self.entered and self.cursor < len(self.stages) else None

    def _current_left(self, done: int, now: float) -> float:
        stage = self.current
        if stage is None:
            return 0.0
        since, first = self.entered  # type: ignore[misc]
        planned_each = stage.seconds / stage.count if stage.count else stage.seconds
        if stage.count and done > first:
            each = (now - since) / (done - first)
            self.factor[stage.kind] = each / planned_each if planned_each else 1.0
        else:
            each = planned_each * self.factor[stage.kind]
        left = each * max(stage.count - done, 0) if stage.count else max(each - (now - since), 0)
        if stage.cap_s:
            left = min(left, max(stage.cap_s - (now - since), 0.0))
        return left

    def _later_left(self) -> float:
        start = self.cursor + 1 if self.entered else 0
        total = 0.0
        for stage in self.stages[start:]:
            seconds = stage.seconds * self.factor[stage.kind]
            total += min(seconds, stage.cap_s) if stage.cap_s else seconds
        return total
