"""The Trials tab follows the interview: where the team's examples go, which trials are ticked."""

from __future__ import annotations

from assistant.interview.conversation import handle_reply, start_interview
from assistant.web import behaviour
from assistant.web.preselect import fresh_defaults
from assistant.web.session import SessionState

LEGAL_TEAM = [  # a legal lead, as they would answer the interview
    "Document Q&A over our contracts",
    "it doesn't know our contract terms",
    "rarely",
    "about 300 pages",
    "we have 48 question/answer pairs written by counsel",
    "yes, reviewed by counsel",
]


def interviewed(replies: list[str]) -> SessionState:
    session = SessionState()
    state = start_interview().state
    for text in replies:
        state = handle_reply(state, text).state
    session.interview = state
    return session


def test_qa_pairs_about_documents_are_sent_to_the_knowledge_modes_qa_slot():
    session = interviewed(LEGAL_TEAM)
    assert session.profile.labeled_examples == 48  # the interview heard the pairs
    hint = behaviour.examples_hint(session)
    assert hint.startswith("You said you have about 48 reviewed examples")
    assert '"What the model knows"' in hint and "Q/A pairs" in hint
    assert "How the model answers" not in hint
    assert fresh_defaults(session, "behaviour") == ["prompt", "few-shot", "retrieved-shots"]


def test_a_format_gap_with_examples_ticks_lora_once_and_then_leaves_the_user_alone():
    session = SessionState()
    assert fresh_defaults(session, "behaviour") == ["prompt", "few-shot", "retrieved-shots"]
    assert fresh_defaults(session, "behaviour") is None  # reopening keeps the user's ticks
    session.interview.profile = session.profile.with_(gaps=["format"], labeled_examples=120)
    assert fresh_defaults(session, "behaviour") == [
        "prompt", "few-shot", "retrieved-shots", "lora",
    ]  # fmt: skip
    assert fresh_defaults(session, "behaviour") is None
    assert fresh_defaults(session, "knowledge") == ["prompt", "rag"]
    hint = behaviour.examples_hint(session)
    assert '"How the model answers"' in hint and "What the model knows" not in hint
