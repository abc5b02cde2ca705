"""Generated evaluation questions: real questions, checked, spread over files, cloze capped."""

from __future__ import annotations

import json
import threading

import pytest

from eval.config import KnowledgeConfig
from eval.data.pairs import generate_pairs
from eval.questions.checks import question_ok
from eval.questions.generate import generate_questions, quotas
from eval.questions.spans import Candidate, candidates
from eval.runners.context import Cancelled
from knowledge.types import Chunk
from tests.fakes import ScriptedChat

HANDBOOK = Chunk(
    "h1",
    "# Leave\n\nAll new permanent employees serve a probation period of 6 months. "
    "Document owner: Human Resources, Version 2025. The HR office is in Room C-114 and "
    "opens at 08:30 on weekdays. The Claims Manager is Oddvar Lindqvist, who decides every "
    "claim.",
    "handbook.md",
)


def cand(sentence: str, answer: str, kind: str) -> Candidate:
    return Candidate(sentence, answer, kind, HANDBOOK)


def test_candidates_are_answer_spans_in_informative_sentences():
    found = {(c.kind, c.answer) for c in candidates(HANDBOOK)}
    assert ("quantity", "6 months") in found and ("time", "08:30") in found
    assert ("code", "C-114") in found and ("name", "Oddvar Lindqvist") in found
    assert not any(c.answer == "2025" for c in candidates(HANDBOOK))  # a label line, not prose
    assert not any("Leave" in c.answer for c in candidates(HANDBOOK))  # headings are not answers


@pytest.mark.parametrize(
    ("question", "ok"),
    [
        ("How long is the probation period for new permanent employees?", True),
        ("What is the probation period of 6 months?", False),  # gives the answer away
        ("Who is the Managing Director?", False),  # not about this sentence / wrong kind
        ("How long is the probation period", False),  # not a question
        ("What is the answer to the question the answer to the question?", False),  # a loop
        ("Who serves the probation period of new employees?", False),  # "who" for a duration
    ],
)
def test_question_checks(question, ok):
    c = cand("All new permanent employees serve a probation period of 6 months.", "6 months",
             "quantity")  # fmt: skip
    assert question_ok(question, c) is ok


def test_quotas_follow_text_size_and_give_every_file_one():
    chunks = [Chunk("a", "x" * 9000, "big.md"), Chunk("b", "x" * 1000, "small.md")]
    assert quotas(chunks, 10) == {"big.md": 9, "small.md": 1}
    assert quotas(chunks, 3) == {"big.md": 2, "small.md": 1}


def _question_for(messages) -> str:
    """A fake model that writes a decent question for durations and times, junk otherwise."""
    prompt = messages[-1]["content"]
    answer = prompt.rsplit("Answer: ", 1)[1]
    if answer.endswith("months"):
        return json.dumps({"question": "How long is the probation period for new employees?"})
    if ":" in answer:
        return json.dumps({"question": "When does the HR office open on weekdays?"})
    return "not json at all"


def test_generation_keeps_checked_questions_and_caps_cloze():
    report = generate_questions([HANDBOOK], ScriptedChat(respond=_question_for), 4)
    kinds = [p.kind for p in report.pairs]
    assert kinds.count("question") == 2 and 1 <= kinds.count("cloze") <= 1  # 4 // 3 = 1
    assert all(p.answer not in p.question for p in report.pairs if p.kind == "question")
    assert report.per_source["handbook.md"]["kept"] == 2
    assert report.tried >= 3


def test_every_file_is_tried_and_an_empty_one_is_named():
    files = [
        Chunk("a", "The depot opens at 07:15 for drivers and closes in the evening.", "a.md"),
        Chunk("b", "Probation lasts 6 months for every new permanent employee here.", "b.md"),
        Chunk("c", "nothing to ask about in this short line", "c.md"),
    ]

    def fake(messages):
        answer = messages[-1]["content"].rsplit("Answer: ", 1)[1]
        q = (
            "When does the depot open for drivers?"
            if ":" in answer
            else ("How long does probation last for new permanent employees?")
        )
        return json.dumps({"question": q})

    report = generate_questions(files, ScriptedChat(respond=fake), 4)
    sources = {p.source for p in report.pairs}
    assert sources == {"a.md", "b.md"}
    assert any("c.md" in note for note in report.notes)


def test_a_useless_model_gives_a_labelled_cloze_minority_not_a_full_set():
    chunks = [
        Chunk(f"c{i}", f"Warehouse {i} opens at 0{i}:30 and ships via Nordlys Express every "
              "weekday morning.", "w.md")
        for i in range(1, 7)
    ]  # fmt: skip
    out = generate_pairs(chunks, ScriptedChat(respond=lambda m: "I cannot do that."),
                         KnowledgeConfig(generate_pairs=6))  # fmt: skip
    assert 1 <= len(out) <= 2 and all(p.kind == "cloze" for p in out)
    assert all(p.question.startswith("Fill in the blank:") and "____" in p.question for p in out)
    assert all(p.generated and p.chunk_id and p.source == "w.md" for p in out)


def test_generation_can_be_cancelled():
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(Cancelled):
        generate_questions([HANDBOOK], ScriptedChat(respond=_question_for), 4, cancel=cancel)
