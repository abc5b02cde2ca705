"""The update drill's figures per arm: the share of changed questions answered with the new
value and with the old one (Wilson 95% intervals), and the seconds and cost until correct.

"Correct" is a bar, not a hope: an arm is correct after its update when it gives the new
value for at least CORRECT_SHARE of the changed questions (the issue's own bar for RAG).
An arm that stays below it has no `seconds_to_correct` (null), whatever it spent; the
seconds it did spend stay in `update_seconds`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from assistant.core.rates import CostRates
from eval.scoring.intervals import wilson_interval
from eval.scoring.metrics import contains

CORRECT_SHARE = 0.8
ARM_LABELS = {
    "rag": "RAG after re-indexing the changed files",
    "lora-stale": "LoRA adapter as trained (stale)",
    "lora-retrained": "LoRA adapter retrained within the budget",
}


def share(hits: Sequence[bool]) -> dict[str, Any]:
    """Count, share and Wilson 95% interval of `hits`.

    >>> share([True, True, False, True])
    {'n': 3, 'share': 0.75, 'ci95': [0.3006, 0.9544]}
    """
    n, count = len(hits), sum(bool(h) for h in hits)
    value = count / n if n else 0.0
    return {"n": count, "share": round(value, 4), "ci95": list(wilson_interval(value, n))}


def arm_figures(
    predictions: Sequence[str], changes: Sequence[Any], update: str,
    update_seconds: float | None, rates: CostRates, device: str = "cpu",
    before: Sequence[str] | None = None, labels: Sequence[str] = (),
) -> dict[str, Any]:  # fmt: skip
    """One arm's figures on the changed questions (`changes`: FactChange-like, in order).

    `update` says what the arm did to catch up ("" for none); `before` holds the arm's
    answers to the same questions before the change, when the run has them; `labels` why
    each answer missed the new value (`eval.scoring.attribution`), counted in `failures`.
    """
    new = share([contains(p, c.new) for p, c in zip(predictions, changes, strict=True)])
    old = share([contains(p, c.old) for p, c in zip(predictions, changes, strict=True)])
    cost = price(update_seconds, rates, device)
    correct = update_seconds is not None and new["share"] >= CORRECT_SHARE
    out = {
        "questions": len(predictions),
        "new_value": new["n"], "new_value_share": new["share"], "new_value_ci95": new["ci95"],
        "old_value": old["n"], "old_value_share": old["share"], "old_value_ci95": old["ci95"],
        "update": update, "update_seconds": _round(update_seconds),
        "update_cost_usd": cost,
        "seconds_to_correct": _round(update_seconds) if correct else None,
        "cost_to_correct_usd": cost if correct else None,
        "answers": list(predictions),
    }  # fmt: skip
    if before is not None:
        right = share([contains(p, c.old) for p, c in zip(before, changes, strict=True)])
        out["before_share"] = right["share"]  # the old (then right) value, before the change
    if labels:
        out["labels"] = list(labels)
        out["failures"] = dict(Counter(label for label in labels if label != "correct"))
    return out


def price(seconds: float | None, rates: CostRates, device: str = "cpu") -> float | None:
    """Seconds of compute at the team's hourly rate for that hardware (None for none).

    Not rounded to cents: re-indexing one file costs a fraction of a cent, and "$0.00"
    would hide that it is ten thousand times cheaper than a retraining.

    >>> price(3600, CostRates(cpu_serving_hour_usd=0.1))
    0.1
    """
    if seconds is None:
        return None
    return float(f"{seconds * rates.serving_hour(device) / 3600:.3g}")


def _round(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds, 2)


def drill_lines(drill: dict[str, Any]) -> list[str]:
    """The drill in plain sentences, for the CLI, the Trials tab and the report alike."""
    if not drill:
        return []
    if drill.get("error"):
        return [f"Update drill failed: {drill['error']}"]
    files = drill.get("files") or []
    where = f"{len(files)} file(s): {', '.join(files) or 'none'}"
    if drill.get("source") == "uploaded":
        head = (f"Update drill on your new versions ({where}): {drill['changed']} held-out "
                "questions now have another answer")  # fmt: skip
    else:
        head = (f"Update drill: {drill['changed']} facts changed behind {drill['percent']}% of "
                f"the held-out questions ({where})")  # fmt: skip
    known = drill.get("known_before", 0)
    lines = [f"{head}; {known} of them the run answered right before the change."]
    for arm, fig in (drill.get("arms") or {}).items():
        lines.append(f"{ARM_LABELS.get(arm, arm)}: {arm_sentence(fig)}")
    return lines + list(drill.get("notes") or [])


def arm_sentence(fig: dict[str, Any]) -> str:
    """'new value 4 of 4 (100%, 95% 51–100%), old value 0 of 4; re-indexed … : correct after
    0.8 s ($2e-05)'."""
    n = fig["questions"]
    low, high = fig["new_value_ci95"]
    text = (f"new value {fig['new_value']} of {n} ({fig['new_value_share']:.0%}, 95% "
            f"{low:.0%}–{high:.0%}), old value {fig['old_value']} of {n}")  # fmt: skip
    if fig.get("failures"):
        from eval.scoring.attribution import LABEL_NAMES

        missed = ", ".join(f"{LABEL_NAMES.get(k, k)} {n}" for k, n in fig["failures"].items())
        text += f" (misses: {missed})"
    if not fig.get("update"):
        return text + "; no update: not correct until it is retrained"
    text += f"; {fig['update']}"
    if fig.get("seconds_to_correct") is not None:
        seconds, cost = fig["seconds_to_correct"], usd(fig["cost_to_correct_usd"])
        return text + f": correct after {seconds:g} s ({cost})"
    return text + (f": not correct after {fig['update_seconds']:g} s "
                   f"({usd(fig['update_cost_usd'])}; the bar is {CORRECT_SHARE:.0%})")  # fmt: skip


def usd(value: float | None) -> str:
    """Dollars readable at any size: '$0.0042', 'under $0.0001', '—' for none.

    >>> usd(0.0042), usd(1.41e-06), usd(None)
    ('$0.0042', 'under $0.0001', '—')
    """
    if value is None:
        return "—"
    return "under $0.0001" if value < 0.0001 else f"${value:,.4f}"
