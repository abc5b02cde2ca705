"""The update drill's arms: RAG after re-indexing the changed files, the trained LoRA as it
is (stale), and the LoRA retrained within the run's budget; each answers the changed
questions on the run's own engine and is timed for the update it needed.

Why a copy of the run's index: re-indexing the changed files in the team's workspace
would leave made-up facts in it. The drill copies the run's chunks with their stored
vectors into a workspace of its own (nothing is embedded again), times re-indexing only
the changed files there, as an update in production would, and removes it afterwards.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from eval.runners.context import (
    ANSWER_SYSTEM,
    ItemResult,
    KnowledgeContext,
    Prompt,
    answer_each,
    question_messages,
)
from eval.runners.rag import rag_prompt

_COPY_BATCH = 256


@contextmanager
def drill_index(ctx: KnowledgeContext, workspace: str) -> Iterator[Any]:
    """A copy of the run's index (chunks and vectors) in `workspace`, removed afterwards."""
    from knowledge.index import open_index

    index = open_index(workspace, ctx.settings, ctx.embedder, ctx.index.config)
    try:
        if index.count():
            index.clear()  # a drill that died before cleaning up: start from the run's copy
            index = open_index(workspace, ctx.settings, ctx.embedder, ctx.index.config)
        copy_chunks(ctx.index, index, ctx.sources)
        yield index
    finally:
        index.clear()


def copy_chunks(source: Any, target: Any, sources: Sequence[str]) -> int:
    """Copy the chunks of `sources` with their stored vectors, and their file records (so a
    re-index there replaces a changed file's chunks instead of adding to them).

    Read in pages and by batches of names: one `get` of everything, or one `$in` over
    32,767+ file names, is more SQL variables than embedded Chroma allows.
    """
    from knowledge import chroma

    where = chroma.any_of("source", sources) if sources else None
    include = ["embeddings", "documents", "metadatas"]
    copied = 0
    for rows in chroma.pages(source.collection, where, include):
        ids = list(rows["ids"])
        for start in range(0, len(ids), _COPY_BATCH):
            stop = start + _COPY_BATCH
            target.collection.add(
                ids=ids[start:stop], embeddings=list(rows["embeddings"][start:stop]),
                documents=rows["documents"][start:stop], metadatas=rows["metadatas"][start:stop],
            )  # fmt: skip
        copied += len(ids)
    records = source.files.get(sources) if sources else source.files.all()
    target.files.put(list(records.values()))
    return copied


def reindex(files: dict[str, str | Path], index: Any, folder: Path) -> float:
    """Put the changed documents under their source names (a new text is written, an
    uploaded version copied) and re-index only them: the seconds it took."""
    import shutil

    from knowledge.index import index_paths

    for source, new in files.items():
        path = folder / source
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(new, Path):
            shutil.copyfile(new, path)
        else:
            path.write_text(new, encoding="utf-8")
    report = index_paths([folder], index)
    return report.seconds


def rag_answers(ctx: KnowledgeContext, index: Any, questions: Sequence[Any]) -> list[ItemResult]:
    """The changed questions answered by RAG over the re-indexed copy."""
    fresh = replace(ctx, index=index)
    stage = "drill: RAG after re-indexing"
    return answer_each(fresh, questions, stage, lambda p: rag_prompt(fresh, p))


def adapter_answers(
    ctx: KnowledgeContext, adapter: Any, questions: Sequence[Any], stage: str
) -> tuple[list[ItemResult], float]:
    """The changed questions answered with `adapter` on the run's engine, without retrieval;
    also the seconds it took to make the adapter servable (the GGUF conversion)."""
    from eval.runners.lora.serve import serve

    started = time.perf_counter()
    served = serve(ctx, adapter)
    ready = time.perf_counter() - started
    try:
        prompt = lambda p: Prompt(question_messages(p.question))  # noqa: E731
        return answer_each(ctx, questions, stage, prompt, served.chat), ready
    finally:
        served.close()


def served_answers(ctx: KnowledgeContext, questions: Sequence[Any]) -> list[ItemResult]:
    """The adapter an OpenAI-compatible server serves, as trained before the update."""
    from eval.runners.lora.serve import served_adapter

    served = served_adapter(ctx)
    prompt = lambda p: Prompt(question_messages(p.question))  # noqa: E731
    return answer_each(ctx, questions, "drill: LoRA as trained", prompt, served.chat)


def retrain(
    ctx: KnowledgeContext, index: Any, changed: Sequence[str], folder: Path
) -> tuple[KnowledgeContext, Any]:
    """A new adapter trained within the run's budget on the updated documents (and the
    context it was trained in, whose `run_dir` holds it).

    Its training chunks always include every chunk of the changed files (then others, up
    to `doc_chunks`): the retrained adapter gets its best chance to learn the new facts.
    """
    from eval.runners.lora.load import train_adapter
    from eval.runners.lora.train import chat_example, text_example

    chunks = index.all_chunks(sources=ctx.sources)
    first = [c for c in chunks if c.source in changed]
    rest = [c for c in chunks if c.source not in changed]
    random.Random(ctx.config.seed).shuffle(rest)
    fresh = replace(ctx, index=index, chunks=first + rest, run_dir=folder)
    cfg = ctx.config.lora

    def build(tokenizer: Any) -> list[dict[str, list[int]]]:
        texts = (first + rest)[: max(cfg.doc_chunks, len(first))]
        examples = [chat_example(tokenizer, ANSWER_SYSTEM, p.question, p.answer, cfg.max_length)
                    for p in ctx.train]  # fmt: skip
        examples += [text_example(tokenizer, c.text, cfg.max_length) for c in texts]
        random.Random(ctx.config.seed).shuffle(examples)
        return examples

    fresh.progress("drill: retraining the LoRA", 0, 1)
    return fresh, train_adapter(fresh, build)
