"""Evaluation questions generated from the team's documents, the way a person would write them.

Tiny local models cannot reliably pick a good answer AND phrase a question about it, so
the work is split: `eval.questions.spans` finds answers a reader would ask about (and
`eval.questions.forms` writes the question itself for definitions and obligations); the
model only phrases a question for the other spans, as schema-constrained JSON, and
`eval.questions.checks` rejects what a careful reader would. Names and rejected spans
become fill-in-the-blank items, a labelled fallback for at most a third of the set.
Pairs are spread over the files in proportion to their text, so no file is silently
left out, and within a file over the families of question (definitions, obligations,
periods, amounts) in turn, so a licence full of definitions is not asked only those;
this module does that orchestration.
"""

from __future__ import annotations

import random
import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from assistant.core.models.base import ChatModel
from eval.questions.checks import form_ok, question_ok, unambiguous
from eval.questions.forms import FORMS, document_name
from eval.questions.spans import Candidate, candidates
from knowledge.text import normalize
from knowledge.types import Chunk

Progress = Callable[[str, int, int], None]
# Kinds of answer in the order they make good questions (tried first to last within a
# family); the sentence forms (eval.questions.forms) have their question written by rule.
KIND_ORDER = (*FORMS, "quantity", "amount", "time", "date", "name", "count", "code")
# What counsel asks about a licence, taken in turn: seven licences once gave 48 questions
# that were all "what does X mean?", because definitions came first and never ran out.
# Anything else (codes, names: mostly fill-in-the-blank fodder) comes after them.
FAMILIES = ("definitions", "obligations", "periods", "amounts")
FAMILY_OF = {
    "definition": "definitions", "obligation": "obligations", "requirement": "obligations",
    "period": "periods", "termination": "periods", "time": "periods", "date": "periods",
    "payment": "amounts", "price": "amounts", "amount": "amounts", "count": "amounts",
}  # fmt: skip
_TIME_UNIT = re.compile(r"\b(?:hours?|days?|weeks?|months?|years?|minutes?)\b", re.IGNORECASE)
# The model got every question about a name wrong on real text ("Who is the author of the
# STI Pub Companies?"): names are only ever fill-in-the-blank items.
FILL_IN_ONLY = ("name",)
SCHEMA = {
    "type": "object",
    "properties": {"question": {"type": "string", "maxLength": 200}},
    "required": ["question"],
}
SYSTEM = (
    "You write one short quiz question about a sentence. The given answer must answer the "
    "question. Never put the answer in the question."
)
EXAMPLE = (
    "Sentence: The night shift starts at 22:00 and ends at 06:00.\nAnswer: 22:00",
    '{"question": "When does the night shift start?"}',
)


@dataclass(frozen=True)
class GeneratedPair:
    question: str
    answer: str
    source: str
    chunk_id: str
    kind: str  # "question" (model-written, checked) or "cloze" (fill in the blank)


@dataclass
class GenerationReport:
    """What generation produced, file by file, so a file with nothing is visible."""

    pairs: list[GeneratedPair] = field(default_factory=list)
    per_source: dict[str, dict[str, int]] = field(default_factory=dict)  # kept, quota
    tried: int = 0
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "pairs": [p.__dict__ for p in self.pairs],
            "per_source": self.per_source,
            "tried": self.tried,
            "seconds": round(self.seconds, 1),
            "notes": self.notes,
        }


def family(c: Candidate) -> str:
    """The family of question a candidate makes; a quantity is a period or an amount."""
    if c.kind == "quantity":
        return "periods" if _TIME_UNIT.search(c.answer) else "amounts"
    return FAMILY_OF.get(c.kind, "other")


def spread(pool: Sequence[Candidate]) -> list[Candidate]:
    """The order to try candidates in: one of each family in turn, best kind first, then
    the rest (names, codes).

    >>> from knowledge.types import Chunk
    >>> c = lambda kind, answer="x": Candidate("s", answer, kind, Chunk("c", "", "a.txt"))
    >>> [x.kind for x in spread([c("name"), c("definition"), c("definition"), c("amount"),
    ...                          c("quantity", "30 days"), c("requirement")])]
    ['definition', 'requirement', 'quantity', 'amount', 'definition', 'name']
    """
    queues: dict[str, list[Candidate]] = {f: [] for f in (*FAMILIES, "other")}
    for c in sorted(pool, key=lambda c: KIND_ORDER.index(c.kind)):  # stable: keeps the shuffle
        queues[family(c)].append(c)
    out: list[Candidate] = []
    while any(queues[f] for f in FAMILIES):
        out += [queues[f].pop(0) for f in FAMILIES if queues[f]]
    return out + queues["other"]


def cloze(c: Candidate) -> str:
    return "Fill in the blank: " + c.sentence.replace(c.answer, "____", 1)


def ask_model(chat: ChatModel, c: Candidate) -> str:
    """The model's question for this answer ("" when its reply is not usable JSON)."""
    import json

    messages = [
        {"role": "system", "content": SYSTEM},
        {"role": "user", "content": EXAMPLE[0]},
        {"role": "assistant", "content": EXAMPLE[1]},
        {"role": "user", "content": f"Sentence: {c.sentence}\nAnswer: {c.answer}"},
    ]
    reply = chat.chat(messages, max_tokens=48, json_schema=SCHEMA).text
    try:
        value = json.loads(reply)
    except ValueError:
        return ""
    return str(value.get("question", "")).strip() if isinstance(value, dict) else ""


def quotas(chunks: Sequence[Chunk], target: int) -> dict[str, int]:
    """Pairs per file in proportion to its text (largest remainders), at least one each."""
    sizes: dict[str, int] = {}
    for chunk in chunks:
        sizes[chunk.source] = sizes.get(chunk.source, 0) + len(chunk.text)
    total = sum(sizes.values()) or 1
    exact = {s: target * n / total for s, n in sizes.items()}
    out = {s: max(1, int(v)) for s, v in exact.items()}
    for s in sorted(exact, key=lambda s: exact[s] - int(exact[s]), reverse=True):
        if sum(out.values()) >= target:
            break
        out[s] += 1
    return out


def generate_questions(
    chunks: Sequence[Chunk],
    chat: ChatModel,
    target: int,
    *,
    seed: int = 0,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> GenerationReport:
    """Up to `target` checked pairs spread over the files; see the module docstring."""
    start = time.perf_counter()
    rng = random.Random(seed)
    report = GenerationReport()
    pools: dict[str, list[Candidate]] = {}
    names: dict[str, str] = {}
    for chunk in chunks:
        # A Markdown file's title is its first heading. A text file is named by its file
        # name: licence bundles (matplotlib's, Pillow's) open with one title and hold
        # twenty other licences, and a reviewer rejected every question that credited
        # their definitions to the first one.
        names.setdefault(chunk.source, document_name(chunk.heading, chunk.source))
    for chunk in chunks:
        where = names[chunk.source] if len(names) > 1 else ""
        pools.setdefault(chunk.source, []).extend(candidates(chunk, where))
    for source, pool in pools.items():
        pools[source] = unambiguous(pool)
    for source, pool in pools.items():
        rng.shuffle(pool)
        pools[source] = spread(pool)[::-1]  # pop() takes the next in turn
    shares = quotas(chunks, target)
    report.per_source = {s: {"kept": 0, "quota": q, "cloze": 0} for s, q in shares.items()}
    state = _State(report, pools, target, progress or (lambda *a: None), cancel)
    state.fill(chat, respect_quota=True)
    state.fill(chat, respect_quota=False)  # another file's share when one ran dry
    state.add_cloze(max(1, target // 3))
    empty = [s for s, n in report.per_source.items() if n["kept"] + n["cloze"] == 0]
    if empty:
        report.notes.append("no usable question from: " + ", ".join(sorted(empty)))
    if report.pairs and all(p.kind == "cloze" for p in report.pairs):
        report.notes.append(
            "the model wrote no usable questions, so only fill-in-the-blank items remain; "
            "upload your own Q/A file for a fair test"
        )
    report.seconds = time.perf_counter() - start
    return report


@dataclass
class _State:
    """Bookkeeping for one generation pass (local to one call)."""

    report: GenerationReport
    pools: dict[str, list[Candidate]]
    target: int
    progress: Progress
    cancel: threading.Event | None
    seen: set[tuple[str, str]] = field(default_factory=set)  # (sentence, answer) asked
    sentences: set[str] = field(default_factory=set)  # sentences asked about
    asked: set[str] = field(default_factory=set)  # questions ("You" is defined in two files)
    rejected: list[Candidate] = field(default_factory=list)

    def fill(self, chat: ChatModel, *, respect_quota: bool) -> None:
        budget = 4 * self.target  # model calls: bounds the time on a slow machine
        active = [s for s in self.report.per_source if self.pools.get(s)]
        while active and len(self.report.pairs) < self.target and self.report.tried < budget:
            for source in list(active):
                stats = self.report.per_source[source]
                full = respect_quota and stats["kept"] >= stats["quota"]
                if full or not self.pools[source] or len(self.report.pairs) >= self.target:
                    active.remove(source)
                    continue
                self._try(chat, self.pools[source].pop())

    def _try(self, chat: ChatModel, c: Candidate) -> None:
        from assistant.core.errors import Cancelled

        if self.cancel is not None and self.cancel.is_set():
            raise Cancelled("question generation cancelled")
        key = (normalize(c.sentence), normalize(c.answer))
        if key in self.seen:
            return  # overlapping chunks repeat sentences: no near-duplicate questions
        self.report.tried += 1
        stage = f"writing questions ({self.report.tried} sentences tried)"
        self.progress(stage, len(self.report.pairs), self.target)
        if c.kind in FILL_IN_ONLY and not c.question:
            self.rejected.append(c)  # never asked of the model: a blank at most
            return
        question = c.question or ask_model(chat, c)
        if normalize(question) in self.asked:
            return  # the same question with another answer would be ambiguous
        if form_ok(question, c) if c.question else question_ok(question, c):
            self._keep(c, question, "question")
        else:
            self.rejected.append(c)

    def _keep(self, c: Candidate, question: str, kind: str) -> None:
        self.seen.add((normalize(c.sentence), normalize(c.answer)))
        self.sentences.add(normalize(c.sentence))
        self.asked.add(normalize(question))
        pair = GeneratedPair(question, c.answer, c.chunk.source, c.chunk.id, kind)
        self.report.pairs.append(pair)
        self.report.per_source[c.chunk.source]["kept" if kind == "question" else "cloze"] += 1
        self.progress("writing questions", len(self.report.pairs), self.target)

    def add_cloze(self, limit: int) -> None:
        """Fill-in-the-blank items for sentences the model could not ask about, capped."""
        added, blanked = 0, set()
        for c in self.rejected:
            if len(self.report.pairs) >= self.target or added >= limit:
                return
            blank = (c.chunk.source, normalize(c.answer))  # overlapping chunks cut a
            if normalize(c.sentence) not in self.sentences and blank not in blanked:  # twice
                self._keep(c, cloze(c), "cloze")
                blanked.add(blank)
                added += 1
