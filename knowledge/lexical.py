"""Sentences picked by shared words alone: cited quotes while no embedder is loaded yet.

Right after a cold start the embedder and the guidance index take ~10 s to load (5 s
model, 4 s first indexing, bench/load.py --cold). A side question asked meanwhile would
wait for them. Word overlap weighted by rarity (BM25's idea, without a library for ~400
sentences) finds the sentences that share the question's rarer words, which is enough
to quote the right guidance section at once; the model's summary then follows as usual.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from knowledge.retrieval import split_sentences
from knowledge.text import content_tokens
from knowledge.types import Chunk, Hit

HEADING = re.compile(r"^#{1,6}\s+(.*)$")


@dataclass(frozen=True)
class Sentence:
    text: str
    hit: Hit  # the section it came from, as a citation needs it
    words: frozenset[str]


def sections(path: Path) -> list[Chunk]:
    """A Markdown file's sections (text under each heading) as chunks named after it."""
    out: list[Chunk] = []
    heading, lines = "", []
    for line in [*path.read_text(encoding="utf-8").splitlines(), "# end"]:
        found = HEADING.match(line)
        if found is None:
            lines.append(line)
            continue
        text = "\n".join(lines).strip()
        if text:
            out.append(Chunk(f"{path.name}#{len(out)}", text, path.name, heading=heading))
        heading, lines = found.group(1).strip(), []
    return out


def stems(text: str) -> frozenset[str]:
    """Content words with common English endings cut, so 'examples' meets 'example'."""
    return frozenset(re.sub(r"(?<=\w{3})(ing|ed|s)$", "", w) for w in content_tokens(text))


def sentence_table(chunks: list[Chunk]) -> list[Sentence]:
    return [
        Sentence(text, Hit(chunk, 1.0), stems(text) | stems(chunk.heading))  # in context
        for chunk in chunks
        for text in split_sentences(chunk.text)
        if content_tokens(text)
    ]


def pick(question: str, table: list[Sentence], n: int = 4, min_share: float = 0.34):
    """Up to `n` (sentence, hit) pairs sharing the most rare words with the question,
    in reading order; none unless a sentence holds at least `min_share` of the
    question's weight (so an unrelated question gets "no guidance", not noise)."""
    asked = stems(question)
    if not asked or not table:
        return []
    seen = Counter(w for s in table for w in s.words)
    weight = {w: math.log(1 + len(table) / (1 + seen[w])) for w in asked}
    total = sum(weight.values())
    mean_len = sum(len(s.words) for s in table) / len(table)
    scored = []
    for i, s in enumerate(table):
        share = sum(weight[w] for w in asked & s.words) / total
        scored.append((share, share / (0.75 + 0.25 * len(s.words) / mean_len), i))
    best = sorted((x for x in scored if x[0] >= min_share), key=lambda x: -x[1])[:n]
    return [(table[i].text, table[i].hit) for *_, i in sorted(best, key=lambda x: x[2])]
