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
from eval.scoring.metrics import contains
from eval.scoring.stats import forgetting_measurable, mean_ci

PROBE_FILE = Path(__file__).resolve().parent / "general.jsonl"
PROBE_SYSTEM = "Answer in as few words as possible."


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


def forgetting_numbers(base: list[float], adapted: list[float]) -> dict[str, Any]:
    """Probe scores before and after; the drop (with its interval) only when the base can
    show one: a base that scores near zero has nothing left to lose.
    """
    base_mean = sum(base) / len(base) if base else 0.0
    adapted_mean = sum(adapted) / len(adapted) if adapted else 0.0
    out: dict[str, Any] = {
        "probe_base": round(base_mean, 4),
        "probe_adapted": round(adapted_mean, 4),
        "probe_questions": len(base),
    }
    if forgetting_measurable(base):
        diffs = [b - a for b, a in zip(base, adapted, strict=True)]
        out["forgetting_drop"] = round(base_mean - adapted_mean, 4)
        out["forgetting_ci95"] = list(mean_ci(diffs))
    else:
        out["forgetting_note"] = (
            f"forgetting not measurable with this model: the base scores {base_mean:.2f} on the "
            "general probe, too low for a drop to show"
        )
    return out
