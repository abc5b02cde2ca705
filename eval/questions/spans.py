"""Answer spans a reader would ask about, in the sentences of a document.

The deterministic half of question generation (`eval.questions.generate`): which sentences say
something, where a number with its unit, a time, a date, an amount, a code or a name is,
and which sentences have a form whose question is written by rule
(`eval.questions.forms`). Each finding is a `Candidate`; the model never picks answers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from eval.questions.forms import form_questions, strip_number
from knowledge.types import Chunk

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


@dataclass(frozen=True)
class Candidate:
    """An answer span in a sentence, with the kind of thing it is."""

    sentence: str
    answer: str
    kind: str
    chunk: Chunk
    question: str = ""  # already written by a sentence form; else the model writes it


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

    A sentence in one of the forms of `eval.questions.forms` gives one candidate whose
    question is already written; other sentences give one per answer span.
    """
    out: list[Candidate] = []
    found = [strip_number(s) for s in sentences(chunk.text)]
    if found and not re.search(r"[.!?:;\"”')]$", found[-1]):
        found.pop()  # cut off by the chunk's end ("must retain the above copyright")
    for sentence in found:
        formed = form_questions(sentence, where)
        if formed:
            out += [Candidate(sentence, a, kind, chunk, q) for kind, q, a in formed]
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
