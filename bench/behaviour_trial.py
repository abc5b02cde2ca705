"""Behaviour-trial benchmark: the four approaches on an examples file; prints one JSON object.

Usage: python bench/behaviour_trial.py [--examples examples/debian_sections.jsonl]
                                       [--lora-budget 150] [--limit 200] [--trials ...]

Reports wall time per stage, the headline metric with its interval per approach, prompt
tokens and latency per query, and the paired verdicts. Target on 2 cores with the default
model: the full four-approach trial on 200 examples in <= 5 minutes with a 150 s LoRA
budget. Point --examples at any JSONL/CSV of input→output pairs (e.g. a real labelled
set nobody in this project wrote) to measure on it.
"""

from __future__ import annotations

import argparse
import json
import random
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
from eval.config import BehaviourConfig, LoraConfig  # noqa: E402
from eval.kinds import BEHAVIOUR_TRIALS, HEADLINE  # noqa: E402
from eval.run import TrialJob, run_trials  # noqa: E402
from eval.store import Store  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
KEYS = ("prompt_tokens_p50", "latency_p50_s", "latency_mean_s", "cost_per_1k_queries_usd",
        "train_seconds", "steps", "planned_steps", "seeds_trained", "seeds", "engine",
        "forgetting_drop", "forgetting_note")  # fmt: skip


def sample_file(path: Path, limit: int, folder: Path) -> Path:
    """At most `limit` lines of a JSONL file (seeded sample), so runs stay comparable."""
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    if path.suffix != ".jsonl" or len(lines) <= limit:
        return path
    random.Random(0).shuffle(lines)
    out = folder / path.name
    out.write_text("\n".join(lines[:limit]) + "\n", encoding="utf-8")
    return out


def stage_timer():
    seen: dict[str, list[float]] = defaultdict(list)

    def progress(stage: str, done: int, total: int) -> None:
        seen[stage].append(time.perf_counter())

    return seen, progress


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", default=str(ROOT / "examples" / "debian_sections.jsonl"))
    parser.add_argument("--instruction", default="")
    parser.add_argument("--lora-budget", type=float, default=150.0)
    parser.add_argument("--limit", type=int, default=200)
    parser.add_argument("--trials", default=",".join(BEHAVIOUR_TRIALS))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        examples = sample_file(Path(args.examples), args.limit, root)
        settings = load_settings(data_dir=str(root / "data"))
        chat, embedder = load_chat_model(settings), load_embedder(settings)
        config = BehaviourConfig(
            trials=tuple(args.trials.split(",")), lora=LoraConfig(time_budget_s=args.lora_budget)
        )
        seen, progress = stage_timer()
        start = time.perf_counter()
        with Store(root / "bench.duckdb") as store:
            job = TrialJob(
                "behaviour", settings, store, chat, embedder, config, examples_file=examples,
                instruction=args.instruction, progress=progress,
            )  # fmt: skip
            result = run_trials(job)
        total = time.perf_counter() - start
    metric = HEADLINE[result.task]
    out = {
        "examples": Path(args.examples).name,
        "task": result.task,
        "n_train": result.n_train,
        "n_heldout": result.n_heldout,
        "total_seconds": round(total, 1),
        "stage_seconds": {s: round(max(t) - min(t), 1) for s, t in seen.items()},
        "metric": metric,
        "trials": {
            name: {
                "status": t["status"],
                metric: t["summary"].get(metric),
                "ci95": t["summary"].get("ci95", {}).get(metric),
                **{k: t["summary"].get(k) for k in KEYS if k in t["summary"]},
            }
            for name, t in result.trials.items()
        },
        "model": result.model,
        "engines": result.engines(),
        "lora_latency_ratio": result.lora_latency_ratio(),
        "compare": result.compare,
        "warnings": result.warnings,
    }
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
