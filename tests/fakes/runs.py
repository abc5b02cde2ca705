"""Stored runs shaped like `Store.get_run` results, built from per-item scores (no database).

Comparisons come from the real `eval.scoring.comparison.compare`, so a test states item scores and
gets exactly the verdicts, intervals and items-needed a trial would store.
"""

from __future__ import annotations

from typing import Any

from eval.kinds import DECISION_PAIRS
from eval.scoring.comparison import compare

MODEL = "SmolLM2-135M-Instruct"
TEAM_MODEL = "team-7b.Q4_K_M.gguf"  # a run on the team's own model, which may decide


def stored_run(
    run_id: str,
    items: dict[str, list[float]],
    *,
    kind: str | None = "knowledge",
    task: str = "",
    metric: str = "contains",
    status: str = "finished",
    statuses: dict[str, str] | None = None,
    with_compare: bool = True,
    lora_extra: dict[str, Any] | None = None,
    extras: dict[str, dict[str, Any]] | None = None,
    model: str = "",
) -> dict[str, Any]:
    """A run of the given trials; `statuses` overrides some trials' status (default finished).

    `kind=None` and `with_compare=False` give a run stored before kinds and comparisons;
    `extras` adds summary keys per trial (speed, training seconds); `model` is the team's
    model file (empty: the run ran on the packaged stand-in).
    """
    statuses = statuses or {}
    trials = {}
    for name, scores in items.items():
        summary: dict[str, Any] = {metric: sum(scores) / len(scores), "n": len(scores)}
        if name == "lora" and lora_extra:
            summary |= lora_extra
        summary |= (extras or {}).get(name, {})
        trials[name] = {"status": statuses.get(name, "finished"), "summary": summary, "error": ""}
    finished = {n: s for n, s in items.items() if trials[n]["status"] == "finished"}
    row: dict[str, Any] = {
        "run_id": run_id,
        "status": status,
        "models": {"chat": model.rsplit("/", 1)[-1] or MODEL, "embedder": "all-MiniLM-L6-v2"},
        "settings": {"chat_model": model},  # "" = the packaged stand-in
    }
    if kind is not None:
        row |= {"kind": kind, "task": task}
    if with_compare:
        families = [DECISION_PAIRS.get(kind or "knowledge", ())]
        row["compare"] = [c.to_dict() for c in compare(finished, metric, families=families)]
    elif kind is not None:
        row["compare"] = None
    return {"run": row, "trials": trials}


def ones(k: int, n: int = 20, *, start: int = 0) -> list[float]:
    """n item scores with k ones starting at `start` (the rest zeros)."""
    return [1.0 if start <= i < start + k else 0.0 for i in range(n)]


def wins_losses(wins: int, losses: int, n: int) -> tuple[list[float], list[float]]:
    """Two 0/1 score lists over n items: the first wins `wins` items, loses `losses`, and
    ties the rest (the first half of the ties both right, the others both wrong).

    >>> wins_losses(1, 1, 4)
    ([1.0, 0.0, 1.0, 0.0], [0.0, 1.0, 1.0, 0.0])
    """
    ties = n - wins - losses
    both = [1.0] * (ties // 2) + [0.0] * (ties - ties // 2)
    return [1.0] * wins + [0.0] * losses + both, [0.0] * wins + [1.0] * losses + both


# One item out of 20 flipped: indistinguishable from noise.
NOISE = {"prompt": ones(2), "rag": ones(3)}
# A large, consistent gap: RAG right on 16 of 20, prompting on 2 of those.
CLEAR = {"prompt": ones(2), "rag": ones(16)}


def drill_record(rag_new: int = 4, stale_new: int = 0, retrained_new: int = 1, n: int = 4):
    """An update drill as a run stores it (`eval.drill`): RAG re-indexed in under a second,
    the adapter stale, a retraining that took minutes."""
    from assistant.core.rates import CostRates
    from eval.drill.measure import arm_figures

    class Change:
        def __init__(self, i: int) -> None:
            self.old, self.new = f"{10 + i} days", f"{30 + i} days"

    changes = [Change(i) for i in range(n)]
    rates = CostRates()

    def said(k: int, old: bool = False) -> list[str]:
        return [c.new if i < k else (c.old if old else "no idea") for i, c in enumerate(changes)]

    arms = {
        "rag": arm_figures(said(rag_new), changes, "re-indexed 1 changed file(s)", 0.8, rates),
        "lora-stale": arm_figures(said(stale_new, old=True), changes, "", None, rates),
        "lora-retrained": arm_figures(
            said(retrained_new), changes, "retrained for 150 s", 152.0, rates
        ),
    }
    return {
        "percent": 20, "asked": n, "changed": n, "files": ["a.md"], "notes": [],
        "changes": [{"question": f"Q{i}?", "old": c.old, "new": c.new, "source": "a.md",
                     "kind": "number", "sentence": f"It takes {c.new}."}
                    for i, c in enumerate(changes)],
        "correct_share": 0.8, "arms": arms, "reindex_seconds": 0.8,
    }  # fmt: skip
