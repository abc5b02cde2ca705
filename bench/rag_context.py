"""Measure RAG context choices on the sample documents; prints one JSON object.

Usage: python bench/rag_context.py [--docs examples/sample_docs --qa examples/sample_qa.csv]

Tiny readers live or die by their context, so the defaults in KnowledgeConfig (top_k,
context_sentences) come from this sweep: retrieval recall@k and answer `contains` for
whole chunks vs the best-matching sentences, at several k.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assistant.core.offline import enforce_offline

enforce_offline()

from assistant.core.models import load_chat_model, load_embedder  # noqa: E402
from assistant.core.settings import load_settings  # noqa: E402
from eval.config import KnowledgeConfig  # noqa: E402
from eval.data.pairs import from_qa_pairs  # noqa: E402
from eval.runners.context import KnowledgeContext, question_messages  # noqa: E402
from eval.runners.rag import build_context  # noqa: E402
from eval.scoring import metrics  # noqa: E402
from knowledge.index import index_paths, open_index  # noqa: E402
from knowledge.reading.ingest import ingest_paths  # noqa: E402


def evaluate(ctx: KnowledgeContext, pairs, whole_chunks: bool) -> dict[str, float]:
    recall, contains = [], []
    for pair in pairs:
        context, retrieved = build_context(ctx, pair.question)
        if whole_chunks:
            context = "\n\n".join(r["text"] for r in retrieved)
        recall.append(metrics.recall_at_k([r["text"] for r in retrieved], pair.answer))
        reply = ctx.chat.chat(question_messages(pair.question, context), max_tokens=48).text
        contains.append(metrics.contains(reply, pair.answer))
    return {
        "recall_at_k": round(statistics.fmean(recall), 3),
        "contains": round(statistics.fmean(contains), 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", default="examples/sample_docs")
    parser.add_argument("--qa", default="examples/sample_qa.csv")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(data_dir=tmp)
        embedder, chat = load_embedder(settings), load_chat_model(settings)
        index = open_index("sweep", settings, embedder)
        index_paths([args.docs], index)
        pairs = from_qa_pairs(ingest_paths([args.qa]).qa_pairs, 200)
        base = KnowledgeConfig()
        ctx = KnowledgeContext(
            settings=settings, config=base, chat=chat, embedder=embedder, index=index,
            run_dir=Path(tmp),
        )  # fmt: skip
        results = {}
        for k in (3, 5):
            for n_sent in (2, 3, 5):
                retrieval = replace(base.retrieval, top_k=k, context_sentences=n_sent)
                ctx.config = replace(base, retrieval=retrieval)
                results[f"k={k},sentences={n_sent}"] = evaluate(ctx, pairs, False)
        for relevance in (0.7, 0.5):
            retrieval = replace(base.retrieval, context_relevance=relevance)
            ctx.config = replace(base, retrieval=retrieval)
            results[f"k=5,sentences=5,relevance={relevance}"] = evaluate(ctx, pairs, False)
        # whole chunks: long prompts, slow on CPU
        ctx.config = replace(base, retrieval=replace(base.retrieval, top_k=3))
        results["k=3,whole_chunks"] = evaluate(ctx, pairs, True)
    print(json.dumps({"pairs": len(pairs), "chunks": index.count(), "results": results}, indent=2))


if __name__ == "__main__":
    main()
