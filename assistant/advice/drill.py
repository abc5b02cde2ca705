"""The update drill as advice: one cited reason quoting what a document change cost each
approach, in the run the recommendation read.

Why a reason and not a verdict: the drill changes a handful of facts (20% of 20 held-out
questions is 4), too few for a paired test to settle anything, but the gap it shows is
rarely subtle: re-indexing took a second, the stale adapter still said the old value, a
retraining took minutes and still missed. So the figures are quoted with their Wilson
intervals and the run they came from, and the basis says the drill was read; the strength
of evidence is left to the verdicts.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from assistant.advice.draft import NOTE, Draft
from assistant.advice.evidence import Evidence, latest
from assistant.advice.profile import Profile
from assistant.advice.trial_wording import (
    DRILL_ARMS,
    DRILL_CHANGE,
    DRILL_CORRECT,
    DRILL_FAST,
    DRILL_NOT_CORRECT,
    DRILL_SLOW,
)


def cite_drill(p: Profile, evidence: Sequence[Evidence], d: Draft, model: str) -> bool:
    """Quote the newest knowledge run's update drill when it measured an arm."""
    e = latest(evidence, "knowledge")
    if e is None or not e.drill:
        return False
    arms = [arm_text(name, fig) for name, fig in e.drill["arms"].items() if name in DRILL_ARMS]
    if not arms:
        return False
    text = "; ".join(arms)
    change = DRILL_CHANGE.get(p.knowledge_change, p.knowledge_change)
    fast = p.knowledge_change in ("monthly", "weekly", "daily")
    lesson = (DRILL_FAST if fast else DRILL_SLOW).format(change=change)
    changed = e.drill.get("changed", len(e.drill.get("changes") or []))
    added = d.why("update_drill", on=NOTE, run_id=e.run_id, model=model, changed=changed,
                  arms=text, lesson=lesson)  # fmt: skip
    if added:
        d.drills.append(e.run_id)
    return added


def arm_text(name: str, fig: dict[str, Any]) -> str:
    """One arm's clause: new (and old) values out of the changed questions, and the update.

    >>> text = arm_text("rag", {"questions": 4, "new_value": 4, "old_value": 0,
    ...     "new_value_share": 1.0, "new_value_ci95": [0.51, 1.0], "update_seconds": 0.8,
    ...     "update_cost_usd": 2e-05, "seconds_to_correct": 0.8, "cost_to_correct_usd": 2e-05})
    >>> text.removeprefix("RAG after re-indexing the changed files gave the new value for ")
    '4 of 4 (100%, 95% 51%–100%) after 0.8 s (under $0.0001)'
    """
    from eval.drill.measure import usd

    low, high = fig["new_value_ci95"]
    timing = ""
    if fig.get("update_seconds") is not None:
        form = DRILL_CORRECT if fig.get("seconds_to_correct") is not None else DRILL_NOT_CORRECT
        timing = form.format(seconds=f"{fig['update_seconds']:g}", cost=usd(fig["update_cost_usd"]))
    return DRILL_ARMS[name].format(
        new=fig["new_value"], old=fig["old_value"], n=fig["questions"],
        share=f"{fig['new_value_share']:.0%}", low=f"{low:.0%}", high=f"{high:.0%}", timing=timing,
    )  # fmt: skip
