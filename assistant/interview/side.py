"""Side questions during the interview: a cited answer from the guidance, then the
pending question again. The answer comes from an `ask` callback (the guidance Q&A), so
the interview itself needs no model and no index."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from assistant.interview.flow import next_question
from assistant.interview.messages import NO_GUIDANCE_REPLY
from assistant.interview.state import InterviewState, Turn


class Citation(Protocol):
    source: str
    heading: str


class Answer(Protocol):
    text: str
    citations: Sequence[Citation]


Ask = Callable[[str], Answer]


def side_question(state: InterviewState, text: str, ask: Ask | None) -> Turn:
    question = next_question(state)
    messages = [answer_from_guidance(text, ask)]
    if question:
        messages.append(f"Back to my question: {question.text}")
    return Turn(state, messages, question)


def answer_from_guidance(text: str, ask: Ask | None) -> str:
    """The cited answer, or an honest "no guidance" when there is nothing to cite."""
    if ask is None:
        return NO_GUIDANCE_REPLY
    try:
        answer = ask(text)
    except Exception:  # the interview must go on even if the guidance search fails
        return NO_GUIDANCE_REPLY
    body = (getattr(answer, "text", "") or "").strip()
    citations = list(getattr(answer, "citations", None) or [])
    if not body or not citations or body.lower().startswith("i don't have guidance"):
        return NO_GUIDANCE_REPLY
    cited = dict.fromkeys(f'{c.source}, "{c.heading}"' for c in citations)
    return body + "\n\nSources: " + "; ".join(cited)
