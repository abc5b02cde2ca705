"""Evaluation pairs for knowledge trials: from the user's Q/A file, or generated from
their documents (split by `eval.data.split`, the rule both kinds share)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

from eval.config import KnowledgeConfig
from knowledge.text import normalize
from knowledge.types import Chunk, QAPair


@dataclass(frozen=True)
class EvalPair:
    """A question with its reference answer; generated pairs keep their source chunk."""

    id: str
    question: str
    answer: str
    source: str = ""
    chunk_id: str = ""
    generated: bool = False
    kind: str = "uploaded"  # or "question" / "cloze" when generated (eval.questions.generate)

    @property
    def leak_key(self) -> str:
        """Two pairs asking the same question, however cased or spaced, are one."""
        return normalize(self.question)

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


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


# --- generation from documents -------------------------------------------------------


def generate_pairs(
    chunks: Sequence[Chunk], chat, config: KnowledgeConfig, progress=None, cancel=None
) -> list[EvalPair]:
    """Checked question/answer pairs from the documents (see eval.questions.generate)."""
    from eval.questions.generate import generate_questions

    report = generate_questions(
        chunks, chat, config.generate_pairs, seed=config.seed, progress=progress, cancel=cancel
    )
    return [
        EvalPair(f"g{i + 1}", p.question, p.answer, p.source, p.chunk_id, True, p.kind)
        for i, p in enumerate(report.pairs)
    ]
