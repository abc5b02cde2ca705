"""The same GGUF behind llama-cpp-python's server and in process gives the same answers.

The issue: RAG `contains` was 0.20 through `python -m llama_cpp.server` and 0.30 in
process on the same 20 questions. Cause: the server samples with repeat_penalty 1.1 by
default, in-process llama.cpp with 1.0, and a repeat penalty changes even greedy picks.
Our OpenAI client now sends the neutral value; these tests run real RAG prompts through
both backends and also show that the penalty alone was the difference.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from assistant.core.models.openai_compat import OpenAIChat
from assistant.core.models.registry import chat_model_path
from bench.backend_parity import start_server
from eval.runners.context import question_messages

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
SERVED = "served"  # the alias bench.backend_parity.start_server gives the model


@pytest.fixture(scope="module")
def server_url(real_settings, tmp_path_factory):
    log = tmp_path_factory.mktemp("server") / "server.log"
    model = chat_model_path(real_settings)
    proc, url = start_server(model, real_settings.context_size, log)
    try:
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _rag_prompts(n: int = 20) -> list[list[dict]]:
    """Real RAG prompts: sample questions with the paragraph that holds each answer."""
    docs = sorted((ROOT / "examples" / "sample_docs").glob("*.md"))
    paragraphs = [p for d in docs for p in d.read_text(encoding="utf-8").split("\n\n")]
    rows = list(csv.DictReader((ROOT / "examples" / "sample_qa.csv").open(encoding="utf-8")))
    prompts = []
    for row in rows:
        context = next((p for p in paragraphs if row["answer"] in p), "")
        if context:
            prompts.append(question_messages(row["question"], context))
    return prompts[:n]


def test_greedy_rag_answers_match_between_server_and_in_process(server_url, real_chat):
    served = OpenAIChat(SERVED, server_url, timeout=120)
    prompts = _rag_prompts()
    assert len(prompts) == 20
    for messages in prompts:
        local = real_chat.chat(messages, max_tokens=48)
        remote = served.chat(messages, max_tokens=48)
        assert remote.text == local.text
        assert remote.prompt_tokens == local.prompt_tokens  # same chat template, same tokens
    streamed = "".join(served.stream(prompts[0], max_tokens=48)).strip()
    assert streamed == real_chat.chat(prompts[0], max_tokens=48).text


def test_the_servers_default_repeat_penalty_was_the_difference(server_url, real_chat):
    server_defaults = OpenAIChat(SERVED, server_url, timeout=120, repeat_penalty=None)
    differ = sum(
        server_defaults.chat(m, max_tokens=48).text != real_chat.chat(m, max_tokens=48).text
        for m in _rag_prompts()
    )
    assert differ >= 1
