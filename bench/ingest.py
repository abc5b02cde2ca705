"""Benchmark ingestion and retrieval on a generated corpus; prints one JSON object.

Usage: python bench/ingest.py [--sizes 1000,10000] [--queries 200]

For each corpus size: ingestion throughput (chunks/s, files → Chroma through our whole
pipeline), query latency p50/p95 (embed + Chroma search), and our throughput relative
to embedding the same chunk texts with raw sentence-transformers.
Targets: ≥ 0.9 of raw throughput; p95 query < 50 ms at 10K chunks.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assistant.core.offline import enforce_offline

enforce_offline()

from assistant.core.models import load_embedder  # noqa: E402
from assistant.core.settings import load_settings  # noqa: E402
from knowledge.chunking import ChunkConfig  # noqa: E402
from knowledge.index import index_paths, open_index  # noqa: E402
from knowledge.reading.ingest import IngestLimits  # noqa: E402

WORDS = (
    "retrieval adapter corpus policy invoice latency budget contract warranty schedule "
    "shipment customer refund model evaluation benchmark drift token chunk vector index "
    "quarter region supplier audit clause renewal premium claim ticket escalation"
).split()
PARAGRAPHS_PER_FILE = 20


def paragraph(rng: random.Random, n: int) -> str:
    words = [rng.choice(WORDS) for _ in range(70)]
    return f"Record {n}: " + " ".join(words).capitalize() + "."


def make_corpus(folder: Path, chunks: int, seed: int = 0) -> None:
    rng = random.Random(seed)
    for f in range(chunks // PARAGRAPHS_PER_FILE):
        paras = [paragraph(rng, f * PARAGRAPHS_PER_FILE + i) for i in range(PARAGRAPHS_PER_FILE)]
        (folder / f"doc{f:05d}.txt").write_text("\n\n".join(paras), encoding="utf-8")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def bench_size(size: int, queries: int, raw_sample: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        docs = root / "docs"
        docs.mkdir()
        make_corpus(docs, size)
        settings = load_settings(data_dir=str(root / "data"))
        embedder = load_embedder(settings)
        index = open_index(f"bench-{size}", settings, embedder, ChunkConfig(120, 10))
        start = time.perf_counter()
        report = index_paths([docs], index, limits=IngestLimits(max_chunks=size * 2))
        ingest_s = time.perf_counter() - start
        rng = random.Random(1)
        latencies = []
        for _ in range(queries):
            query = " ".join(rng.choice(WORDS) for _ in range(6))
            t0 = time.perf_counter()
            index.search(query, k=4)
            latencies.append((time.perf_counter() - t0) * 1000)
        texts = [c.text for c in index.get_chunks(_some_ids(index, raw_sample))]
        t0 = time.perf_counter()
        embedder.model.encode(texts, batch_size=32, normalize_embeddings=True)
        raw_rate = len(texts) / (time.perf_counter() - t0)
    ours_rate = report.chunks / ingest_s
    return {
        "chunks": report.chunks,
        "files": report.ingest.files,
        "ingest_seconds": round(ingest_s, 1),
        "ingest_chunks_per_s": round(ours_rate, 1),
        "raw_embed_chunks_per_s": round(raw_rate, 1),
        "ratio_ours_over_raw": round(ours_rate / raw_rate, 3),
        "query_ms_p50": round(statistics.median(latencies), 1),
        "query_ms_p95": round(percentile(latencies, 0.95), 1),
    }


def _some_ids(index, n: int) -> list[str]:
    return index.collection.get(limit=n, include=[])["ids"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--raw-sample", type=int, default=500)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    results = {str(n): bench_size(n, args.queries, args.raw_sample) for n in sizes}
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
