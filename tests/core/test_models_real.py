"""Integration tests on the real packaged models (SmolLM2-135M GGUF, all-MiniLM-L6-v2)."""

from __future__ import annotations

import time

import pytest

pytestmark = pytest.mark.slow

CONTEXT = (
    "Context: The Harbor Street warehouse ships all customer orders with the courier "
    "Nordlys Express. It opens at 7:30 every weekday."
)


def test_default_llm_answers_from_a_given_context(real_chat):
    messages = [
        {"role": "system", "content": "Answer from the context in a few words."},
        {"role": "user", "content": f"{CONTEXT}\nQuestion: Which courier ships the orders?"},
    ]
    result = real_chat.chat(messages, max_tokens=32)
    assert "nordlys" in result.text.lower()
    assert result.prompt_tokens > 20 and result.completion_tokens > 0
    assert result.seconds > 0 and result.model


def test_streaming_matches_the_complete_answer(real_chat):
    messages = [{"role": "user", "content": f"{CONTEXT}\nWhen does the warehouse open?"}]
    whole = real_chat.chat(messages, max_tokens=24).text
    streamed = "".join(real_chat.stream(messages, max_tokens=24)).strip()
    assert streamed == whole  # greedy decoding: same input, same output


def test_embedder_dimension_and_paraphrase_ranking(real_embedder):
    anchor, paraphrase, unrelated = real_embedder.embed(
        [
            "How long does it take to build a retrieval pipeline?",
            "What is the timeline for setting up RAG over our documents?",
            "The recipe needs two eggs and a cup of flour.",
        ]
    )
    assert len(anchor) == 384
    assert abs(sum(x * x for x in anchor) - 1.0) < 1e-3

    def cos(a, b):
        return sum(x * y for x, y in zip(a, b, strict=True))

    assert cos(anchor, paraphrase) > cos(anchor, unrelated) + 0.2
    assert real_embedder.count_tokens("retrieval augmented generation") >= 3


def test_transformers_backend_loads_the_gguf_and_caches_it(real_settings):
    from assistant.core.models.hf import TransformersChat
    from assistant.core.models.registry import chat_model_path

    cache = real_settings.data_path / "models"
    start = time.perf_counter()
    chat = TransformersChat.load(chat_model_path(real_settings), cache)
    first = time.perf_counter() - start
    messages = [{"role": "user", "content": f"{CONTEXT}\nWhich courier ships the orders?"}]
    result = chat.chat(messages, max_tokens=24)
    assert result.text and result.completion_tokens > 0
    assert "".join(chat.stream(messages, max_tokens=24)).strip() == result.text
    assert any(cache.glob("*/config.json"))
    start = time.perf_counter()
    TransformersChat.load(chat_model_path(real_settings), cache)
    assert time.perf_counter() - start < first  # the converted model is reused


def test_a_generation_takes_its_share_of_the_cores(real_chat):
    """Alone it may use every core; with another generation running it takes half."""
    import llama_cpp

    from assistant.core.models.llamacpp import CORES

    if not getattr(real_chat, "shared", False):
        pytest.skip("threads are fixed by the threads setting")
    real_chat.chat([{"role": "user", "content": "Say hi."}], max_tokens=2)
    alone = llama_cpp.llama_n_threads(real_chat.llm.ctx)
    with CORES.running():  # another generation, as the chat copy beside a trial
        real_chat.chat([{"role": "user", "content": "Say hi."}], max_tokens=2)
        shared = llama_cpp.llama_n_threads(real_chat.llm.ctx)
    assert alone == min(real_chat.threads, CORES.cores)
    assert shared == max(1, min(real_chat.threads, CORES.cores // 2))
