"""Benchmark the model layer against the raw libraries; prints one JSON object.

Usage: python bench/models.py [--reps 3]

Our layer must cost at most ~5% over calling llama_cpp.Llama and
sentence-transformers directly. Prompts differ on every repetition so llama.cpp's
prefix cache cannot flatter either side.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assistant.core.offline import enforce_offline

enforce_offline()

from assistant.core.models.llamacpp import LlamaCppChat  # noqa: E402
from assistant.core.models.registry import chat_model_path, embed_model_path  # noqa: E402
from assistant.core.models.st_embed import SentenceTransformerEmbedder  # noqa: E402
from assistant.core.settings import load_settings  # noqa: E402

FILLER = (
    "Retrieval augmented generation keeps facts outside the weights, so updating a "
    "policy means re-indexing a document rather than training a model again. "
)


def _prompt(i: int, repeat: int) -> list[dict]:
    return [{"role": "user", "content": f"Note {i}. " + FILLER * repeat + "Summarize."}]


def _count_prompt(i: int) -> list[dict]:
    """A prompt that reliably produces a long answer, so generation speed is measurable."""
    return [{"role": "user", "content": f"Count from {i} to {i + 300}, separated by commas."}]


def _timed(fn) -> tuple[float, object]:
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def bench_llm(reps: int) -> dict:
    settings = load_settings()
    path = chat_model_path(settings)
    from llama_cpp import Llama

    threads = os.cpu_count() or 1
    raw_load, _ = _timed(
        lambda: Llama(str(path), n_ctx=4096, n_threads=threads, n_threads_batch=threads,
                      n_gpu_layers=0, seed=0, verbose=False)
    )  # fmt: skip
    ours_load, ours = _timed(lambda: LlamaCppChat(path, context_size=4096, gpu_layers=0))
    raw = ours.llm  # same weights and context: the difference is our layer alone

    def raw_call(messages, n):
        out = raw.create_chat_completion(messages=messages, max_tokens=n, temperature=0.0)
        return out["usage"]["prompt_tokens"], out["usage"]["completion_tokens"]

    def ours_call(messages, n):
        result = ours.chat(messages, max_tokens=n)
        return result.prompt_tokens, result.completion_tokens

    rates: dict[str, dict[str, list[float]]] = {
        name: {"prompt": [], "gen": []} for name in ("ours", "raw")
    }
    for rep in range(reps):
        order = [("ours", ours_call), ("raw", raw_call)]
        for name, call in order if rep % 2 == 0 else order[::-1]:
            # Fresh prompt text per call (no prefix-cache help), same length for both sides.
            secs, (ptoks, _) = _timed(partial(call, _prompt(rep * 10 + len(name), 12), 1))
            rates[name]["prompt"].append(ptoks / secs)
            # Identical prompt for both sides, so both generate the same tokens.
            secs, (_, ctoks) = _timed(partial(call, _count_prompt(rep * 7 + 3), 128))
            rates[name]["gen"].append(ctoks / secs)
    med = {n: {k: statistics.median(v) for k, v in r.items()} for n, r in rates.items()}
    return {
        "model": path.name,
        "load_seconds": {"ours": round(ours_load, 3), "raw": round(raw_load, 3)},
        "prompt_eval_tokens_per_s": {k: round(v["prompt"], 1) for k, v in med.items()},
        "generation_tokens_per_s": {k: round(v["gen"], 1) for k, v in med.items()},
        "prompt_eval_ratio_ours_over_raw": round(med["ours"]["prompt"] / med["raw"]["prompt"], 3),
        "generation_ratio_ours_over_raw": round(med["ours"]["gen"] / med["raw"]["gen"], 3),
    }


def bench_embed(reps: int, n_texts: int = 256) -> dict:
    settings = load_settings()
    path = embed_model_path(settings)
    texts = [f"Chunk {i}: " + FILLER * 3 for i in range(n_texts)]
    ours = SentenceTransformerEmbedder(path, "cpu", batch_size=32)
    raw = ours.model  # same weights; the raw call skips our wrapper

    def raw_call():
        return raw.encode(texts, batch_size=32, normalize_embeddings=True, show_progress_bar=False)

    times: dict[str, list[float]] = {"ours": [], "raw": []}
    ours.embed(texts[:8])  # warm-up
    for _ in range(reps):
        times["ours"].append(_timed(lambda: ours.embed(texts))[0])
        times["raw"].append(_timed(raw_call)[0])
    rate = {k: n_texts / statistics.median(v) for k, v in times.items()}
    return {
        "texts": n_texts,
        "texts_per_s": {k: round(v, 1) for k, v in rate.items()},
        "ratio_ours_over_raw": round(rate["ours"] / rate["raw"], 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=5)
    args = parser.parse_args()
    result = {"llm": bench_llm(args.reps), "embedding": bench_embed(args.reps)}
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
