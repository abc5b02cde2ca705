"""Questions written by rule from sentence forms that contracts and policies use a lot.

Why: the packaged 135M model phrases a question well for a time or an amount in a plain
sentence, but on legal text it wrote garbled questions ("How many days have you been
non-compliant?") and the set fell back to fill-in-the-blank. Yet such documents are
mostly definitions and obligations, and those have one natural question each:

- `"Licensor" shall mean the copyright owner ...` → What does "Licensor" mean?
- `The above copyright notice ... shall be included in all copies ...`
  → What shall be included in all copies ...?
- `Redistributions of source code must retain the above copyright notice ...`
  → What must redistributions of source code retain?
- `Licensee shall notify Licensor of any incident within 72 hours of its discovery.`
  → Within what period shall Licensee notify Licensor of any incident?
- `Licensee shall pay Licensor an annual licence fee of EUR 12,000 ...`
  → What annual licence fee shall Licensee pay?  `The support fee is EUR 2,400 per year.`
  → What is the support fee?

Counsel's own questions on licences ask about obligations, periods and amounts as much
as definitions, so each has a form; one sentence may fit several (a payment due within
30 days is both an amount and a period) and gives a question for each.

Each form is a regex plus a builder (a registry, like the answer spans in
`eval.questions.generate`); a builder returns None when the sentence does not fit cleanly, so a
form either writes a question a reader would accept or writes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable

Built = tuple[str, str] | None  # (question, answer)
MAX_ANSWER_WORDS = 22
# Where a long definition or object can end without losing its sense.
_CLAUSE_ENDS = re.compile(
    r";|,\s(?:including|provided|whether|as\s|except|excluding|but\s|so\s|which\s|who\s)"
)
MAX_REST_WORDS = 12  # "What must be <verb>ed <rest>?"
MIN_CUT_WORDS = 5  # a shorter head ("any work of authorship") loses what defines it
# Where an object noun phrase ends and an adjunct ("within 30 days") begins.
_ADJUNCT = re.compile(
    r"\s(?:within|before|after|by|when|if|unless|until|during|at least|no later|for a period)\b"
)
# Verbs whose object is the thing required ("must retain X"), not a person ("give X Y").
OBJECT_VERBS = (
    "retain|reproduce|include|display|contain|carry|keep|preserve|pay|obtain|use|maintain"
    "|report|submit|complete|record|wear|return|attach|follow|sign|accompany|identify|state"
)
_DANGLING = {"the", "a", "an", "of", "by", "to", "or", "and", "for", "with", "in", "on", "that",
             "following"}  # fmt: skip
_NOT_NOUN = r"(?:to|that|with|in|on|at|for|from|by|be|not|also|if|when|as|only|or|and)"
_ANAPHORIC = {"such", "this", "these", "those", "it", "they", "said"}
_MODAL = r"\b(?:shall|must|may|will|should)\b"
_DETERMINERS = r"(?:the|a|an|all|any|this|these|those|each|its|their|your|his|her|such|one)"


def _trim(text: str) -> str | None:
    """A definition or object cut at a clause end; None if that fails.

    Cut only where the head is whole: at least five words and no comma of its own
    ("having the right to grant, to the maximum extent possible" is half a thought).
    """
    text = " ".join(text.split()).rstrip(" .,;:")  # asides stay: "(if any)" is law too
    cut = _CLAUSE_ENDS.search(text)
    if cut:
        head = text[: cut.start()].rstrip(" ,")
        if len(head.split()) < MIN_CUT_WORDS or "," in head:
            return None
        text = head
    words = text.split()
    if not 1 <= len(words) <= MAX_ANSWER_WORDS or words[-1].lower() in _DANGLING:
        return None
    if words[0].lower() in _ANAPHORIC:
        return None  # "Such description": which one is in the sentence before
    return text


def _definition(m: re.Match) -> Built:
    answer = _trim(m["body"])
    extra = f" {m['extra']}" if m["extra"] else ""
    return (f'What does "{m["term"]}"{extra} mean?', answer) if answer else None


def _passive(m: re.Match) -> Built:
    rest = " ".join(m["rest"].split()).rstrip(" .")
    if len(rest.split()) > MAX_REST_WORDS or re.search(r"[,;:]", rest) or re.search(_MODAL, rest):
        return None  # a question must stay short enough to read as one
    answer = _trim(m["x"])
    return (f"What {m['modal']} be {m['verb']} {rest}?", answer) if answer else None


def _active(m: re.Match) -> Built:
    subject = _subject(m["subj"])
    obj = m["obj"]
    adjunct = _ADJUNCT.search(obj)
    if adjunct and len(obj[: adjunct.start()].split()) >= 2:
        obj = obj[: adjunct.start()]
    answer = _trim(obj)
    return (f"What {m['modal']} {subject} {m['verb']}?", answer) if answer else None


def _subject(subject: str) -> str:
    """ "Employees" reads "employees" mid-question; a defined party keeps its capital."""
    if subject.split()[0] in {"You", "Licensee", "Licensor"}:
        return subject
    return subject[0].lower() + subject[1:]


def _short(text: str) -> str | None:
    """A predicate short and plain enough to sit inside a question, else None."""
    text = " ".join(text.split()).rstrip(" .,")
    if len(text.split()) > MAX_REST_WORDS or re.search(r"[,;:]", text) or re.search(_MODAL, text):
        return None
    return text


def _period(m: re.Match) -> Built:
    predicate = _short(m["pred"])
    if predicate is None:
        return None
    ask = "Within what period" if m["prep"] != "for" else "For how long"
    return f"{ask} {m['modal']} {_subject(m['subj'])} {predicate}?", m["period"]


def _termination(m: re.Match) -> Built:
    thing = _short(m["x"])
    answer = _trim(m["when"])
    if not thing or not answer or thing.split()[0].lower() in {"such", "it", "they", "said"}:
        return None  # "This License" names itself; "Such rights" needs the sentence before
    return f"When {m['modal']} {_subject(thing)} terminate?", answer


def _payment(m: re.Match) -> Built:
    noun = _short(m["noun"])
    return (f"What {noun} {m['modal']} {_subject(m['subj'])} pay?", m["amount"]) if noun else None


def _price(m: re.Match) -> Built:
    thing = _short(m["x"])
    return (f"What is {thing[0].lower()}{thing[1:]}?", m["amount"]) if thing else None


_TERM = r"[\"“](?P<term>[A-Z][\w\- ]{0,40}?)[\"”]"
_SPELLED = r"(?:[a-z]+(?:[- ][a-z]+)?\s\()?\d+\)?"  # "30", "thirty (30)", "twenty-one (21)"
PERIOD = rf"{_SPELLED}\s(?:business\s|working\s|calendar\s)?(?:hours?|days?|weeks?|months?|years?)"
AMOUNT = r"(?:(?:USD|EUR|GBP|NOK|SEK|DKK)\s?|[$€£])\d[\d,.]*\d(?:\s(?:per|a|each)\s[a-z]+)?"
_SUBJECT = r"(?P<subj>[A-Z][\w ]{2,60}?)\s(?P<modal>must|shall|will)\s"
FORMS: dict[str, tuple[re.Pattern, Callable[[re.Match], Built]]] = {
    "definition": (
        re.compile(
            rf"^{_TERM}(?:\s*\((?:or|and)\s[\"“][^\"”]+[\"”]\))?(?:\s(?P<extra>[a-z]+))?,?\s"
            r"(?:shall mean|means|refers to)\s(?P<body>.+)$"
        ),
        _definition,
    ),
    "obligation": (
        re.compile(
            r"^(?P<x>(?:The|Any|All|Each|A|An)\s[^,;]{3,100}?)\s"
            r"(?P<modal>shall|must)\sbe\s(?P<verb>[a-z]+(?:ed|en))\s(?P<rest>[^;]{3,140})$"
        ),
        _passive,
    ),
    "requirement": (
        re.compile(
            r"^(?P<subj>[A-Z][\w ]{2,60}?)\s(?P<modal>must|shall)\s"
            rf"(?P<verb>{OBJECT_VERBS})\s(?P<obj>(?:{_DETERMINERS}\s|(?!{_NOT_NOUN}\b)[a-z])"
            r"[^;]{3,160})$"
        ),
        _active,
    ),
    "period": (  # a deadline or a duration tied to a duty
        re.compile(
            rf"^{_SUBJECT}(?P<pred>[a-z][^;]{{2,120}}?)\s(?:(?P<prep>within|no later than|for)"
            rf"\s(?:a period of\s)?(?:at least\s)?)(?P<period>{PERIOD})\b[^;]*$"
        ),
        _period,
    ),
    "termination": (  # "... will terminate automatically if You fail to comply ..."
        re.compile(
            r"^(?:If\s[^;]{3,200}?,\sthen\s)?(?P<x>[A-Za-z][^,;]{3,90}?)\s(?P<modal>shall|will)\s"
            r"(?:automatically\s)?terminate\s(?P<when>(?:automatically\s)?(?:as of|on|upon|when|if"
            r"|at)\s[^;]{3,120})$"
        ),
        _termination,
    ),
    "payment": (
        re.compile(
            rf"^{_SUBJECT}pay\s(?:(?:to\s)?[A-Z]\w+\s)?(?:a|an|the)\s"
            rf"(?P<noun>[a-z][a-z\- ]{{2,40}}?)\sof\s(?P<amount>{AMOUNT})\b[^;]*$"
        ),
        _payment,
    ),
    "price": (  # "The support fee is EUR 2,400 per year."
        re.compile(
            rf"^(?P<x>The\s[a-z][\w\- ]{{2,50}}?)\s(?:is|shall be|will be|amounts to)\s"
            rf"(?P<amount>{AMOUNT})\b[^;]*$"
        ),
        _price,
    ),
}


def strip_number(sentence: str) -> str:
    """Drop a leading section number ("1.1.", "4.", "(a)") that would start the match."""
    return re.sub(r"^(?:\d+(?:\.\d+)*\.?|\([a-z0-9]{1,3}\))\s+", "", sentence)


def form_question(sentence: str, where: str = "") -> tuple[str, str, str] | None:
    """(kind, question, answer) of the first form the sentence has, else None."""
    found = form_questions(sentence, where)
    return found[0] if found else None


def form_questions(sentence: str, where: str = "") -> list[tuple[str, str, str]]:
    """(kind, question, answer) for every form the sentence has, in FORMS order.

    `where` ("the Apache License") goes in front: a reviewer rejected 'What does "You"
    mean?' because two licences in the set define "You" differently.
    """
    text = strip_number(sentence).rstrip(".")
    if text.endswith(":"):
        return []  # a lead-in to a list: its answer is the list
    out = []
    for kind, (pattern, build) in FORMS.items():
        match = pattern.match(text)
        built = build(match) if match else None
        if built:
            question, answer = built
            if where:
                question = f"In {where}, {question[0].lower()}{question[1:]}"
            out.append((kind, question, answer))
    return out


def document_name(title: str, source: str) -> str:
    """How a question names its document: "the Employee Handbook", else the file name.

    From the document's title heading ("Skarvholm Freight Cooperative - Employee Handbook
    (Excerpts)" → "the Employee Handbook"), when it reads like a title.
    """
    line = next((ln for ln in title.splitlines() if ln.strip(" #=-")), "")
    line = re.sub(r"\s*\([^()]*\)", "", line.strip(" #=")).split(" - ")[-1].strip()
    words = line.split()
    upper = sum(w.isupper() and len(w) > 1 for w in words)
    bad = re.match(r"(?:[A-Z0-9]{1,3}\.\s|copyright\b)", line, re.IGNORECASE)
    unfinished = words and words[-1].lower() in {"is", "are", "was", "of", "and", "the", "by"}
    if not 1 <= len(words) <= 8 or bad or upper > 1 or unfinished or not re.search("[a-z]", line):
        return source
    return " ".join(["the", *words[1:]]) if words[0].lower() == "the" else f"the {line}"
