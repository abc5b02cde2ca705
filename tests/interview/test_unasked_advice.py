"""Advice shown mid-interview never states an answer the user has not given yet.

Until a question is asked its field holds the default (0 examples, no eval set, no
GPU); the recommendation may rest on those defaults, but its sentences must not tell
the user "0 expert-curated examples are available" before we asked how many exist.
"""

from __future__ import annotations

from dataclasses import fields

from assistant.advice.caveats import PREREQUISITE_STATES
from assistant.advice.decide import recommend
from assistant.advice.profile import Profile
from assistant.advice.rules import PREREQUISITES
from assistant.advice.wording import REASONS, STATES
from assistant.interview.conversation import (
    current_recommendation,
    handle_reply,
    start_interview,
)
from assistant.interview.questions import FIELD_ORDER

FORMAT_GAP = Profile(use_case="extraction", gaps=["format"])
TOO_FEW = "expert-curated examples; 0 are available"


def _texts(rec) -> str:
    return "\n".join(r.text for r in rec.reasons)


def test_tables_name_real_reasons_prerequisites_and_fields():
    names = {f.name for f in fields(Profile)}
    assert set(STATES) <= set(REASONS)
    assert set(PREREQUISITE_STATES) == set(PREREQUISITES)
    for stated in (*STATES.values(), *PREREQUISITE_STATES.values()):
        assert set(stated) <= names & set(FIELD_ORDER)


def test_reasons_and_prerequisites_on_unasked_fields_are_held_back():
    told = recommend(FORMAT_GAP)
    assert TOO_FEW in _texts(told)
    assert "build_eval_set" in told.prerequisites
    unasked = ("labeled_examples", "examples_reviewed", "has_eval_set", "prompting_tried")
    held = recommend(FORMAT_GAP, unasked=unasked)
    assert "examples" not in _texts(held) and "measured prompt" not in _texts(held)
    assert held.prerequisites == []
    assert held.approach == told.approach and held.strength.points == told.strength.points


def test_mid_interview_advice_says_nothing_about_questions_to_come():
    state = start_interview().state
    for reply in ("pull fields out of invoices", "the JSON is malformed"):
        state = handle_reply(state, reply).state
    rec = current_recommendation(state)
    assert TOO_FEW not in _texts(rec) and "No GPU" not in _texts(rec)
    assert rec.prerequisites == []
    asked_now = handle_reply(state, "what do you recommend now?")
    assert "are available" not in "\n".join(asked_now.messages)
    assert asked_now.question.field == "knowledge_change"


def test_once_asked_the_answer_is_stated():
    state = start_interview().state
    replies = ("pull fields out of invoices", "the JSON is malformed", "rarely", "none", "none")
    for reply in replies:
        state = handle_reply(state, reply).state
    assert state.answered[-1] == "labeled_examples"
    rec = current_recommendation(state)
    assert TOO_FEW in _texts(rec)
    assert "build_eval_set" not in rec.prerequisites  # the eval-set question comes next


def test_skipped_fields_keep_their_advice():
    """A skip tells the user the default is assumed, so the advice may rest on it openly."""
    state = start_interview().state
    replies = ("pull fields out of invoices", "the JSON is malformed", "rarely", "none")
    for reply in (*replies, "skip", "skip"):
        state = handle_reply(state, reply).state
    assert state.skipped == ["labeled_examples", "has_eval_set"]
    rec = current_recommendation(state)
    assert TOO_FEW in _texts(rec) and "build_eval_set" in rec.prerequisites
