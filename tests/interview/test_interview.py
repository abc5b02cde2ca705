"""Interview: scripted transcripts to a final profile (corrections, skips, side questions)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import pytest

from assistant.advice import evidence_from_run
from assistant.advice.profile import CHOICES
from assistant.interview import parsers as p
from assistant.interview.conversation import (
    NO_HARDWARE_NOTE,
    InterviewState,
    Turn,
    apply_evidence,
    current_recommendation,
    handle_reply,
    next_question,
    start_interview,
)
from assistant.interview.messages import NO_GUIDANCE_REPLY
from assistant.interview.questions import CORE_FIELDS
from tests.fakes.runs import CLEAR, NOISE, ones, stored_run


@dataclass
class FakeCitation:
    source: str
    heading: str


@dataclass
class FakeAnswer:
    text: str
    citations: list[FakeCitation] = field(default_factory=list)


class FakeAsk:
    """Answers from a fixed table and records each question it was asked."""

    def __init__(self, answer: FakeAnswer) -> None:
        self.answer = answer
        self.asked: list[str] = []

    def __call__(self, question: str) -> FakeAnswer:
        self.asked.append(question)
        return self.answer


HELD_OUT = FakeAnswer(
    "A held-out set is 100-200 real requests with reference answers, never trained on.",
    [
        FakeCitation(
            "knowledge/guidance/evaluation.md", "Size and content of the held-out benchmark set"
        )
    ],
)
LEGAL_SCRIPT = [
    "We answer questions about our contracts for the legal team",
    "it makes up facts about clauses and the JSON is malformed",
    "we update it every week",
    "about 2M tokens",
    "~800 examples, checked by our lawyers",
    "not yet",
    "yes",
    "tight",
    "one A100",
    "3",
    "yes, auditors need that",
    "under 2 seconds",
    "3 months",
    "about 200k queries a month",
]


def run(replies: list[str], ask=None, state: InterviewState | None = None) -> list[Turn]:
    turns = [start_interview(state)]
    for reply in replies:
        turns.append(handle_reply(turns[-1].state, reply, ask))
    return turns


def asked(turns: list[Turn]) -> list[str | None]:
    return [t.question.field if t.question else None for t in turns]


def test_full_transcript_to_final_profile():
    turns = run(LEGAL_SCRIPT)
    assert asked(turns) == [
        "use_case",
        "gaps",
        "knowledge_change",
        "corpus_tokens",
        "labeled_examples",
        "has_eval_set",  # examples_reviewed came with the examples answer
        "prompting_tried",
        "budget",
        "gpu",
        "source_count",
        "needs_citations",
        "latency_budget_ms",
        "timeline_weeks",
        "monthly_queries",
        None,
    ]
    final = turns[-1].state
    assert final.profile.to_dict() == {
        "use_case": "document_qa",
        "gaps": ["knowledge", "format"],
        "knowledge_change": "weekly",
        "corpus_tokens": 2_000_000,
        "source_count": 3,
        "needs_citations": True,
        "labeled_examples": 800,
        "examples_reviewed": True,
        "latency_budget_ms": 2000,
        "has_eval_set": False,
        "prompting_tried": True,
        "budget": "low",
        "timeline_weeks": 13,
        "gpu": "single",
        "monthly_queries": 200_000,
        "measured": {},
    }
    assert final.finished and final.skipped == []
    assert turns[-1].recommendation is not None
    assert turns[-1].recommendation.approach in ("rag", "rag+lora")


def test_preliminary_recommendation_after_core_fields_suggests_a_trial():
    turns = run(LEGAL_SCRIPT)
    with_rec = [i for i, t in enumerate(turns) if t.recommendation is not None]
    core_done = 9  # the reply to the gpu question, the last core field
    assert with_rec[0] == core_done
    text = "\n".join(turns[core_done].messages)
    assert "Preliminary recommendation" in text and "trial" in text
    assert turns[core_done].state.preliminary_shown
    assert all(f in turns[core_done].state.answered for f in CORE_FIELDS)


def test_each_reply_is_said_back():
    turns = run(LEGAL_SCRIPT[:4])
    assert "weekly" in turns[3].messages[0]
    assert "2,000,000 tokens" in turns[4].messages[0]


def test_enum_questions_offer_quick_replies():
    state = InterviewState()
    question = next_question(state)
    assert question.field == "use_case" and len(question.choices) == len(CHOICES["use_case"])
    turns = run(LEGAL_SCRIPT)
    for turn in turns:
        q = turn.question
        if q and q.field in ("budget", "gpu", "knowledge_change", "has_eval_set"):
            assert q.choices


def test_correction_of_an_earlier_answer_and_new_question_it_unlocks():
    turns = run(
        [
            "answer questions about our policies",
            "it doesn't know our policies",
            "monthly",
            "300 pages",
            "none",
            "actually we have 1200 examples",
        ]
    )
    state = turns[-1].state
    assert state.profile.labeled_examples == 1200
    assert "Updated" in turns[-1].messages[0]
    assert turns[-1].question.field == "examples_reviewed"  # now relevant


def test_change_field_to_value():
    turns = run([*LEGAL_SCRIPT[:8], "change budget to high"])
    assert turns[-1].state.profile.budget == "high"
    assert turns[-1].question.field == "gpu"  # back where we were


def test_unreadable_correction_changes_nothing():
    turns = run([*LEGAL_SCRIPT[:3], "change budget to purple"])
    assert turns[-1].state.profile.budget == "medium"
    assert "budget" in turns[-1].messages[0] and "try" in turns[-1].messages[0]
    assert turns[-1].question.field == "corpus_tokens"


def test_go_back_then_resume():
    turns = run([*LEGAL_SCRIPT[:4], "go back to use case", "customer support bot"])
    assert turns[-2].question.field == "use_case"
    assert turns[-1].state.profile.use_case == "customer_support"
    assert turns[-1].question.field == "labeled_examples"
    assert turns[-1].state.profile.corpus_tokens == 2_000_000  # other answers kept


def test_skip_leaves_default_and_marks_unknown():
    turns = run([*LEGAL_SCRIPT[:7], "skip"])
    state = turns[-1].state
    assert state.skipped == ["budget"] and state.profile.budget == "medium"
    assert "Skipped" in turns[-1].messages[0]
    assert turns[-1].question.field == "gpu"
    assert "budget" not in state.answered


def test_skipped_answers_lower_confidence():
    answered = run(LEGAL_SCRIPT[:9])[-1].state
    skipped = run([*LEGAL_SCRIPT[:7], "don't know", "no idea"])[-1].state
    assert skipped.skipped == ["budget", "gpu"]
    assert (
        current_recommendation(skipped).strength.points
        < current_recommendation(answered).strength.points
    )


def test_side_question_answered_with_citations_then_question_repeated():
    ask = FakeAsk(HELD_OUT)
    turns = run([*LEGAL_SCRIPT[:5], "what is a held-out set?"], ask=ask)
    before, after = turns[-2], turns[-1]
    assert ask.asked == ["what is a held-out set?"]
    answer = after.messages[0]
    assert HELD_OUT.text in answer
    assert "knowledge/guidance/evaluation.md" in answer
    assert "Size and content of the held-out benchmark set" in answer
    assert after.question.field == before.question.field == "has_eval_set"
    assert after.messages[-1].endswith(before.question.text)
    assert after.state.profile == before.state.profile


@pytest.mark.parametrize(
    "ask",
    [
        None,
        FakeAsk(FakeAnswer("Paris is lovely.", [])),  # no citations: not from the guidance
        FakeAsk(FakeAnswer("I don't have guidance on that in my knowledge base.", [])),
    ],
)
def test_side_question_without_guidance_is_honest(ask):
    turns = run(["should we buy more GPUs?"], ask=ask)
    assert turns[-1].messages[0] == NO_GUIDANCE_REPLY
    assert turns[-1].question.field == "use_case"


def test_side_question_when_ask_fails():
    def broken(question: str) -> FakeAnswer:
        raise RuntimeError("index missing")

    turns = run(["how long does RAG take?"], ask=broken)
    assert turns[-1].messages[0] == NO_GUIDANCE_REPLY


def test_question_mark_answer_that_parses_is_an_answer():
    turns = run([*LEGAL_SCRIPT[:3], "about 2M tokens?"], ask=FakeAsk(HELD_OUT))
    assert turns[-1].state.profile.corpus_tokens == 2_000_000


@pytest.mark.parametrize(
    ("prefix", "reply", "field", "hint_word"),
    [
        (0, "purple monkey dishwasher", "use_case", "description"),
        (3, "lots of stuff", "corpus_tokens", "tokens"),
        (4, "a few hundred", "labeled_examples", "number"),
        (5, "banana", "has_eval_set", "yes or no"),
        (8, "we rent in the cloud", "gpu", "GPU"),
    ],
)
def test_unreadable_reply_gets_a_friendly_reask(prefix, reply, field, hint_word):
    turns = run([*LEGAL_SCRIPT[:prefix], reply])
    before, after = turns[-2], turns[-1]
    assert after.question.field == field
    assert "couldn't read" in after.messages[0] and hint_word in after.messages[0]
    assert after.state.profile == before.state.profile
    assert field not in after.state.answered


def test_second_miss_offers_the_quick_replies_instead_of_the_same_sentence():
    turns = run([*LEGAL_SCRIPT[:7], "purple", "still purple", "mauve"])
    first, second, third = turns[-3:]
    assert "couldn't read" in first.messages[0] and first.messages[-1] == first.question.text
    for turn in (second, third):
        assert turn.messages == [
            "I still couldn't read that. Pick one of these, or say 'skip': Low, Medium, High."
        ]
        assert turn.question.choices == ("Low", "Medium", "High")  # the buttons stay
    assert handle_reply(third.state, "Medium").state.profile.budget == "medium"


def test_second_miss_without_choices_names_the_form_and_skip():
    turns = run([*LEGAL_SCRIPT[:4], "lots", ""])
    assert turns[-1].messages == [
        "I still couldn't read that. Try a number like '800' or 'none', or say 'skip' to move on."
    ]
    assert turns[-1].question.field == "labeled_examples"


def test_multi_choice_question_says_one_or_more():
    turns = run([LEGAL_SCRIPT[0], "hmm", "hmm"])
    assert "Pick one or more of these" in turns[-1].messages[0]
    assert "None known" in turns[-1].messages[0]


def test_misses_count_per_question():
    """An answer (or a skip) clears the miss, so the next question starts with the hint."""
    for settle in ("tight", "skip"):
        turns = run([*LEGAL_SCRIPT[:7], "purple", settle, "purple"])
        assert turns[-1].question.field == "gpu"
        assert "couldn't read" in turns[-1].messages[0] and "Pick" not in turns[-1].messages[0]
    state = run([*LEGAL_SCRIPT[:7], "purple"])[-1].state
    assert InterviewState.from_dict(json.loads(json.dumps(state.to_dict()))).missed == "budget"


def test_no_examples_means_no_review_question():
    turns = run([*LEGAL_SCRIPT[:4], "none"])
    assert turns[-1].state.profile.labeled_examples == 0
    assert turns[-1].question.field == "has_eval_set"
    fields = asked(
        run(
            [*LEGAL_SCRIPT[:4], "none", "no", "no", "low", "no GPU", "2", "no", "1s", "no deadline"]
        )
    )
    assert "examples_reviewed" not in fields


def test_batch_use_case_skips_latency_question():
    script = [
        "summarize our archives in a nightly batch",
        "it misses key obligations, the facts are wrong",
        "rarely",
        "5M tokens",
        "none",
        "no",
        "no",
        "medium",
        "no GPU",
        "2",
        "no",
        "no deadline",
        "5,000 a day",
    ]
    turns = run(script)
    assert "latency_budget_ms" not in asked(turns)
    assert turns[-1].state.batch and turns[-1].state.profile.latency_budget_ms is None
    assert turns[-1].state.profile.monthly_queries == 152_083  # 5,000 x 365 / 12
    assert turns[-1].state.finished


def test_style_rewrite_without_knowledge_gap_skips_knowledge_questions():
    turns = run(["rewrite drafts in our brand voice", "tone is off"])
    assert turns[-1].question.field == "labeled_examples"


def test_no_material_means_no_source_question():
    script = [
        "classify support tickets",
        "format",
        "static",
        "none",
        "600, reviewed by our agents",
        "yes",
        "yes",
        "medium",
        "one GPU",
    ]
    turns = run(script)
    assert turns[-1].question.field == "needs_citations"


def test_done_finishes_early_with_a_recommendation():
    turns = run([*LEGAL_SCRIPT[:3], "done"])
    last = turns[-1]
    assert last.question is None and last.state.finished
    assert last.recommendation is not None
    assert "corpus_tokens" in last.state.skipped


def test_after_the_interview_plain_text_gets_guidance():
    turns = run([*LEGAL_SCRIPT, "hello there"])
    assert "correct an answer" in turns[-1].messages[0]


def test_state_is_not_mutated_and_sessions_are_independent():
    first = start_interview().state
    snapshot = json.dumps(first.to_dict())
    a = handle_reply(first, "classify support tickets")
    b = handle_reply(first, "a customer support chatbot")
    assert json.dumps(first.to_dict()) == snapshot
    assert a.state.profile.use_case == "classification"
    assert b.state.profile.use_case == "customer_support"


def test_state_round_trips_through_json():
    state = run([*LEGAL_SCRIPT[:6], "skip"])[-1].state
    restored = InterviewState.from_dict(json.loads(json.dumps(state.to_dict())))
    assert restored == state
    assert handle_reply(restored, "tight").to_dict() == handle_reply(state, "tight").to_dict()


def test_apply_evidence_weighs_verdicts_and_leaves_the_profile_alone():
    state = run(LEGAL_SCRIPT)[-1].state
    knowledge = evidence_from_run(stored_run("k1", CLEAR))
    turn = apply_evidence(state, knowledge)
    assert turn.state.profile == state.profile  # no trial means in `measured`
    assert turn.state.profile.prompting_tried == state.profile.prompting_tried
    assert turn.state.evidence == [knowledge] and state.evidence == []
    assert "knowledge trial run k1" in turn.messages[0] and "contains" in turn.messages[0]
    assert "rag vs prompt: better" in turn.messages[0] or "prompt vs rag: worse" in turn.messages[0]
    assert turn.recommendation == current_recommendation(turn.state)
    assert any("run k1" in r.text for r in turn.recommendation.reasons)
    behaviour = evidence_from_run(stored_run(
        "b1", {"few-shot": ones(1), "lora": ones(15)}, kind="behaviour", task="json",
        metric="field_f1"))  # fmt: skip
    newer = evidence_from_run(stored_run("k2", NOISE))
    later = apply_evidence(apply_evidence(turn.state, behaviour).state, newer)
    assert [e.run_id for e in later.state.evidence] == ["b1", "k2"]  # one per kind, newest
    restored = InterviewState.from_dict(json.loads(json.dumps(later.state.to_dict())))
    assert restored == later.state


def test_messages_show_p_with_each_verdict_and_the_strength_of_evidence_in_words():
    state = run(LEGAL_SCRIPT)[-1].state
    turn = apply_evidence(state, evidence_from_run(stored_run("k1", CLEAR)))
    added, change, advice = turn.messages[0], turn.messages[0], turn.messages[1]
    # 14 wins of 14 discordant questions: exact p = 2 / 2**14 < 0.001.
    assert "rag vs prompt: better (+0.70, 95% interval" in added and "p < 0.001)" in added
    assert "strength of the evidence" in change and "%" not in change.split("strength")[-1]
    assert "(strength of evidence: " in advice and "Strength of evidence: " in advice
    assert "raised by: " in advice and "confidence" not in advice.lower()


def test_evidence_without_verdicts_is_announced_as_such():
    old = evidence_from_run(stored_run("old", CLEAR, kind=None, with_compare=False))
    turn = apply_evidence(InterviewState(), old)
    assert "without paired comparisons" in turn.messages[0]
    assert turn.state.profile == InterviewState().profile


def test_correction_marker_on_the_current_question_is_just_an_answer():
    turns = run([*LEGAL_SCRIPT[:1], "actually none"])
    assert turns[-1].state.profile.gaps == []
    assert turns[-1].question.field == "knowledge_change"


@pytest.mark.parametrize(
    "text",
    ["What do you recommend now?", "so what would you suggest", "What's your recommendation?",
     "what is the current advice", "RAG or fine-tuning?", "what should we do now?"],
)  # fmt: skip
def test_asking_for_the_recommendation_gets_the_current_one(text):
    state = run(LEGAL_SCRIPT[:6])[-1].state
    turn = handle_reply(state, text)
    assert turn.messages[0].startswith("**My recommendation as it stands:")
    assert turn.state.answered == state.answered  # nothing was taken as an answer


@pytest.mark.parametrize(
    "text", ["what does LoRA recommend for rank?", "What is RAG?", "how do you choose a model?"]
)
def test_general_questions_are_not_taken_as_asking_for_advice(text):
    assert not p.asks_for_recommendation(text)


def test_a_budget_reply_that_rules_out_hardware_says_so_before_the_gpu_question():
    state = InterviewState(answered=list(CORE_FIELDS[: CORE_FIELDS.index("budget")]))
    reply = "Medium, I'd say. We can spend some engineering time on it but we won't buy hardware."
    turn = handle_reply(state, reply)
    assert turn.state.profile.budget == "medium"
    assert NO_HARDWARE_NOTE in turn.messages and turn.question.field == "gpu"
    assert "gpu" not in turn.state.answered  # owning no GPU is not what they said
    plain = handle_reply(state, "medium")
    assert NO_HARDWARE_NOTE not in plain.messages


def test_a_readable_reply_that_starts_like_a_question_is_an_answer():
    at_citations = InterviewState(
        profile=InterviewState().profile.with_(corpus_tokens=1000),
        answered=["use_case", "gaps", "knowledge_change", "corpus_tokens", "labeled_examples",
                  "has_eval_set", "prompting_tried", "budget", "gpu", "source_count"],
    )  # fmt: skip
    answered = handle_reply(at_citations, "Would be handy but we can live without it")
    assert "needs_citations" in answered.state.answered
    assert answered.state.profile.needs_citations is False
    asked = handle_reply(at_citations, "Would auditors need that?", FakeAsk(HELD_OUT))
    assert "needs_citations" not in asked.state.answered  # a question mark: a side question
    assert asked.messages[-1].startswith("Back to my question:")


def test_an_unreadable_reply_that_declines_is_a_skip():
    state = InterviewState(answered=["use_case", "gaps", "knowledge_change", "corpus_tokens"])
    turn = handle_reply(state, "We'd have to check with the data team")
    assert "labeled_examples" in turn.state.skipped
    kept = handle_reply(state, "not sure, maybe 500")
    assert kept.state.profile.labeled_examples == 500
    described = handle_reply(InterviewState(), "not sure, something like document Q&A")
    assert described.state.profile.use_case == "document_qa"
