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
    r"\s(?:within|before|after|by|when|if|unless|until|during|at least|no later)\b"
)
# Verbs whose object is the thing required ("must retain X"), not a person ("give X Y").
OBJECT_VERBS = (
    "retain|reproduce|include|display|contain|carry|keep|preserve|pay|obtain|use|maintain"
    "|report|submit|complete|record|wear|return|attach|follow|sign|accompany|identify|state"
)
_DANGLING = {"the", "a", "an", "of", "by", "to", "or", "and", "for", "with", "in", "on", "that",
             "following"}  # fmt: skip
_NOT_NOUN = r"(?:to|that|with|in|on|at|for|from|by|be|not|also|if|when|as|only)"
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
    subject = m["subj"]
    if subject.split()[0] not in {"You", "Licensee", "Licensor"}:
        subject = subject[0].lower() + subject[1:]
    obj = m["obj"]
    adjunct = _ADJUNCT.search(obj)
    if adjunct and len(obj[: adjunct.start()].split()) >= 2:
        obj = obj[: adjunct.start()]
    answer = _trim(obj)
    return (f"What {m['modal']} {subject} {m['verb']}?", answer) if answer else None


_TERM = r"[\"“](?P<term>[A-Z][\w\- ]{0,40}?)[\"”]"
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
}


def strip_number(sentence: str) -> str:
    """Drop a leading section number ("1.1.", "4.", "(a)") that would start the match."""
    return re.sub(r"^(?:\d+(?:\.\d+)*\.?|\([a-z0-9]{1,3}\))\s+", "", sentence)


def form_question(sentence: str, where: str = "") -> tuple[str, str, str] | None:
    """(kind, question, answer) when the sentence has one of the forms, else None.

    `where` ("the Apache License") goes in front: a reviewer rejected 'What does "You"
    mean?' because two licences in the set define "You" differently.
    """
    text = strip_number(sentence).rstrip(".")
    if text.endswith(":"):
        return None  # a lead-in to a list: its answer is the list
    for kind, (pattern, build) in FORMS.items():
        match = pattern.match(text)
        built = build(match) if match else None
        if built:
            question, answer = built
            if where:
                question = f"In {where}, {question[0].lower()}{question[1:]}"
            return kind, question, answer
    return None


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
