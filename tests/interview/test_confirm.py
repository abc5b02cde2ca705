"""Weak readings are said back and confirmed, never stored silently (issue #23).

"My legal-ops team has to answer questions about the open-source licences in our
products ..." was stored as code generation and stayed in the profile and the report.
"""

from __future__ import annotations

import pytest

from assistant.interview import parsers as p
from assistant.interview.conversation import InterviewState, handle_reply, start_interview
from assistant.interview.questions import QUESTIONS

LEGAL_OPS = "My legal-ops team checks the open-source licences that ship with our code"
TIE = "answer questions about our contracts and summarise them for the partners"


def reply(state: InterviewState, *texts: str):
    turn = None
    for text in texts:
        turn = handle_reply(state, text)
        state = turn.state
    return turn


def at_use_case() -> InterviewState:
    return start_interview().state


@pytest.mark.parametrize(
    ("text", "value", "sure"),
    [
        (LEGAL_OPS, "code_generation", False),  # a lone "code" in a reply about licences
        ("code", "code_generation", True),  # a bare label means what it says
        ("we want it to write code for our data team", "code_generation", True),
        (TIE, "summarization", False),  # a tie: proposed in table order, never stored
        (
            "My legal-ops team has to answer questions about the open-source licences in "
            "our products and the code we ship",
            "document_qa",  # a clear phrase beats a lone keyword
            True,
        ),
        ("a customer support chatbot", "customer_support", True),  # half-weight chat words
    ],
)
def test_how_firmly_a_use_case_is_read(text, value, sure):
    reading = p.read_use_case(text)
    assert (reading.value, reading.sure) == (value, sure)


def test_a_weak_reading_is_echoed_with_quick_replies_and_not_stored():
    turn = reply(at_use_case(), LEGAL_OPS)
    assert turn.messages == ["I read that as code generation — is that right?"]
    assert turn.question.field == "use_case"
    assert turn.question.choices[0] == "Yes" and turn.question.choices[-1] == "No"
    assert "use_case" not in turn.state.answered
    assert turn.state.profile.use_case == "other"  # the default, untouched


def test_yes_stores_the_echoed_reading():
    turn = reply(at_use_case(), LEGAL_OPS, "yes, that's right")
    assert turn.state.profile.use_case == "code_generation"
    assert turn.state.tentative is None
    assert turn.messages[0] == "Got it (use case: Code generation)."
    assert turn.question.field == "gaps"


def test_a_tie_offers_the_rival_and_a_tap_stores_it():
    first = reply(at_use_case(), TIE)
    assert first.question.choices == ("Yes", "Document Q&A", "No")
    turn = handle_reply(first.state, "Document Q&A")
    assert turn.state.profile.use_case == "document_qa"
    assert "use_case" in turn.state.answered


def test_no_asks_the_question_again_with_every_choice():
    turn = reply(at_use_case(), LEGAL_OPS, "No")
    assert turn.messages == [f"Sorry, I misread that. {QUESTIONS['use_case'].text}"]
    assert turn.question == QUESTIONS["use_case"]
    assert "use_case" not in turn.state.answered
    after = handle_reply(turn.state, "Document Q&A")
    assert after.state.profile.use_case == "document_qa"


def test_a_correction_in_words_replaces_the_echoed_reading():
    turn = reply(at_use_case(), LEGAL_OPS, "no, it's document Q&A for the legal team")
    assert turn.state.profile.use_case == "document_qa"


def test_another_reply_ends_the_wait_and_is_handled_as_usual():
    skipped = reply(at_use_case(), LEGAL_OPS, "skip")
    assert "use_case" in skipped.state.skipped and skipped.state.tentative is None
    asked = reply(at_use_case(), LEGAL_OPS, "what is LoRA?")
    assert asked.state.tentative is None and asked.question == QUESTIONS["use_case"]
    assert "use_case" not in asked.state.answered


def test_a_weak_correction_is_confirmed_too():
    state = reply(at_use_case(), "Document Q&A").state
    turn = handle_reply(state, "change use case to the licences in our code base")
    assert turn.state.profile.use_case == "document_qa"  # unchanged until confirmed
    assert turn.state.tentative["value"] == "code_generation"


def test_a_waiting_reading_survives_the_json_round_trip():
    state = reply(at_use_case(), LEGAL_OPS).state
    restored = InterviewState.from_dict(state.to_dict())
    assert restored.tentative == state.tentative
    assert handle_reply(restored, "yes").state.profile.use_case == "code_generation"


def test_docstring_examples_hold():
    import doctest

    from assistant.interview import confirm
    from assistant.interview.parsers import answers, choices, control, numbers, times, words

    for module in (confirm, answers, choices, control, numbers, times, words):
        result = doctest.testmod(module)
        assert result.failed == 0 and result.attempted > 0, module.__name__
