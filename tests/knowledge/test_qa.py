"""Cited answers: grounded replies kept, drifting replies replaced, unknowns admitted."""

from __future__ import annotations

import itertools

import pytest

from knowledge.chunking import ChunkConfig
from knowledge.index import VectorIndex, index_paths
from knowledge.qa import NO_GUIDANCE, QAConfig, answer_question
from knowledge.retrieval import split_sentences
from tests.fakes import HashEmbedder, ScriptedChat

GUIDE = """# Guide
## LoRA starting point
Start LoRA with rank sixteen and a learning rate of one in ten thousand.
Train for three to five epochs before changing anything.
## Drift alerts
Run the held-out set every week after deployment.
Investigate a three percent drop and roll back at five percent.
"""


@pytest.fixture
def index(tmp_path):
    folder = tmp_path / "guide"
    folder.mkdir()
    (folder / "guide.md").write_text(GUIDE, encoding="utf-8")
    idx = VectorIndex("qa", HashEmbedder(), ChunkConfig(80, 10), persist_dir=tmp_path / "c")
    index_paths([folder], idx)
    return idx


def test_grounded_reply_is_kept_with_citations(index):
    chat = ScriptedChat(["Start LoRA with rank sixteen."])
    answer = answer_question("What rank should LoRA start with?", index, chat, source_prefix="k/")
    quoted, summary = answer.text.split("\n\nIn short: ")
    assert quoted.startswith("From the guidance: ") and "rank sixteen" in quoted
    assert summary == "Start LoRA with rank sixteen."
    assert answer.generated
    assert answer.citations[0].source == "k/guide.md"
    assert answer.citations[0].heading == "LoRA starting point"
    prompt = chat.calls[0][-1]["content"]
    assert "rank sixteen" in prompt and "What rank should LoRA start with?" in prompt


def test_drifting_reply_is_dropped_leaving_the_guidance_itself(index):
    chat = ScriptedChat(["Bananas are yellow fruit grown in tropical places."])
    answer = answer_question("What rank should LoRA start with?", index, chat)
    assert not answer.generated
    assert answer.text.startswith("From the guidance:") and "rank sixteen" in answer.text
    assert "Bananas" not in answer.text and "In short" not in answer.text
    assert answer.citations


def test_streaming_shows_the_quoted_guidance_before_the_model_is_asked(index):
    shown: list[str] = []
    chat = ScriptedChat(["Start LoRA with rank sixteen. LoBERT invented it."])
    chat.stream = _recording_stream(chat, shown)
    answer = answer_question("What rank should LoRA start with?", index, chat, on_text=shown.append)
    assert shown[0].startswith("From the guidance: ") and "rank sixteen" in shown[0]
    assert shown.index("<model asked>") == 1  # the quote came before any generation
    updates = [s for s in shown if s != "<model asked>"]
    assert all(b.startswith(a) for a, b in itertools.pairwise(updates))
    assert updates[-1] == answer.text and "LoBERT" not in answer.text
    assert answer.text.endswith("In short: Start LoRA with rank sixteen.")


def _recording_stream(chat: ScriptedChat, shown: list[str]):
    """The fake's stream, noting in `shown` when the model was first asked."""
    original = chat.stream

    def stream(messages, **options):
        shown.append("<model asked>")
        yield from original(messages, **options)

    return stream


def test_empty_reply_falls_back_too(index):
    answer = answer_question("How often to run the held-out set?", index, ScriptedChat([""]))
    assert "every week" in answer.text and not answer.generated


def test_nothing_relevant_means_no_answer_and_no_model_call(index):
    chat = ScriptedChat([])
    config = QAConfig(min_score=0.9)
    answer = answer_question("Who won the football cup?", index, chat, config)
    assert answer.text == NO_GUIDANCE and answer.citations == []
    assert chat.calls == []


def test_empty_knowledge_base_admits_it(tmp_path):
    empty = VectorIndex("none", HashEmbedder(), ChunkConfig(), persist_dir=tmp_path / "c")
    answer = answer_question("What is LoRA?", empty, ScriptedChat([]))
    assert answer.text == NO_GUIDANCE


def test_split_sentences_drops_bullets_and_fragments():
    text = "- First full sentence here. Short.\n* Second full sentence is here!"
    assert split_sentences(text) == ["First full sentence here.", "Second full sentence is here!"]


CIRCULAR = "fine-tuning is a process of fine-tuning a model."
FT_NOTES = (
    "- Fine-tuning is a process that trains a model further on your examples.\n"
    "- A fine-tuned model learns a behaviour from reviewed examples."
)


def test_a_repeated_circular_summary_never_passes_the_check():
    from knowledge.qa import circular, verified_prefix
    from knowledge.text import groundedness

    reply = f"{CIRCULAR} {CIRCULAR} {CIRCULAR} "
    assert groundedness(CIRCULAR, FT_NOTES) == 1.0  # every word is in the notes ...
    assert circular(CIRCULAR)  # ... but the sentence defines fine-tuning by itself
    assert verified_prefix(reply, FT_NOTES, 0.6) == ""
    plain = "Fine-tuning trains a model further on your examples. "
    assert verified_prefix(plain * 3, FT_NOTES, 0.6) == plain.strip()  # said once only
    kept = plain + "A fine-tuned model learns a behaviour. " + CIRCULAR + " "
    assert verified_prefix(kept, FT_NOTES, 0.6) == (
        "Fine-tuning trains a model further on your examples. A fine-tuned model learns a "
        "behaviour."
    )


def test_the_side_answer_drops_a_circular_summary(index):
    chat = ScriptedChat(["LoRA is a way of doing LoRA. LoRA is a way of doing LoRA."])
    answer = answer_question("What rank should LoRA start with?", index, chat)
    assert not answer.generated and "In short" not in answer.text
    assert answer.text.startswith("From the guidance:")


def test_docstring_examples_hold():
    import doctest

    from knowledge import qa

    result = doctest.testmod(qa)
    assert result.failed == 0 and result.attempted >= 4


def test_marginal_relevance_keeps_the_answer_that_repeated_bylines_crowd_out():
    """Three policies open with the same byline; each matches a question naming the
    company better than the sentence that answers it. Picking by match alone fills a
    two-sentence context with bylines; marginal relevance lets the answer in."""
    from knowledge.retrieval import select_sentences
    from knowledge.types import Chunk, Hit

    bylines = [f"Skarvholm Freight Cooperative policy owner {d} department office"
               for d in ("claims", "finance", "security")]  # fmt: skip
    answer = "The claims manager is Sofie Dahle since last spring."
    hits = [Hit(Chunk(f"c{i}", text, f"{i}.md"), 0.9) for i, text in
            enumerate([bylines[0] + "\n" + answer, bylines[1], bylines[2]])]  # fmt: skip
    question = "Who is the claims manager at Skarvholm Freight Cooperative department office?"
    by_match = [s for s, _ in select_sentences(question, hits, HashEmbedder(), 2)]
    assert answer not in by_match  # the failure this guards against is real here
    diverse = [s for s, _ in select_sentences(question, hits, HashEmbedder(), 2, 0.5)]
    assert answer in diverse and len(diverse) == 2
