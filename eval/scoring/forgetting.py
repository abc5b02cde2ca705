"""General-capability probe: did the fine-tune make the model worse at everything else?

A fixed set of short general questions (facts, arithmetic, simple instructions) shipped
in `eval/scoring/general.jsonl`, scored on the base model and on the adapted one with the
same decoding. The drop is reported next to the task gain, never hidden.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.core.models.base import ChatModel
from eval.scoring.comparison import measure
from eval.scoring.intervals import mean_ci
from eval.scoring.metrics import contains

PROBE_FILE = Path(__file__).resolve().parent / "general.jsonl"
PROBE_SYSTEM = "Answer in as few words as possible."
MIN_SCORE_FOR_FORGETTING = 0.2
MAX_CI_WIDTH_FOR_FORGETTING = 0.8


@dataclass(frozen=True)
class ProbeItem:
    id: str
    question: str
    answer: str
    kind: str


def load_probe(path: Path = PROBE_FILE, limit: int | None = None) -> list[ProbeItem]:
    items = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            items.append(ProbeItem(row["id"], row["question"], row["answer"], row["kind"]))
    return stratified(items, limit) if limit and limit < len(items) else items


def stratified(items: list[ProbeItem], limit: int) -> list[ProbeItem]:
    """`limit` items taking each kind in turn, so a short probe still covers every kind.

    The file lists its kinds in blocks; its first 40 items held no instruction-following
    question at all, and forgetting shows first in exactly that kind of answer.
    """
    by_kind: dict[str, list[ProbeItem]] = {}
    for item in items:
        by_kind.setdefault(item.kind, []).append(item)
    queues = [list(group) for group in by_kind.values()]
    picked: list[ProbeItem] = []
    while len(picked) < limit and any(queues):
        for queue in queues:
            if queue and len(picked) < limit:
                picked.append(queue.pop(0))
    return picked


def probe_scores(chat: ChatModel, items: list[ProbeItem], max_tokens: int = 24) -> list[float]:
    """1.0 per probe question whose reply contains the expected answer, else 0.0.

    Per-item scores (not just the mean) let the drop carry a paired interval.
    """
    scores = []
    for item in items:
        messages = [
            {"role": "system", "content": PROBE_SYSTEM},
            {"role": "user", "content": item.question},
        ]
        scores.append(contains(chat.chat(messages, max_tokens=max_tokens).text, item.answer))
    return scores


def forgetting_measurable(base_scores: list[float], *, seed: int = 0) -> bool:
    """Whether the general probe can show a drop for this base model at all.

    Why: if the base model already scores near zero (mean below 0.2) there is nothing
    left to lose, and if its interval spans (almost) the whole 0..1 range (width >= 0.8)
    the probe is too small; either way "no forgetting" would be a false reassurance.
    """
    if not base_scores:
        return False
    if sum(base_scores) / len(base_scores) < MIN_SCORE_FOR_FORGETTING:
        return False
    low, high = mean_ci(base_scores, seed=seed)
    return high - low < MAX_CI_WIDTH_FOR_FORGETTING


def forgetting_numbers(base: list[float], adapted: list[float]) -> dict[str, Any]:
    """Probe scores before and after, the share retained; the drop (with its paired
    interval, the same one verdicts use) only when the base can show one: a base that
    scores near zero has nothing left to lose.

    Why the share retained: a drop of 0.10 is mild from 0.90 and half of everything from
    0.20; `probe_retained` = adapted / base says which.

    >>> forgetting_numbers([1.0] * 8 + [0.0] * 2, [1.0] * 4 + [0.0] * 6)["probe_retained"]
    0.5
    """
    base_mean = sum(base) / len(base) if base else 0.0
    adapted_mean = sum(adapted) / len(adapted) if adapted else 0.0
    out: dict[str, Any] = {
        "probe_base": round(base_mean, 4),
        "probe_adapted": round(adapted_mean, 4),
        "probe_questions": len(base),
        "probe_retained": round(adapted_mean / base_mean, 4) if base_mean > 0 else None,
    }
    if forgetting_measurable(base):
        drop = measure("base", "adapted", base, adapted, "probe")
        out["forgetting_drop"] = round(base_mean - adapted_mean, 4)
        out["forgetting_ci95"] = list(drop.ci95)
        out["forgetting_p"] = drop.p_value
    else:
        out["forgetting_note"] = (
            f"forgetting not measurable with this model: the base scores {base_mean:.2f} on the "
            "general probe, too low for a drop to show"
        )
    return out
