"""The retrieval sweep: cells on the training questions, the best offered, checked held-out."""

from __future__ import annotations

import pytest

from eval.config import KnowledgeConfig
from eval.sweep import MemoChat, grid
from knowledge.chunking import ChunkConfig
from knowledge.index import open_index
from tests.fakes import HashEmbedder, ScriptedChat
from tests.fakes.jobs import knowledge_run
from tests.fakes.readers import reader


def test_a_sweep_scores_every_cell_and_offers_the_best_with_a_verdict(env):
    settings, _ = env
    chat = ScriptedChat(respond=reader)
    result = knowledge_run(env, chat=chat, config=KnowledgeConfig(trials=("rag",), sweep=True))
    sweep = result.sweep
    sizes, ks = grid(200, 5)
    assert len(sweep["cells"]) == len(sizes) * len(ks)
    assert sweep["chosen_on"] == "train" and sweep["n"] == result.n_train
    for cell in sweep["cells"]:
        assert 0 <= cell["recall_at_k"] <= 1 and 0 <= cell["contains"] <= 1
        low, high = cell["contains_ci95"]
        assert low <= cell["contains"] <= high
    best = sweep["best"]
    assert best["contains"] == max(c["contains"] for c in sweep["cells"])
    check = sweep["heldout"]
    offered = sweep["offered"]
    assert sweep["offer"] == f"--chunk-size {offered['chunk_size']} --top-k {offered['top_k']}"
    if not check.get("same_as_current"):
        assert check["comparison"]["verdict"] in ("better", "worse", "equivalent", "inconclusive")
        assert check["current"] == result.trials["rag"]["summary"]["contains"]
        # the best training cell is offered only when it is ahead on the held-out questions
        ahead = check["comparison"]["delta"] > 0
        mine = sweep["current"]
        assert offered == ({k: best[k] for k in ("chunk_size", "top_k")} if ahead else mine)
    # one index per chunk size, each in a workspace of its own
    for size in sizes:
        chunking = ChunkConfig(size, min(30, size // 4))
        ws = f"t-sweep-{size}x{chunking.chunk_overlap}"
        assert open_index(ws, settings, HashEmbedder(), chunking).count() > 0
    assert env[1].get_run(result.run_id)["run"]["sweep"]["offer"] == sweep["offer"]


def test_a_second_sweep_reuses_the_cached_chunk_embeddings(env):
    from eval.run import TrialJob, run_trials
    from tests.fakes.jobs import DOCS, QA

    settings, store = env
    config = KnowledgeConfig(trials=("rag",), sweep=True)
    embedded = []
    for _ in range(2):
        embedder = HashEmbedder()
        job = TrialJob("knowledge", settings, store, ScriptedChat(respond=reader), embedder,
                       config, workspace="t", docs=[DOCS], qa_file=QA)  # fmt: skip
        run_trials(job)
        embedded.append(embedder.texts_embedded)
    chunks = sum(
        open_index(f"t-sweep-{size}x{min(30, size // 4)}", settings, HashEmbedder(),
                   ChunkConfig(size, min(30, size // 4))).count()
        for size in grid(200, 5)[0]
    )  # fmt: skip
    # the second run embeds questions and sentences again, but no chunk of any chunk size
    assert embedded[0] - embedded[1] >= chunks > 0


def test_identical_prompts_are_answered_once():
    chat = ScriptedChat(respond=lambda m: "x")
    memo = MemoChat(chat)
    messages = [{"role": "user", "content": "q"}]
    memo.chat(messages, max_tokens=8)
    memo.chat(messages, max_tokens=8)
    memo.chat([{"role": "user", "content": "other"}], max_tokens=8)
    assert len(chat.calls) == 2


def test_the_sweep_needs_the_rag_trial():
    from assistant.core.errors import ConfigError

    with pytest.raises(ConfigError, match="sweep needs the rag trial"):
        KnowledgeConfig(trials=("prompt",), sweep=True)


def test_the_docstring_examples_hold():
    import doctest

    from eval import sweep

    assert doctest.testmod(sweep).failed == 0
