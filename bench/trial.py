"""End-to-end trial benchmark on a generated sample; prints one JSON object.

Usage: python bench/trial.py [--pages 20 --pairs 40 --lora-budget 150]
       python bench/trial.py --docs examples/sample_docs --qa examples/sample_qa.csv

Generates ~20 pages of company documents with 40 known Q/A pairs, runs prompt + RAG +
LoRA through `run_trials`, and reports wall time by stage plus our per-answer overhead
against calling llama.cpp directly with the same prompts. Targets on 2 cores with the
default models: whole trial ≤ 5 minutes; overhead per answer ≤ 10%.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assistant.core.offline import enforce_offline

enforce_offline()

from assistant.core.models import load_chat_model, load_embedder  # noqa: E402
from assistant.core.settings import load_settings  # noqa: E402
from eval.config import KnowledgeConfig, LoraConfig  # noqa: E402
from eval.run import TrialJob, run_trials  # noqa: E402
from eval.runners.context import question_messages  # noqa: E402
from eval.store import Store  # noqa: E402

FIRST = ["Astrid", "Bjorn", "Carmen", "Dmitri", "Elin", "Farid", "Greta", "Hugo", "Ines", "Jonas"]
LAST = ["Halvorsen", "Okafor", "Lindqvist", "Moreau", "Tanaka", "Varga", "Quist", "Berg"]
TOPICS = [
    "returns desk",
    "cold store",
    "night shift",
    "audit team",
    "fleet garage",
    "customs office",
    "claims unit",
    "training centre",
    "data room",
    "loading bay",
]
FILLER = (
    "Staff follow the posted procedures, record exceptions in the shift log and raise "
    "safety concerns with their supervisor before the end of the shift. "
)


def make_sample(folder: Path, pages: int, pairs: int, seed: int = 0) -> Path:
    """Pages of prose with one checkable fact per paragraph; returns the Q/A CSV path."""
    rng = random.Random(seed)
    rows = ["id,question,answer"]
    facts_per_page = max(1, -(-pairs // pages))
    n = 0
    for page in range(pages):
        paragraphs = []
        for _ in range(facts_per_page):
            topic = TOPICS[n % len(TOPICS)] + f" {n // len(TOPICS) + 1}"
            person = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            room = f"Room {rng.choice('ABCDE')}-{rng.randint(100, 399)}"
            paragraphs.append(
                f"The {topic} is led by {person} and works from {room}. " + FILLER * 3
            )
            if n < pairs:
                rows.append(f"q{n + 1},Who leads the {topic}?,{person}")
            n += 1
        (folder / f"page{page + 1:02d}.md").write_text(
            f"# Operations page {page + 1}\n\n" + "\n\n".join(paragraphs), encoding="utf-8"
        )
    qa = folder.parent / "qa.csv"
    qa.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return qa


def stage_timer():
    """A progress callback that records when each stage was last seen."""
    seen: dict[str, list[float]] = defaultdict(list)

    def progress(stage: str, done: int, total: int) -> None:
        seen[stage].append(time.perf_counter())

    return seen, progress


def overhead(chat, items) -> dict[str, float]:
    """Per-answer time through our layer (as measured in the trial) vs raw llama.cpp."""
    raw_times, ours_times = [], []
    for item in items[:10]:
        messages = question_messages(item.question)
        t0 = time.perf_counter()
        chat.llm.create_chat_completion(messages=messages, max_tokens=48, temperature=0.0)
        raw_times.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        chat.chat(messages, max_tokens=48)
        ours_times.append(time.perf_counter() - t0)
    raw, ours = statistics.median(raw_times), statistics.median(ours_times)
    return {"raw_s": round(raw, 3), "ours_s": round(ours, 3), "overhead": round(ours / raw - 1, 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=20)
    parser.add_argument("--pairs", type=int, default=40)
    parser.add_argument("--lora-budget", type=float, default=150.0)
    parser.add_argument("--docs", help="a folder of documents (default: a generated sample)")
    parser.add_argument("--qa", help="their Q/A file (with --docs)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        docs = Path(args.docs) if args.docs else root / "docs"
        if args.docs:
            qa = Path(args.qa)
        else:
            docs.mkdir()
            qa = make_sample(docs, args.pages, args.pairs)
        settings = load_settings(data_dir=str(root / "data"))
        chat, embedder = load_chat_model(settings), load_embedder(settings)
        config = KnowledgeConfig(lora=LoraConfig(time_budget_s=args.lora_budget))
        seen, progress = stage_timer()
        start = time.perf_counter()
        with Store(root / "bench.duckdb") as store:
            job = TrialJob(
                "knowledge", settings, store, chat, embedder, config, workspace="bench",
                docs=[docs], qa_file=qa, progress=progress,
            )  # fmt: skip
            result = run_trials(job)
        total = time.perf_counter() - start
        stages = {s: round(max(t) - min(t), 1) for s, t in seen.items()}
        out = {
            "pages": args.pages,
            "pairs": args.pairs,
            "total_seconds": round(total, 1),
            "stage_seconds": stages,
            "trials": {
                n: {
                    k: t["summary"].get(k)
                    for k in (
                        "contains",
                        "token_f1",
                        "recall_at_k",
                        "latency_mean_s",
                        "train_seconds",
                        "steps",
                        "planned_steps",
                        "engine",
                        "forgetting_drop",
                    )
                }
                for n, t in result.trials.items()
            },
            "model": result.model,
            "engines": result.engines(),
            "lora_latency_ratio": result.lora_latency_ratio(),
            "per_answer_vs_raw_llama_cpp": overhead(chat, result.items["prompt"]),
        }
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
