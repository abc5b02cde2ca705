"""The checks a careful reader applies to a question the model wrote for an answer span.

Each rule is here because a reviewer rejected pairs that broke it: a question that gives
its answer away, is about another sentence, asks for the wrong kind of thing, or misreads
the number it asks about.
"""

from __future__ import annotations

import re

from eval.questions.spans import Candidate
from knowledge.text import content_tokens, normalize

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
}
MIN_SHARED_WORDS = 2  # content words a question must share with its sentence


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
