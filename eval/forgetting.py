"""General-capability probe: did the fine-tune make the model worse at everything else?

A fixed set of short general questions (facts, arithmetic, simple instructions) shipped
in `eval/data/general.jsonl`, scored on the base model and on the adapted one with the
same decoding. The drop is reported next to the task gain, never hidden.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from assistant.core.models.base import ChatModel
from eval.metrics import contains

PROBE_FILE = Path(__file__).resolve().parent / "data" / "general.jsonl"
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


def probe_score(chat: ChatModel, items: list[ProbeItem], max_tokens: int = 24) -> float:
    """Share of probe questions whose reply contains the expected answer."""
    scores = probe_scores(chat, items, max_tokens)
    return sum(scores) / len(scores) if scores else 0.0
