"""Evaluation questions generated from the team's documents, the way a person would write them.

Tiny local models cannot reliably pick a good answer AND phrase a question about it, so
the work is split: a deterministic pass picks answer spans a reader would ask about (a
number with its unit, a time, a date, an amount, a code, a name) in sentences that say
something, and the model only phrases the question for that answer, as schema-constrained
JSON. Every question is then checked: it ends with "?", does not give the answer away,
talks about the sentence, asks for the right kind of thing ("when" for a time, "who" for
a name) and is not a loop of repeated words. Fill-in-the-blank items are a labelled
fallback for at most a third of the set. Pairs are spread over the files in proportion to
their text, so no file is silently left out.
"""

from __future__ import annotations

import random
import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from assistant.core.models.base import ChatModel
from eval.question_forms import FORMS, document_name, form_question, strip_number
from knowledge.text import content_tokens, normalize
from knowledge.types import Chunk

Progress = Callable[[str, int, int], None]
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
)
_CURRENCY = r"(?:NOK|EUR|USD|GBP|SEK|DKK)"
_LIMIT = r"(?:up to|at least|within|maximum of|minimum of|more than|less than|than)"
_UNIT = (
    r"(?:%|percent|per cent|(?:working |calendar )?days?|weeks?|months?|years?|hours?|minutes?"
    r"|seconds?|kg|km|metres?|meters?|tonnes?|pallets?|photographs?|employees?|items?|copies)"
)
# "EUR 11.50 per kilogram", "60 percent of the original freight rate": without it the
# answer is a different fact.
_NOT_UNIT = r"(?:is|are|was|and|or|for|in|on|to|at|when|if|with|plus|including|excluding|from)"
_QUALIFIER = (  # "per pallet movement", "per kilogram of gross weight"
    rf" per [a-z]+(?: (?!{_NOT_UNIT}\b)[a-z]+)?(?: of (?!{_NOT_UNIT}\b)[a-z]+(?: [a-z]+)?)?"
    r"(?=[.,;:)]|\s(?:and|or|if|unless|when|for|is|are|plus)\b|$)"
)
_OF_WHAT = r" of the [a-z]+(?: [a-z]+){0,2}(?= (?:when|if|for|and|or)\b|[.,;]|$)"
# (kind, pattern), most specific first; each match (or its group "a") is a candidate answer.
SPANS: tuple[tuple[str, str], ...] = (
    ("time", r"\b\d{1,2}:\d{2}\b"),
    ("date", rf"\b\d{{1,2}} {_MONTH}(?: \d{{4}})?\b|\b{_MONTH} \d{{4}}\b"),
    ("amount", rf"(?:\b(?:{_CURRENCY}|kr)|[$€£]) ?\d[\d,.]*\b(?:{_QUALIFIER})?"),
    ("amount", rf"\b\d[\d,.]* (?:{_CURRENCY}|kroner|euros?|dollars?)\b(?:{_QUALIFIER})?"),
    ("quantity", rf"\b\d+(?:[.,]\d+)?\s?(?:%|percent|per cent)(?:{_OF_WHAT})?"),
    ("quantity", rf"\b\d+(?:[.,]\d+)?\s?{_UNIT}(?!\w)(?:{_QUALIFIER})?"),
    ("code", r"\b[A-Z]{1,5}-[A-Z0-9]*\d[A-Z0-9-]*\b"),
    ("count", rf"\b{_LIMIT} (?P<a>\d+)\b"),
    ("name", r"\b[A-Z][a-z]+(?: [A-Z][a-z]+)+\b"),
)
# Question words that fit each kind of answer; a question must use one.
ASKS = {
    "time": r"\b(when|what time|time)\b",
    "date": r"\b(when|what date|date|which day|deadline)\b",
    "amount": r"\b(how much|amount|cost|price|fee|charge|rate|limit|maximum|minimum|pay\w*|"
    r"bonus|allowance|liability|value|surcharge)\b",
    "quantity": r"\b(how (many|long|much|often|soon|far|old)|when|within|maximum|minimum|limit|"
    r"period|duration|deadline|weight|height|load|length|rate|percent\w*|surcharge|share)\b",
    "code": r"\b(code|number|reference|room|id|form|which \w+)\b",
    "count": r"\b(how (many|much|long)|maximum|minimum|limit|number)\b",
    "name": r"\b(who|whom|name)\b",
}
# Kinds of answer in the order they make good questions (tried first to last); the first
# three are sentence forms (eval.question_forms) whose question is written by rule.
KIND_ORDER = (*FORMS, "quantity", "amount", "time", "date", "name", "count", "code")
# The model got every question about a name wrong on real text ("Who is the author of the
# STI Pub Companies?"): names are only ever fill-in-the-blank items.
FILL_IN_ONLY = ("name",)
MIN_SHARED_WORDS = 2  # content words a question must share with its sentence
# Words before a number that make it a threshold in a condition. The model asked "what is
# the maximum number of hours a business class flight can be booked?" for "business class
# may be booked for flights of more than 6 hours": such spans are left out.
_CONDITION = re.compile(
    r"\b(?:more than|less than|fewer than|over|under|longer than|shorter than|after|for)\s$",
    re.IGNORECASE,
)
_TITLE_END = re.compile(r"\b(?:License|Licence|Agreement|Version|Policy|Act|Manual|Software)$")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_LINE_START = re.compile(r"^(?:[-*•#|>]|\d+(?:\.\d+)*\.?\s|\([a-z0-9]{1,3}\)\s)")
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
class Candidate:
    """An answer span in a sentence, with the kind of thing it is."""

    sentence: str
    answer: str
    kind: str
    chunk: Chunk
    question: str = ""  # already written by a sentence form; else the model writes it


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


def says_something(sentence: str) -> bool:
    """A sentence, not a heading, label line or table scrap: enough lower-case words."""
    words = sentence.split()
    if not 6 <= len(words) <= 45:
        return False
    lower = sum(1 for w in words if w[:1].islower())
    return lower >= max(3, len(words) // 3) and not re.match(r"^[\w ]{1,30}:\s", sentence)


def sentences(text: str) -> list[str]:
    """The text's sentences, with hard-wrapped lines joined back together.

    Licence and contract texts wrap at 72-80 columns, so a definition spans three lines;
    a line that starts a list item, heading or table row still starts a new sentence.
    """
    out: list[str] = []
    for paragraph in re.split(r"\n\s*\n", text):
        lines: list[str] = []
        for line in (raw.strip() for raw in paragraph.splitlines()):
            if line and lines and not _LINE_START.match(line):
                lines[-1] += " " + line
            elif line:
                lines.append(line)
        for line in lines:
            out += _rejoin_numbers([s for s in _SENTENCE_END.split(line) if s])
    return [" ".join(s.lstrip("-*• ").split()) for s in out]


def _rejoin_numbers(pieces: list[str]) -> list[str]:
    """Glue a lone section number ("1.1.") back onto the sentence it numbers."""
    out: list[str] = []
    for piece in pieces:
        if out and re.fullmatch(r"\d+(?:\.\d+)*\.?", out[-1]):
            out[-1] += " " + piece
        else:
            out.append(piece)
    return out


def candidates(chunk: Chunk, where: str = "") -> list[Candidate]:
    """Answer spans in the chunk's informative sentences, one per span, no overlaps.

    A sentence in one of the forms of `eval.question_forms` gives one candidate whose
    question is already written; other sentences give one per answer span.
    """
    out: list[Candidate] = []
    found = [strip_number(s) for s in sentences(chunk.text)]
    if found and not re.search(r"[.!?:;\"”')]$", found[-1]):
        found.pop()  # cut off by the chunk's end ("must retain the above copyright")
    for sentence in found:
        formed = form_question(sentence, where)
        if formed:
            kind, question, answer = formed
            out.append(Candidate(sentence, answer, kind, chunk, question))
            continue
        if not says_something(sentence):
            continue
        taken: list[tuple[int, int]] = []
        for kind, pattern in SPANS:
            for match in re.finditer(pattern, sentence):
                group = "a" if "a" in match.groupdict() else 0
                span = match.span(group)
                if any(span[0] < end and start < span[1] for start, end in taken):
                    continue
                if kind == "name" and (match.start() == 0 or _TITLE_END.search(match[0])):
                    continue  # a sentence opening, or a document's own name ("License Agreement")
                taken.append(span)
                if _CONDITION.search(sentence[: span[0]]):
                    continue  # "for flights of more than 6 hours" is a condition, not a value
                out.append(Candidate(sentence, match.group(group).strip(" .,"), kind, chunk))
    return out


def question_ok(question: str, c: Candidate) -> bool:
    """The checks a careful reader would apply to a generated question."""
    q = question.strip()
    words = normalize(q).split()
    if not q.endswith("?") or not 4 <= len(words) <= 30:
        return False
    if normalize(c.answer) and normalize(c.answer) in normalize(q):
        return False  # gives the answer away
    if _numbers(c.answer) & _numbers(q):
        return False  # "... on a 1.8 metre pallet?" for "1.8 metres" gives it away too
    trigrams = [tuple(words[i : i + 3]) for i in range(len(words) - 2)]
    if len(trigrams) != len(set(trigrams)):
        return False  # "the answer to the question: the answer to ..."
    about = set(content_tokens(c.sentence)) - set(content_tokens(c.answer))
    if len(about & set(content_tokens(q))) < MIN_SHARED_WORDS:
        return False  # not about this sentence
    if c.kind != "name" and re.match(r"(who|whom)\b", q.lower()):
        return False  # asks for a person, but the answer is not one
    return bool(re.search(ASKS[c.kind], q.lower())) and fits_sentence(q, c)


_DEADLINE_WORDS = r"\b(?:within|how soon|deadline|by when|no later|latest)\b"
_TIME_UNIT = r"\b(?:minute|hour|day|week|month|year)s?\b"
_LIMIT_WORDS = r"\b(?:maximum|minimum|max|min|at most|at least|up to|no more|exceed\w*|limit\w*)\b"


def _numbers(text: str) -> set[str]:
    """The numbers in a text, thousands separators dropped ("3,000" and "3000" match)."""
    return {n.replace(",", "") for n in re.findall(r"\d[\d,]*(?:\.\d+)?", text)}


def fits_sentence(question: str, c: Candidate) -> bool:
    """Reject the model's usual misreadings of a number in its sentence.

    Found by a reviewer on the sample documents: a deadline asked as a duration
    ("how long does it take to report" for "within 2 hours"), a unit that does not
    match ("how many days" → "24 hours"), a limit the sentence never states ("the
    maximum number of working days" for an entitlement), and the wrong thing measured
    ("the standard rate" for "a surcharge of 35 percent").
    """
    q, before = question.lower(), c.sentence[: c.sentence.find(c.answer)].lower()
    if re.search(r"\bwithin(?: the first)?\s$", before) and not re.search(_DEADLINE_WORDS, q):
        return False  # a deadline asked as a duration ("how long does handover take?")
    counted = re.search(r"\b(?:how many|number of) (\w+)(?: (\w+))?", q)
    if counted and c.kind in ("quantity", "count"):
        nouns = [w.rstrip("s") for w in counted.groups() if w]
        if not any(n in c.answer.lower() for n in nouns):
            return False  # "how many days" → "24 hours", "number of exceptions" → "90 days"
    if re.search(r"\bhow much\b", q) and re.search(_TIME_UNIT, c.answer.lower()):
        return False  # "how much" for a period of time
    if re.search(_LIMIT_WORDS, q) and not re.search(_LIMIT_WORDS, c.sentence.lower()):
        return False
    measured = re.search(r"\b([a-z]{3,})\sof\s$", before)
    return not measured or measured[1][:5] in q


def unambiguous(pool: list[Candidate]) -> list[Candidate]:
    """Drop rule-written questions that one file answers in two ways ("You" defined by two
    of the licences bundled in one file)."""
    answers: dict[str, set[str]] = {}
    for c in pool:
        if c.question:
            answers.setdefault(normalize(c.question), set()).add(normalize(c.answer))
    return [c for c in pool if not c.question or len(answers[normalize(c.question)]) == 1]


def form_ok(question: str, c: Candidate) -> bool:
    """A question written by rule: only check that it does not contain its answer."""
    return normalize(c.answer) not in normalize(question)


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
    for pool in pools.values():
        rng.shuffle(pool)
        pool.sort(key=lambda c: KIND_ORDER.index(c.kind), reverse=True)  # pop() takes the best
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
    seen: set[str] = field(default_factory=set)  # sentences asked about
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
        from eval.runners.base import Cancelled

        if self.cancel is not None and self.cancel.is_set():
            raise Cancelled("question generation cancelled")
        key = normalize(c.sentence)
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
        self.seen.add(normalize(c.sentence))
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
            if normalize(c.sentence) not in self.seen and blank not in blanked:  # sentence twice
                self._keep(c, cloze(c), "cloze")
                blanked.add(blank)
                added += 1
