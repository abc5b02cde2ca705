"""Retrieval knobs where the misses are retrieval misses: a small chunk size x top-k sweep.

Why: when the answer was not in what the model read, chunking and top-k are the first
levers, but a team guessing them one run at a time spends a day on it. The sweep scores
every cell of a small grid with recall@k and the headline metric (`contains`), and offers
the best cell as the run's setting, checked honestly:

- cells are chosen on the *training* questions (RAG never trains on them), so the held-out
  questions stay unseen by the choice; with fewer than MIN_SELECTION training questions
  the held-out ones are used and the result says its score there is optimistic;
- the best cell then answers the held-out questions and is compared with the run's own
  setting by the trials' verdict rule (exact paired test, interval, margin), so a better
  cell on 20 questions is "inconclusive" until the data says more;
- each chunk size has its own workspace (`<workspace>-sweep-<size>x<overlap>`): its
  embeddings stay cached there, so a second sweep embeds only changed files, and the
  team's own index is never rebuilt for another chunking. Top-k needs no new index, and
  identical prompts (cells whose context came out the same) are answered once.
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from assistant.core.models.base import ChatResult
from eval.runners.context import KnowledgeContext, answer_each
from eval.runners.rag import rag_prompt
from eval.scoring.comparison import compare
from eval.scoring.intervals import wilson_interval
from eval.scoring.metrics import contains, recall_at_k
from knowledge.chroma import derived_workspace

CHUNK_SIZES = (100, 200, 256)  # embedding-model tokens; MiniLM reads 256
TOP_KS = (3, 5, 8)
MIN_SELECTION = 10  # training questions below which the held-out ones choose the cell
METRIC = "contains"


class MemoChat:
    """The run's chat model, answering each distinct prompt once (greedy: same prompt,
    same answer), so cells that hand the model the same sentences cost nothing more."""

    def __init__(self, inner: Any) -> None:
        self.inner, self.name = inner, inner.name
        self._seen: dict[str, ChatResult] = {}

    def chat(self, messages: Any, **options: Any) -> ChatResult:
        key = json.dumps([messages, options], sort_keys=True)
        if key not in self._seen:
            self._seen[key] = self.inner.chat(messages, **options)
        return self._seen[key]


def grid(chunk_size: int, top_k: int) -> tuple[list[int], list[int]]:
    """The sweep's chunk sizes and top-k values, always with the run's own setting.

    >>> grid(200, 5)
    ([100, 200, 256], [3, 5, 8])
    >>> grid(64, 4)
    ([64, 100, 200, 256], [3, 4, 5, 8])
    """
    return sorted({*CHUNK_SIZES, chunk_size}), sorted({*TOP_KS, top_k})


def run_sweep(job: Any, prepared: Any, result: Any) -> dict[str, Any]:
    """Sweep after a run's trials (`trial --sweep`); see the module docstring."""
    rag = result.items.get("rag") or []
    current = [item.scores.get(METRIC, 0.0) for item in rag]
    return sweep(prepared.ctx, job.docs, job.workspace, prepared.split.train,
                 prepared.split.heldout, current)  # fmt: skip


def sweep(
    ctx: KnowledgeContext, docs: Sequence[Any], workspace: str, train: Sequence[Any],
    heldout: Sequence[Any], current: Sequence[float] = (),
) -> dict[str, Any]:  # fmt: skip
    """Every cell on the selection questions, the best cell, and its held-out check.

    `current`: the run's own RAG scores on `heldout` (METRIC, in order), when it has them.
    The best cell is offered (`offered`, `offer`) only when it is ahead of the run's own
    setting on the held-out questions too; otherwise the run's setting is, as it stands.
    """
    retrieval = ctx.config.retrieval
    sizes, ks = grid(retrieval.chunk_size, retrieval.top_k)
    chosen_on = "train" if len(train) >= MIN_SELECTION else "heldout"
    selection = list(train if chosen_on == "train" else heldout)
    memo = MemoChat(ctx.chat)
    cells, contexts, seconds = [], {}, {}
    for size in sizes:
        index, seconds[str(size)], sources = _index(ctx, docs, workspace, size)
        for k in ks:
            cell = _cell_context(ctx, index, sources, size, k)
            contexts[(size, k)] = cell
            items = answer_each(cell, selection, f"sweep: chunk size {size}, top-{k}",
                                lambda p, c=cell: rag_prompt(c, p), memo)  # fmt: skip
            cells.append(_figures(size, k, items))
    best = pick(cells, retrieval.chunk_size, retrieval.top_k)
    out = {
        "metric": METRIC, "chosen_on": chosen_on, "n": len(selection), "cells": cells,
        "current": {"chunk_size": retrieval.chunk_size, "top_k": retrieval.top_k},
        "best": best, "index_seconds": seconds,
    }  # fmt: skip
    if chosen_on == "heldout":
        out["note"] = (f"fewer than {MIN_SELECTION} training questions: the cell was chosen "
                       "on the held-out ones, so its score there is optimistic")  # fmt: skip
    out["heldout"] = check = _heldout_check(contexts, best, heldout, current, memo, ctx)
    ahead = (check.get("comparison") or {}).get("delta", 0) > 0
    offered = best if ahead else out["current"]
    out["offered"] = {"chunk_size": offered["chunk_size"], "top_k": offered["top_k"]}
    out["offer"] = f"--chunk-size {offered['chunk_size']} --top-k {offered['top_k']}"
    return out


def pick(cells: Sequence[dict[str, Any]], chunk_size: int, top_k: int) -> dict[str, Any]:
    """The best cell: highest METRIC, then recall@k, then the run's own setting, then the
    fewest chunks (a shorter prompt), then the smaller chunk.

    >>> cells = [{"chunk_size": 200, "top_k": 5, "contains": 0.5, "recall_at_k": 0.8},
    ...          {"chunk_size": 100, "top_k": 8, "contains": 0.5, "recall_at_k": 0.9}]
    >>> pick(cells, 200, 5)["top_k"]
    8
    """
    return max(cells, key=lambda c: (
        c[METRIC], c["recall_at_k"], (c["chunk_size"], c["top_k"]) == (chunk_size, top_k),
        -c["top_k"], -c["chunk_size"],
    ))  # fmt: skip


def _index(ctx: KnowledgeContext, docs: Sequence[Any], workspace: str, size: int):
    """The sweep workspace for one chunk size, indexed (cached: only changes are embedded)."""
    from knowledge.chunking import ChunkConfig
    from knowledge.index import index_paths, open_index

    overlap = min(ctx.config.retrieval.chunk_overlap, size // 4)
    name = derived_workspace(workspace, f"sweep-{size}x{overlap}")
    index = open_index(name, ctx.settings, ctx.embedder, ChunkConfig(size, overlap))
    ctx.progress(f"sweep: indexing chunk size {size}", 0, 1)
    report = index_paths(list(docs), index)
    return index, round(report.seconds, 2), tuple(report.sources)


def _cell_context(
    ctx: KnowledgeContext, index: Any, sources: tuple[str, ...], size: int, k: int
) -> KnowledgeContext:
    overlap = min(ctx.config.retrieval.chunk_overlap, size // 4)
    retrieval = replace(ctx.config.retrieval, chunk_size=size, chunk_overlap=overlap, top_k=k)
    return replace(ctx, config=replace(ctx.config, retrieval=retrieval), index=index,
                   sources=sources)  # fmt: skip


def _figures(size: int, k: int, items: Sequence[Any]) -> dict[str, Any]:
    """One cell: recall@k and METRIC with Wilson 95% intervals, and prompt tokens."""
    hits = [contains(i.prediction, i.reference) for i in items]
    found = [recall_at_k([r["text"] for r in i.retrieved], i.reference) for i in items]
    n = len(items)
    score, recall = (sum(hits) / n, sum(found) / n) if n else (0.0, 0.0)
    return {
        "chunk_size": size, "top_k": k, "n": n,
        METRIC: round(score, 4), f"{METRIC}_ci95": list(wilson_interval(score, n)),
        "recall_at_k": round(recall, 4), "recall_ci95": list(wilson_interval(recall, n)),
        "prompt_tokens_mean": round(statistics.fmean(i.prompt_tokens for i in items), 1)
        if items else 0.0,
    }  # fmt: skip


def _heldout_check(
    contexts: dict[tuple[int, int], KnowledgeContext], best: dict[str, Any],
    heldout: Sequence[Any], current: Sequence[float], memo: MemoChat, ctx: KnowledgeContext,
) -> dict[str, Any]:  # fmt: skip
    """The best cell against the run's own setting on the held-out questions (verdict rule)."""
    retrieval = ctx.config.retrieval
    own = (retrieval.chunk_size, retrieval.top_k)
    key = (best["chunk_size"], best["top_k"])
    if key == own:
        return {"same_as_current": True}
    scores = {}
    for name, cell in (("best", key), ("current", own)):
        if name == "current" and len(current) == len(heldout):
            scores[name] = [float(s) for s in current]
            continue
        c = contexts[cell]
        items = answer_each(c, heldout, f"sweep: held-out check ({name})",
                            lambda p, c=c: rag_prompt(c, p), memo)  # fmt: skip
        scores[name] = [contains(i.prediction, i.reference) for i in items]
    [pair] = compare(scores, METRIC, margin=ctx.config.margin)
    n = len(heldout)
    return {
        "n": n, "best": round(sum(scores["best"]) / n, 4) if n else 0.0,
        "current": round(sum(scores["current"]) / n, 4) if n else 0.0,
        "comparison": pair.to_dict(),
    }  # fmt: skip


def sweep_lines(sweep: dict[str, Any]) -> list[str]:
    """The sweep in plain sentences, for the CLI, the Trials tab and the report alike."""
    if not sweep:
        return []
    if sweep.get("error"):
        return [f"Retrieval sweep failed: {sweep['error']}"]
    best, own = sweep["best"], sweep["current"]
    mine = next((c for c in sweep["cells"] if (c["chunk_size"], c["top_k"]) ==
                 (own["chunk_size"], own["top_k"])), None)  # fmt: skip
    lines = [
        f"Retrieval sweep over {len(sweep['cells'])} settings on {sweep['n']} "
        f"{'training' if sweep['chosen_on'] == 'train' else 'held-out'} questions: best chunk "
        f"size {best['chunk_size']}, top-k {best['top_k']}: {_cell_text(best)}"
        + (f"; the run's own ({own['chunk_size']}, {own['top_k']}): {_cell_text(mine)}"
           if mine and mine is not best else "") + "."
    ]  # fmt: skip
    check = sweep.get("heldout") or {}
    if check.get("same_as_current"):
        lines.append("The run's own setting is already the best cell: keep it.")
    elif check.get("comparison"):
        c = check["comparison"]
        lo, hi = c["ci95"]
        lines.append(
            f"On the {check['n']} held-out questions: {check['best']:.2f} against "
            f"{check['current']:.2f} for the run's setting ({c['delta']:+.2f}, 95% interval "
            f"{lo:+.2f} to {hi:+.2f}, p = {c['p_value']:.3f}): {c['verdict']}."
            + (f" Offered setting: {sweep['offer']}." if c["delta"] > 0 else
               " Not ahead on the held-out questions: keep the run's setting.")
        )  # fmt: skip
    return lines + ([sweep["note"]] if sweep.get("note") else [])


def _cell_text(cell: dict[str, Any]) -> str:
    low, high = cell[f"{METRIC}_ci95"]
    return (f"{METRIC} {cell[METRIC]:.2f} [{low:.2f}–{high:.2f}], recall@k "
            f"{cell['recall_at_k']:.2f}")  # fmt: skip


def sweep_stored(
    run: dict[str, Any], store: Any, docs: Sequence[Any], workspace: str, settings: Any,
    chat: Any, embedder: Any, progress: Any = None, cancel: Any = None,
) -> dict[str, Any]:  # fmt: skip
    """The sweep for a stored knowledge run (the Trials tab's button, after the run): its
    config, its split and its RAG scores come from the store, the documents from the caller."""
    import threading

    from eval.config import KnowledgeConfig
    from eval.data.pairs import EvalPair
    from eval.runners.context import no_progress

    row = run["run"]
    config = KnowledgeConfig.from_dict(row.get("config") or {})
    pairs = store.get_eval_pairs(row["run_id"])
    split: dict[str, list[EvalPair]] = {"train": [], "heldout": []}
    for p in pairs:
        split[p["split"]].append(EvalPair(str(p["idx"]), p["question"], p["answer"]))
    rag = store.get_items(row["run_id"], "rag")
    current = [float((r.get("scores") or {}).get(METRIC, 0.0)) for r in rag]
    ctx = KnowledgeContext(
        settings=settings, config=config, chat=chat, embedder=embedder, run_dir=None,
        progress=progress or no_progress, cancel=cancel or threading.Event(), index=None,
    )  # fmt: skip
    return sweep(ctx, docs, workspace, split["train"], split["heldout"], current)
