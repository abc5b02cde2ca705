"""Evaluation pairs: from the user's Q/A file, or generated from their documents; split.

The held-out split is what every trial is scored on and what the LoRA run must never
see: `split_pairs` is seeded and deterministic, and `assert_no_leakage` checks it.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from assistant.core.errors import DatasetError
from eval.config import TrialConfig
from eval.metrics import normalize
from knowledge.types import Chunk, QAPair

MIN_PAIRS = 5


@dataclass(frozen=True)
class EvalPair:
    """A question with its reference answer; generated pairs keep their source chunk."""

    id: str
    question: str
    answer: str
    source: str = ""
    chunk_id: str = ""
    generated: bool = False
    kind: str = "uploaded"  # or "question" / "cloze" when generated (eval.questions)

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True)
class Split:
    train: list[EvalPair]
    heldout: list[EvalPair]
    small_sample: bool = False  # fewer held-out pairs than asked for: numbers are noisy


def from_qa_pairs(pairs: Sequence[QAPair], limit: int) -> list[EvalPair]:
    """Uploaded pairs, de-duplicated by normalised question, with stable ids."""
    seen: set[str] = set()
    out: list[EvalPair] = []
    for i, pair in enumerate(pairs):
        key = normalize(pair.question)
        if not key or not pair.answer.strip() or key in seen:
            continue
        seen.add(key)
        out.append(EvalPair(pair.id or f"q{i + 1}", pair.question, pair.answer, pair.source))
    return out[:limit]


def heldout_size(n: int, config: TrialConfig) -> int:
    """How many of n Q/A pairs `split_pairs` holds out (at least 20% always train)."""
    wanted = max(config.heldout_min, math.ceil(config.heldout_fraction * n))
    return min(wanted, n - max(1, math.ceil(0.2 * n)))


def split_pairs(pairs: Sequence[EvalPair], config: TrialConfig) -> Split:
    """Seeded split: held-out = max(heldout_min, fraction × n), leaving ≥ 20% to train."""
    n = len(pairs)
    if n < MIN_PAIRS:
        raise DatasetError(
            f"only {n} usable Q/A pairs; at least {MIN_PAIRS} are needed to split into "
            f"train and held-out (upload more pairs or more documents)"
        )
    order = sorted(pairs, key=lambda p: p.id)
    random.Random(config.seed).shuffle(order)
    wanted = max(config.heldout_min, math.ceil(config.heldout_fraction * n))
    n_held = heldout_size(n, config)
    split = Split(train=order[n_held:], heldout=order[:n_held], small_sample=n_held < wanted)
    assert_no_leakage(split)
    return split


def assert_no_leakage(split: Split) -> None:
    """The held-out questions must not appear in the training data, even re-cased."""
    train = {normalize(p.question) for p in split.train}
    leaked = [p.question for p in split.heldout if normalize(p.question) in train]
    if leaked:
        raise DatasetError(f"held-out questions leaked into training: {leaked[:3]}")


# --- generation from documents -------------------------------------------------------


def generate_pairs(
    chunks: Sequence[Chunk], chat, config: TrialConfig, progress=None, cancel=None
) -> list[EvalPair]:
    """Checked question/answer pairs from the documents (see eval.questions)."""
    from eval.questions import generate_questions

    report = generate_questions(
        chunks, chat, config.generate_pairs, seed=config.seed, progress=progress, cancel=cancel
    )
    return [
        EvalPair(f"g{i + 1}", p.question, p.answer, p.source, p.chunk_id, True, p.kind)
        for i, p in enumerate(report.pairs)
    ]
