"""One progress bar for a whole run, whose fill never goes backwards.

Runners report `(stage, done, total)` per stage ("LoRA training 40/400", then "LoRA
answers 0/20"); showing each stage's own fraction makes the bar jump from 92% back to
0%, which reads as a failure. The number of stages is not known up front (it depends
on the trials chosen), so each new stage gets half of what is left of the bar: the fill
only grows, and the stage name with its own count says exactly where the run is.

A trial run knows more: its plan (`eval.plan`) says how long each stage should take, so
`RunProgress` fills the bar by expected time and says how long is left (`eval.eta`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass
class MonotonicProgress:
    """Turns per-stage counts into one bar value in [0, 1) and a label."""

    show: Callable[[float, str], None]
    base: float = 0.0  # fill reached when the current stage began
    value: float = 0.0
    stage: str = ""

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage != self.stage:
            self.stage, self.base = stage, self.value
        fraction = min(max(done / total, 0.0), 1.0) if total > 0 else 0.0
        self.value = max(self.value, self.base + (1.0 - self.base) * 0.5 * fraction)
        label = f"{stage} ({done}/{total})" if total > 0 else stage
        self.show(self.value, label)


@dataclass
class RunProgress:
    """A trial run's bar and banner by expected time (`eval.eta`), once its plan is known.

    Until `start` hands it the plan (models are loading then), it fills like
    `MonotonicProgress`. `banner` is what the top of the Trials tab shows meanwhile:
    the stage and the time left, readable from another thread.
    """

    show: Callable[[float, str], None]
    plan_line: str = ""
    banner: str = "Starting: checking the inputs and loading the model…"
    eta: Any = None
    fallback: MonotonicProgress | None = None

    def start(self, plan: Any, clock: Callable[[], float] | None = None) -> None:
        from eval.eta import Eta

        self.plan_line = plan.line("web")
        self.eta = Eta(plan, clock) if clock else Eta(plan)
        self.banner = f"Starting: {plan.line('web')}"

    def __call__(self, stage: str, done: int, total: int) -> None:
        if self.eta is None:
            self.fallback = self.fallback or MonotonicProgress(self.show)
            self.fallback(stage, done, total)
            self.banner = f"Preparing: {self.fallback.stage}"
            return
        reading = self.eta.update(stage, done, total)
        self.banner = reading.label
        self.show(reading.fraction, reading.label)
