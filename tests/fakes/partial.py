"""Behaviour and knowledge runs as users meet them, including one whose LoRA its time
budget stopped early (issue #23): zero-shot 0.00, few-shot 0.55, retrieved shots finished,
LoRA field F1 0.80 but partial at 8 of 35 steps."""

from __future__ import annotations

from typing import Any

from eval.kinds import DECISION_PAIRS
from eval.scoring.comparison import compare
from tests.fakes.runs import CLEAR, ones, stored_run

N = 20
SPEED = {"latency_mean_s": 1.5, "prompt_tokens_mean": 120, "completion_tokens_mean": 30}
ARMS = {
    "prompt": [0.0] * N,
    "few-shot": ones(11, N),
    "retrieved-shots": ones(12, N),
    "lora": ones(16, N),
}
LORA_CUT = {"steps": 8, "planned_steps": 35, "train_seconds": 40.0, "train_examples": 60,
            "stopped_by": "time_budget"}  # fmt: skip


def behaviour_run(run_id: str, *, lora_status: str = "finished") -> dict[str, Any]:
    """A json behaviour run on field F1; with lora_status "partial", cut by its budget.

    The comparisons cover every arm that answered, partial ones too, as `eval.run` stores
    them; the advice is what must leave the unfinished arm out.
    """
    extras = {name: dict(SPEED) for name in ARMS}
    lora = LORA_CUT if lora_status == "partial" else LORA_CUT | {"steps": 35}
    run = stored_run(
        run_id, ARMS, kind="behaviour", task="json", metric="field_f1",
        status="partial" if lora_status == "partial" else "finished",
        statuses={"lora": lora_status}, extras=extras,
        lora_extra=lora | {"stopped_by": lora["stopped_by"] if lora_status == "partial"
                           else "max_steps"},
    )  # fmt: skip
    families = [DECISION_PAIRS["behaviour"]]
    run["run"]["compare"] = [c.to_dict() for c in compare(ARMS, "field_f1", families=families)]
    if lora_status == "partial":
        run["trials"]["lora"]["error"] = "the time budget stopped training at step 8 of 35"
    return run


def knowledge_run(run_id: str) -> dict[str, Any]:
    """A finished knowledge run where RAG clearly beats prompting alone."""
    return stored_run(run_id, CLEAR, extras={name: dict(SPEED) for name in CLEAR})
