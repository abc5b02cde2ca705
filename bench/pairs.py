"""Question-generation benchmark: how long 20 checked pairs take, and how they spread.

Usage: python bench/pairs.py [--docs examples/sample_docs] [--n 20]

Prints one JSON object: seconds, pairs kept by kind (question / fill-in-the-blank),
candidates tried, and per-file counts, so a file that yielded nothing is visible.
Target on 2 quiet cores with the default model: 20 pairs in <= 60 s. Point --docs at
documents nobody in this project wrote (e.g. licence texts from site-packages) to check
that the questions hold up on real text.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assistant.core.offline import enforce_offline

enforce_offline()

from assistant.core.models import load_chat_model, load_embedder  # noqa: E402
from assistant.core.settings import load_settings  # noqa: E402
from eval.config import RetrievalConfig  # noqa: E402
from eval.questions.generate import generate_questions  # noqa: E402
from knowledge.chunking import ChunkConfig, chunk_documents  # noqa: E402
from knowledge.reading.ingest import ingest_paths  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", nargs="+", default=[str(ROOT / "examples" / "sample_docs")])
    parser.add_argument("--n", type=int, default=20)
    args = parser.parse_args()
    settings = load_settings()
    embedder, chat = load_embedder(settings), load_chat_model(settings)
    chat.chat([{"role": "user", "content": "hi"}], max_tokens=1)  # load before timing
    retrieval = RetrievalConfig()
    chunks = chunk_documents(
        ingest_paths(args.docs).documents,
        ChunkConfig(retrieval.chunk_size, retrieval.chunk_overlap, ""),
        embedder.count_tokens,
    )
    report = generate_questions(chunks, chat, args.n, seed=settings.seed)
    kinds = [p.kind for p in report.pairs]
    print(json.dumps({
        "seconds": round(report.seconds, 1), "pairs": len(kinds),
        "questions": kinds.count("question"), "cloze": kinds.count("cloze"),
        "tried": report.tried, "per_file": report.per_source, "notes": report.notes,
        "examples": [[p.question, p.answer, p.source] for p in report.pairs],
    }, indent=1))  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
