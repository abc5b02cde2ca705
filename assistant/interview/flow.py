"""Which question comes next, and how a reply that could not be read is asked again.

The order and the skip logic are pure functions of the `InterviewState`, kept apart from
the reply handling in `conversation.py` so either can change without reading the other.
"""

from __future__ import annotations

from assistant.interview.questions import (
    CORE_FIELDS,
    FIELD_ORDER,
    KNOWLEDGE_FIELDS,
    QUESTIONS,
    Question,
)
from assistant.interview.state import InterviewState, Turn


def applicable(state: InterviewState, name: str) -> bool:
    """Skip logic: questions that cannot matter given earlier answers are not asked."""
    prof = state.profile
    if name == "examples_reviewed":
        return prof.labeled_examples > 0
    if name == "latency_budget_ms":
        return not state.batch
    if name == "source_count" and "corpus_tokens" in state.answered and prof.corpus_tokens == 0:
        return False  # no reference material, so no sources to count
    if name in KNOWLEDGE_FIELDS:
        return not (prof.use_case == "style_rewrite" and "knowledge" not in prof.gaps)
    return True


def next_field(state: InterviewState) -> str | None:
    if state.revisit and applicable(state, state.revisit):
        return state.revisit
    done = set(state.answered) | set(state.skipped)
    return next((f for f in FIELD_ORDER if f not in done and applicable(state, f)), None)


def next_question(state: InterviewState) -> Question | None:
    name = next_field(state)
    return QUESTIONS[name] if name else None


def core_complete(state: InterviewState) -> bool:
    done = set(state.answered) | set(state.skipped)
    return all(f in done or not applicable(state, f) for f in CORE_FIELDS)


def miss(state: InterviewState, name: str, message: str) -> Turn:
    """A reply to question `name` that could not be read.

    The first miss says the expected form and asks again. Repeating the same sentence
    after that only frustrates, so later misses offer the quick replies (or the expected
    form when the question has none) and the way out, 'skip'.
    """
    if state.missed != name:
        state.missed = name
        return reask(state, message)
    question = QUESTIONS[name]
    return Turn(state, [offer_choices(question)], question)


def offer_choices(question: Question) -> str:
    """The second re-ask: the choices to tap, or the expected form, and 'skip'."""
    if not question.choices:
        return f"I still couldn't read that. Try {question.hint}, or say 'skip' to move on."
    pick = "one or more" if question.multi else "one"
    choices = ", ".join(question.choices)
    return f"I still couldn't read that. Pick {pick} of these, or say 'skip': {choices}."


def reask(state: InterviewState, message: str) -> Turn:
    question = next_question(state)
    return Turn(state, [message, *([question.text] if question else [])], question)


def is_open(state: InterviewState, name: str) -> bool:
    """Still to be asked: neither answered nor skipped, and it can matter."""
    done = set(state.answered) | set(state.skipped)
    return name not in done and applicable(state, name)
