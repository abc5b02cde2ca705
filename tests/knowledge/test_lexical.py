"""Quotes picked by shared words: what side questions get while the index still loads."""

from __future__ import annotations

from knowledge.guidance import SOURCE_PREFIX, _sentences, quick_guidance
from knowledge.lexical import pick, stems
from tests.fakes.models import ScriptedChat


def test_rare_shared_words_find_the_right_note():
    picked = pick("What is catastrophic forgetting?", _sentences(), 3)
    assert picked and all(hit.source == "catastrophic-forgetting.md" or "forgetting" in text
                          for text, hit in picked)  # fmt: skip
    assert "forgetting" in picked[0][0].lower()


def test_an_unrelated_question_gets_no_quotes():
    assert pick("What is the capital of France?", _sentences(), 3) == []


def test_endings_are_cut_so_plural_meets_singular():
    assert stems("examples needed") == stems("example needs")


def test_the_quick_answer_quotes_first_then_cites_the_notes():
    shown: list[str] = []
    chat = ScriptedChat(respond=lambda m: "Fine-tuning can make a model lose earlier skills.")
    answer = quick_guidance("What is catastrophic forgetting?", chat, on_text=shown.append)
    assert shown[0].startswith("From the guidance: ") and "forget" in shown[0].lower()
    assert answer.citations and all(c.source.startswith(SOURCE_PREFIX) for c in answer.citations)
    assert answer.text.startswith(shown[0])
