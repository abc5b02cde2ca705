"""One progress bar for a whole run, whose fill never goes backwards.

Runners report `(stage, done, total)` per stage ("LoRA training 40/400", then "LoRA
answers 0/20"); showing each stage's own fraction makes the bar jump from 92% back to
0%, which reads as a failure. The number of stages is not known up front (it depends
on the trials chosen), so each new stage gets half of what is left of the bar: the fill
only grows, and the stage name with its own count says exactly where the run is.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


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
