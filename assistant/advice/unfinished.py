"""Trials of a usable run that did not finish: named, with what it would take to finish them.

Why apart from the verdicts: a run whose LoRA its time budget cut short is still real
evidence about the arms that finished (zero-shot, few-shot, retrieved shots), so those
count; the unfinished arm is left out of every verdict, and the chat, the report and the
Trials tab must say so rather than drop it without a word. The advice is read in the web
app, so the way to finish it names the Trials tab's slider, never a command-line flag.

>>> left = Unfinished("lora", "partial", 0.82, steps=8, planned_steps=35, train_seconds=40.0,
...                   stopped_by="time_budget")
>>> left.budget_needed_s()
200
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

from assistant.advice.trial_wording import (
    LEFT_OUT,
    LEFT_OUT_BUDGET,
    LEFT_OUT_BUDGET_OVER,
    LEFT_OUT_CUT,
    LEFT_OUT_FAILED,
)
from eval.controls import WEB_LABELS, WEB_LIMITS
from eval.kinds import trial_label

# The Trials tab's slider for the LoRA's training time and its upper end in seconds, from
# the one home of the tab's control names and ranges.
BUDGET_CONTROL = WEB_LABELS["time_budget_s"]
BUDGET_MAX_S = WEB_LIMITS["time_budget_s"][1]
BUDGET_STEP_S = 10
HEADROOM = 1.1  # steps slow down a little as the run goes on; ask for 10% more


@dataclass(frozen=True)
class Unfinished:
    """One trial of the run that did not finish, and what its summary says about why."""

    trial: str
    status: str  # partial, failed, cancelled or running
    score: float | None = None  # its headline mean when it answered; never compared
    steps: int | None = None
    planned_steps: int | None = None
    train_seconds: float | None = None
    stopped_by: str = ""
    error: str = ""

    @property
    def cut_by_budget(self) -> bool:
        """The time budget stopped training before its planned steps."""
        return self.stopped_by == "time_budget" and bool(self.steps and self.planned_steps)

    def budget_needed_s(self) -> int | None:
        """Seconds of training the planned steps take at the measured pace, with headroom,
        rounded up to the slider's step; None when the pace was not measured."""
        if not self.cut_by_budget or not self.train_seconds:
            return None
        full = self.train_seconds * self.planned_steps / self.steps * HEADROOM  # type: ignore[operator]
        return int(math.ceil(full / BUDGET_STEP_S) * BUDGET_STEP_S)

    def sentence(self, metric: str) -> str:
        """'LoRA fine-tuning left out: …', with the way to finish it when one is known."""
        label = trial_label(self.trial)
        if not self.cut_by_budget:
            error = self.error or "no error was recorded"
            reason = LEFT_OUT_FAILED.format(status=_status_words(self.status), error=error)
            return LEFT_OUT.format(label=label, reason=reason)
        score = f"{self.score:.2f}" if self.score is not None else "no score"
        reason = LEFT_OUT_CUT.format(
            steps=self.steps, planned=self.planned_steps, seconds=self.train_seconds or 0,
            metric=metric, score=score,
        )  # fmt: skip
        needed = self.budget_needed_s()
        if needed is not None:
            words = LEFT_OUT_BUDGET if needed <= BUDGET_MAX_S else LEFT_OUT_BUDGET_OVER
            reason += " " + words.format(control=BUDGET_CONTROL, needed=needed, most=BUDGET_MAX_S)
        return LEFT_OUT.format(label=label, reason=reason)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Unfinished:
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})


def unfinished_trials(trials: dict[str, Any], metric: str) -> tuple[Unfinished, ...]:
    """Every trial of a stored run that did not finish, in run order."""
    out = []
    for name, trial in trials.items():
        status = str(trial.get("status"))
        if status == "finished":
            continue
        summary = trial.get("summary") or {}
        out.append(Unfinished(
            trial=name, status=status, score=_number(summary.get(metric)),
            steps=_whole(summary.get("steps")), planned_steps=_whole(summary.get("planned_steps")),
            train_seconds=_number(summary.get("train_seconds")),
            stopped_by=str(summary.get("stopped_by") or ""), error=str(trial.get("error") or ""),
        ))  # fmt: skip
    return tuple(out)


def _status_words(status: str) -> str:
    return {"partial": "only partly finished", "running": "was still running"}.get(status, status)


def _number(value: Any) -> float | None:
    ok = isinstance(value, int | float) and not isinstance(value, bool)
    return float(value) if ok else None


def _whole(value: Any) -> int | None:
    number = _number(value)
    return int(number) if number is not None else None
