"""Weak readings are said back and confirmed before they are stored.

Why: a silent misread is worse than a re-ask. "My legal-ops team has to answer questions
about the open-source licences in our products ..." was stored as code generation and
stayed in the profile and the report. A reader listed in `questions.DOUBTS` can call its
reading weak (a lone keyword in a longer reply, a tie); the interview then echoes it
("I read that as document Q&A — is that right?") with quick replies, and stores nothing
until the user says yes, taps another choice or answers afresh. Pure functions: the
conversation keeps the pending reading in `InterviewState.tentative`.
"""

from __future__ import annotations

from typing import Any

from assistant.interview import parsers as p
from assistant.interview.questions import DOUBTS, QUESTIONS, READERS, Question, value_text

STORE, REASK = "store", "reask"


def doubt(field: str, text: str) -> tuple[Any, ...] | None:
    """The rival values when `text` is read only weakly for `field`; None when firmly."""
    reader = DOUBTS.get(field)
    return reader(text) if reader else None


def pending(field: str, value: Any, rivals: tuple[Any, ...]) -> dict[str, Any]:
    """A reading waiting for a yes, as plain data (it is stored with the state)."""
    return {"field": field, "value": value, "rivals": list(rivals)}


def confirm_question(waiting: dict[str, Any]) -> Question:
    """ "I read that as code generation — is that right?", with Yes, the rivals and No.

    >>> q = confirm_question(pending("use_case", "code_generation", ("document_qa",)))
    >>> q.text, q.choices
    ('I read that as code generation — is that right?', ('Yes', 'Document Q&A', 'No'))
    """
    field = waiting["field"]
    said = value_text(field, waiting["value"])
    if said[1:2].islower():  # "Code generation" reads "code generation"; "Q&A" stays
        said = said[0].lower() + said[1:]
    rivals = tuple(value_text(field, r) for r in waiting["rivals"])
    text = f"I read that as {said} — is that right?"
    hint = "yes, no, or the choice that fits"
    return Question(field, text, hint, ("Yes", *rivals, "No"))


def settle(waiting: dict[str, Any], text: str) -> tuple[str, Any] | None:
    """What a reply to the confirmation means.

    (STORE, value) for a yes (the pending value) or a firm new reading (a tapped rival,
    "no, it's document Q&A"); (REASK, None) for a plain no; None when the reply is about
    something else, which the conversation then handles like any other reply.
    """
    field = waiting["field"]
    ok, value = READERS[field](text)
    if ok and doubt(field, text) is None:
        return STORE, value
    said = p.parse_confirmation(text)
    if said is None:
        return None
    return (STORE, waiting["value"]) if said else (REASK, None)


def reask_text(field: str) -> str:
    """After a "no": the question again, its choices offered as quick replies."""
    return f"Sorry, I misread that. {QUESTIONS[field].text}"
