"""Evaluation pairs: from the user's Q/A file, or generated from their documents; split.

The held-out split is what every trial is scored on and what the LoRA run must never
see: `split_pairs` is seeded and deterministic, and `assert_no_leakage` checks it.
"""

from __future__ import annotations

import math
import random
import re
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
    n_held = min(wanted, n - max(1, math.ceil(0.2 * n)))
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

GEN_SYSTEM = (
    "You write quiz questions. Given a text, write one question that the text answers, "
    "and its short answer copied from the text. Reply exactly as:\nQ: ...\nA: ..."
)
_QA_REPLY = re.compile(r"Q:\s*(?P<q>.+?)\s*A:\s*(?P<a>.+)", re.S | re.I)
_SPAN = re.compile(
    r"\b\d[\d,.:/%-]*\b(?:\s+(?:days?|weeks?|months?|years?|hours?|minutes?|percent|%))?"
    r"|\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)+\b"
)
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def parse_generated(reply: str, chunk_text: str) -> tuple[str, str] | None:
    """(question, answer) when the reply has both and the answer is really in the text."""
    match = _QA_REPLY.search(reply)
    if not match:
        return None
    question = match["q"].strip().splitlines()[0]
    answer = match["a"].strip().splitlines()[0].strip(" .")
    if not question.endswith("?") or not answer or len(answer.split()) > 8:
        return None
    if normalize(answer) not in normalize(chunk_text):
        return None
    return question, answer


def cloze_pair(chunk: Chunk, rng: random.Random) -> tuple[str, str] | None:
    """A fill-in-the-blank pair from a sentence with a number or a name: always grounded."""
    candidates = []
    for sentence in _SENTENCE.split(chunk.text):
        for match in _SPAN.finditer(sentence):
            if 6 <= len(sentence.split()) <= 40:
                candidates.append((sentence, match))
    if not candidates:
        return None
    sentence, match = rng.choice(candidates)
    blanked = sentence[: match.start()] + "____" + sentence[match.end() :]
    return f"Fill in the blank: {blanked.strip()}", match.group(0)


def generate_pairs(chunks: Sequence[Chunk], chat, config: TrialConfig, progress=None) -> list:
    """Up to `generate_pairs` grounded pairs: the chat model first, cloze as a fallback."""
    rng = random.Random(config.seed)
    pool = [c for c in chunks if len(c.text.split()) >= 12]
    rng.shuffle(pool)
    out: list[EvalPair] = []
    seen: set[str] = set()
    for i, chunk in enumerate(pool):
        if len(out) >= config.generate_pairs:
            break
        if progress:
            progress("generating Q/A pairs", len(out), config.generate_pairs)
        messages = [
            {"role": "system", "content": GEN_SYSTEM},
            {"role": "user", "content": chunk.text[:1200]},
        ]
        pair = parse_generated(chat.chat(messages, max_tokens=80).text, chunk.text)
        pair = pair or cloze_pair(chunk, rng)
        if pair and normalize(pair[0]) not in seen:
            seen.add(normalize(pair[0]))
            out.append(EvalPair(f"g{i + 1}", pair[0], pair[1], chunk.source, chunk.id, True))
    return out
