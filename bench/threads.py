"""llama.cpp thread counts under contention; prints one JSON object.

Usage: python bench/threads.py [--threads 1,2,0] [--tokens 64] [--repeats 3]

llama.cpp's worker threads spin at each barrier, so a thread that loses its core to
another thread stalls all the others. The app can run two llama.cpp copies at once (chat
and trial) on a 2-core machine, and a neighbour process may be busy too. For each thread
setting (0 = the app's rule: the cores shared between the generations running at once)
this measures completion tokens per second in three scenes: one generation alone, two
copies generating at the same time, and one generation beside a process that keeps one
core busy. Reported: median tokens/s per generation over --repeats.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

PROMPT = [{"role": "user", "content": "Describe how rivers shape valleys, in detail."}]


def spin(stop: multiprocessing.synchronize.Event) -> None:  # type: ignore[name-defined]
    """A busy neighbour: one core's worth of pure Python work until told to stop."""
    x = 0
    while not stop.is_set():
        x += 1


def rate(model, tokens: int) -> float:
    result = model.chat(PROMPT, max_tokens=tokens, temperature=0.0)
    return result.completion_tokens / result.seconds if result.seconds else 0.0


def scene_alone(models, tokens: int) -> list[float]:
    return [rate(models[0], tokens)]


def scene_pair(models, tokens: int) -> list[float]:
    out: list[float] = []
    threads = [threading.Thread(target=lambda m=m: out.append(rate(m, tokens))) for m in models]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return out


def scene_neighbour(models, tokens: int) -> list[float]:
    stop = multiprocessing.Event()
    proc = multiprocessing.Process(target=spin, args=(stop,), daemon=True)
    proc.start()
    time.sleep(0.5)
    try:
        return [rate(models[0], tokens)]
    finally:
        stop.set()
        proc.join()


SCENES = {"alone": scene_alone, "pair": scene_pair, "neighbour": scene_neighbour}


def measure(threads: int, tokens: int, repeats: int) -> dict[str, float]:
    from assistant.core.models import packaged
    from assistant.core.models.llamacpp import LlamaCppChat

    path = packaged.locate(packaged.DEFAULT_CHAT)
    models = [LlamaCppChat(path, threads=threads) for _ in range(2)]
    for m in models:
        rate(m, 4)  # warm: the first call maps pages and builds the graph
    out = {}
    for name, scene in SCENES.items():
        rates = [r for _ in range(repeats) for r in scene(models, tokens)]
        out[name] = round(statistics.median(rates), 1)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", default="1,2,0")
    parser.add_argument("--tokens", type=int, default=64)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    result = {
        "cores": multiprocessing.cpu_count(),
        "tokens_per_s": {
            ("auto" if t == "0" else f"{t} threads"): measure(int(t), args.tokens, args.repeats)
            for t in args.threads.split(",")
        },
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
