"""What a trial's general probe says about an adapter's forgetting, as plain data.

Both LoRA runners (knowledge and behaviour) store the same numbers
(`eval.scoring.forgetting.forgetting_numbers`): the probe before and after, the drop with
its paired 95% interval and the share retained. A drop *counts* against fine-tuning when
even the low end of that interval exceeds ACT_DROP, the drop at which monitoring acts:
then it lowers the strength of the evidence and becomes a risk with its numbers.

>>> f = Forgetting.from_summary("lora", {"probe_base": 0.78, "probe_adapted": 0.35,
...     "forgetting_drop": 0.43, "forgetting_ci95": [0.27, 0.58], "probe_questions": 40})
>>> f.counts, f.retained
(True, 0.449)
>>> f.numbers()
'general probe 0.78 → 0.35 (45% retained; forgetting drop 0.430, 95% interval 0.27 to 0.58)'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from assistant.advice.rules import ACT_DROP
from eval.kinds import ADAPTER_TRIALS


@dataclass(frozen=True)
class Forgetting:
    trial: str
    base: float
    adapted: float
    drop: float
    ci95: tuple[float, float] | None = None  # None: stored before the interval existed

    @property
    def retained(self) -> float | None:
        """Share of the base model's probe score the adapter kept (adapted / base)."""
        return round(self.adapted / self.base, 3) if self.base > 0 else None

    @property
    def counts(self) -> bool:
        """The drop exceeds ACT_DROP even at the low end of its interval."""
        return self.ci95 is not None and self.ci95[0] > ACT_DROP

    def numbers(self) -> str:
        """The numbers behind the risk, as in the module's example."""
        kept = f"{self.retained:.0%} retained; " if self.retained is not None else ""
        interval = (f", 95% interval {self.ci95[0]:.2f} to {self.ci95[1]:.2f}"
                    if self.ci95 else "")  # fmt: skip
        return (f"general probe {self.base:.2f} → {self.adapted:.2f} "
                f"({kept}forgetting drop {self.drop:.3f}{interval})")  # fmt: skip

    def to_dict(self) -> dict[str, Any]:
        return {"trial": self.trial, "base": self.base, "adapted": self.adapted,
                "drop": self.drop, "ci95": list(self.ci95) if self.ci95 else None}  # fmt: skip

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Forgetting:
        ci = data.get("ci95")
        return cls(str(data["trial"]), float(data["base"]), float(data["adapted"]),
                   float(data["drop"]), (float(ci[0]), float(ci[1])) if ci else None)  # fmt: skip

    @classmethod
    def from_summary(cls, trial: str, summary: dict[str, Any]) -> Forgetting | None:
        """From a trial summary; None when the drop was not measured."""
        drop, ci = summary.get("forgetting_drop"), summary.get("forgetting_ci95")
        if not _is_num(drop):
            return None
        base, adapted = summary.get("probe_base"), summary.get("probe_adapted")
        base = float(base) if _is_num(base) else float(drop)
        adapted = float(adapted) if _is_num(adapted) else base - float(drop)
        bounds = (float(ci[0]), float(ci[1])) if ci and len(ci) == 2 else None
        return cls(trial, base, adapted, float(drop), bounds)


def measured(trials: dict[str, dict[str, Any]]) -> Forgetting | None:
    """The forgetting of the run's adapter trials that finished, the worst one first."""
    found = [
        f
        for name in ADAPTER_TRIALS
        if (trial := trials.get(name)) and trial.get("status") == "finished"
        and (f := Forgetting.from_summary(name, trial.get("summary") or {}))
    ]  # fmt: skip
    return max(found, key=lambda f: f.drop, default=None)


def _is_num(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
