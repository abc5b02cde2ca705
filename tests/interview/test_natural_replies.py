"""Natural replies, sent through the real interview, store what a person meant.

Each reply goes through `handle_reply` at the point where its question is asked, so
the whole path is checked: skip words, side-question routing, the field's reader and
what the state finally holds. The table lives in `natural_replies.py`.
"""

from __future__ import annotations

from typing import Any

import pytest

from assistant.advice.profile import Profile
from assistant.interview.conversation import InterviewState, handle_reply, next_field
from assistant.interview.questions import FIELD_ORDER, QUESTIONS
from tests.interview.natural_replies import REASK, REPLIES, SKIP

# Earlier answers that make every later question applicable (reviewed needs examples,
# sources need reference material).
EARLIER = Profile(corpus_tokens=1_000_000, labeled_examples=800)


def state_at(field: str) -> InterviewState:
    """An interview whose next question is `field`, every earlier one answered."""
    earlier = list(FIELD_ORDER[: FIELD_ORDER.index(field)])
    state = InterviewState(profile=EARLIER, answered=earlier, preliminary_shown=True)
    assert next_field(state) == field
    return state


def stored(field: str, text: str) -> Any:
    """What the interview keeps after `text`: the value, SKIP, or REASK."""
    state = handle_reply(state_at(field), text).state
    if field in state.skipped:
        return SKIP
    if field in state.answered:
        return getattr(state.profile, field)
    return REASK


def test_the_corpus_is_large_and_covers_every_question():
    assert len(REPLIES) >= 150
    fields = {row[0] for row in REPLIES}
    assert fields == set(QUESTIONS)
    for field in fields:
        kinds = [expected for name, _, expected in REPLIES if name == field]
        assert SKIP in kinds or REASK in kinds, f"{field}: add a hedge or an unreadable reply"


@pytest.mark.parametrize(
    ("field", "text", "expected"), REPLIES, ids=[f"{f}:{t}" for f, t, _ in REPLIES]
)
def test_natural_reply(field: str, text: str, expected: Any):
    assert stored(field, text) == expected
