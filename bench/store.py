"""What a connection per operation costs the store; prints one JSON object.

Usage: python bench/store.py [--runs 10 --items 1000 --repeat 20]

`Store` opens and closes its DuckDB connection around every call so the web app and the
CLI can share one file (see eval/store.py). This measures that price on a database
holding ``--runs`` runs of ``--items`` item rows each: every call on its own ("per_op")
against the same calls inside ``store.batch()``, one connection held throughout, which is
what the store did before. Medians in milliseconds. Reasonable means: a UI read (get_run,
list_runs) well under 100 ms, and saving a 1,000-item trial well under a second.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import duckdb

from eval.store import Store

RUN_ARGS = dict(workspace="bench", config={}, settings={}, models={}, files=[], seed=0)


def _items(n: int) -> list[dict]:
    passage = {"id": "c1", "source": "notes.md", "text": "lorem ipsum " * 50}
    return [
        {"idx": i, "question": f"What is item {i}?" * 3, "reference": "an answer",
         "prediction": "a somewhat longer predicted answer " * 4,
         "scores": {"em": 0.0, "contains": 1.0}, "latency_s": 0.2, "retrieved": [passage] * 4}
        for i in range(n)
    ]  # fmt: skip


def _median_ms(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return round(statistics.median(times) * 1000, 1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="runs in the database first")
    parser.add_argument("--items", type=int, default=1000, help="item rows per trial")
    parser.add_argument("--repeat", type=int, default=20, help="samples per median")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "advisor.duckdb"
        items = _items(args.items)
        out: dict[str, object] = {"runs": args.runs, "items_per_trial": args.items}
        with Store(path, beat_every=0) as store:
            start = time.perf_counter()
            run_ids = []
            for _ in range(args.runs):
                run_ids.append(store.start_run(**RUN_ARGS, app_version="bench"))
                store.save_trial(run_ids[-1], "prompt", "finished", {"contains": 1.0}, items)
                store.finish_run(run_ids[-1], "finished")
            out["fill_seconds"] = round(time.perf_counter() - start, 2)
        out["file_mb"] = round(path.stat().st_size / 1e6, 1)
        out["duckdb_connect_close_ms"] = _median_ms(
            lambda: duckdb.connect(str(path)).close(), args.repeat
        )
        out["store_open_close_ms"] = _median_ms(
            lambda: Store(path, beat_every=0).close(), args.repeat
        )

        with Store(path, beat_every=0) as store:
            run_id = run_ids[-1]
            for mode in ("per_op", "held"):
                held: AbstractContextManager = store.batch() if mode == "held" else nullcontext()
                with held:
                    out[mode] = {
                        "get_run_ms": _median_ms(lambda: store.get_run(run_id), args.repeat),
                        "list_runs_ms": _median_ms(store.list_runs, args.repeat),
                        f"get_items_{args.items}_ms": _median_ms(
                            lambda: store.get_items(run_id, "prompt"), max(3, args.repeat // 4)
                        ),
                        f"save_trial_{args.items}_items_ms": _median_ms(
                            lambda: store.save_trial(run_id, "rag", "finished", {}, items),
                            max(3, args.repeat // 4),
                        ),
                        "set_run_counts_ms": _median_ms(
                            lambda: store.set_run_counts(run_id, 1, 1), args.repeat
                        ),
                    }
            beating = store.start_run(**RUN_ARGS, app_version="bench")
            out["per_op"]["beat_ms"] = _median_ms(lambda: store.beat(beating), args.repeat)
            store.finish_run(beating, "finished")
    print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
