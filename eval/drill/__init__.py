"""The knowledge-update drill (`trial --drill K`): what a change in the documents costs each
approach, measured instead of argued.

After a knowledge run's trials, the facts behind K% of the held-out questions are changed
in the documents (`eval.drill.facts`), then each arm the run trained answers the changed
questions (`eval.drill.arms`): RAG after re-indexing only the changed files, the trained
LoRA as it is (stale) and, within the run's LoRA budget, a LoRA retrained on the updated
documents. `eval.drill.measure` gives per arm the share answering with the new value and
with the old one, and the seconds and cost until correct, priced with the team's
`CostRates`. The run stores the result (`Store.set_drill`) for the Trials tab, the
report's "When your documents change" section and the advice.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from assistant.core.rates import CostRates
from eval.data.pairs import EvalPair
from eval.drill.arms import (
    adapter_answers,
    drill_index,
    rag_answers,
    reindex,
    retrain,
    served_answers,
)
from eval.drill.facts import DocText, FactChange, Update, change_facts, uploaded_update
from eval.drill.measure import ARM_LABELS, CORRECT_SHARE, arm_figures
from knowledge.chroma import derived_workspace

__all__ = ["ARM_LABELS", "CORRECT_SHARE", "EDITABLE", "read_docs", "run_drill"]

EDITABLE = (".txt", ".md", ".markdown")  # plain text the drill can change in place


def read_docs(paths: Sequence[str | Path], sources: Sequence[str] = ()) -> list[DocText]:
    """The run's plain-text documents under their index source names (as ingest names them).

    PDF, DOCX and HTML files are left out: changing a value inside them would need their
    own writers, and the drill must not fake an update it cannot make.
    """
    from knowledge.reading.decode import UnreadableFile, decode_text
    from knowledge.reading.ingest import safe_source

    found: list[tuple[str, Path]] = []
    for given in map(Path, paths):
        if given.is_dir():
            for path in sorted(given.rglob("*")):
                relative = path.relative_to(given)
                if path.is_file() and not any(part.startswith(".") for part in relative.parts):
                    found.append((safe_source(relative.as_posix()), path))
        elif given.is_file():
            found.append((safe_source(given.name), given))
    docs = []
    for source, path in found:
        if path.suffix.lower() not in EDITABLE or (sources and source not in sources):
            continue
        try:
            docs.append(DocText(source, str(path), decode_text(path.read_bytes())))
        except (OSError, UnreadableFile):
            continue
    return docs


def run_drill(job: Any, prepared: Any, result: Any) -> dict[str, Any]:
    """Change the facts, let each arm catch up, measure it (see the module docstring)."""
    ctx, config = prepared.ctx, job.config
    heldout = prepared.split.heldout
    wanted = max(1, math.ceil(config.drill * len(heldout) / 100))
    known = known_before(result.items)
    if getattr(job, "drill_docs", None):
        update = team_update(job, heldout)
        wanted = len(update.changes)
    else:
        docs = read_docs(job.docs, ctx.sources)
        update = change_facts(docs, heldout, wanted, config.seed, prefer=known)
    out: dict[str, Any] = {
        "source": "uploaded" if getattr(job, "drill_docs", None) else "changed by the drill",
        "percent": config.drill, "asked": wanted, "changed": len(update.changes),
        "known_before": sum(c.question in known for c in update.changes),
        "files": sorted(update.files), "changes": [c.to_dict() for c in update.changes],
        "correct_share": CORRECT_SHARE, "arms": {}, "notes": list(update.notes),
    }  # fmt: skip
    if not update.changes:
        out["notes"].append("no held-out answer could be changed: nothing was measured")
        return out
    questions = [EvalPair(f"drill-{i}", c.question, c.new) for i, c in enumerate(update.changes)]
    before = _before(result.items, update.changes)
    rates = CostRates.from_settings(job.settings)
    folder = ctx.run_dir / "drill"
    with drill_index(ctx, derived_workspace(job.workspace, f"drill-{result.run_id}")) as index:
        seconds = reindex(update.files, index, folder / "docs")
        out["reindex_seconds"] = round(seconds, 2)
        if "rag" in config.trials:
            items = rag_answers(ctx, index, questions)
            files = f"re-indexed {len(update.files)} changed file(s)"
            out["arms"]["rag"] = arm_figures(
                _texts(items),
                update.changes,
                files,
                seconds,
                rates,
                "cpu",
                before=before.get("rag"),
                labels=_labelled(items, retrieval=True),
            )
        if "lora" in config.trials:
            _lora_arms(ctx, index, update, questions, folder, rates, before, out)
    return out


def _lora_arms(
    ctx: Any, index: Any, update: Update, questions: list[EvalPair], folder: Path,
    rates: CostRates, before: dict[str, list[str]], out: dict[str, Any],
) -> None:  # fmt: skip
    """The stale adapter's answers and, when it was trained here, a retrained one's."""
    changes, arms, notes = update.changes, out["arms"], out["notes"]
    if ctx.settings.chat_backend == "openai":
        items = served_answers(ctx, questions)
        arms["lora-stale"] = arm_figures(
            _texts(items), changes, "", None, rates,
            before=before.get("lora"), labels=_labelled(items, False),
        )  # fmt: skip
        notes.append("the served adapter cannot be retrained inside the run: retrain it "
                     "on the model's local weights, export it and serve it again")  # fmt: skip
        return
    adapter = getattr(ctx, "_adapter", None)
    if adapter is None:
        notes.append("the LoRA trial trained no adapter: its drill arms were not measured")
        return
    items, _ = adapter_answers(ctx, adapter, questions, "drill: LoRA as trained")
    arms["lora-stale"] = arm_figures(
        _texts(items), changes, "", None, rates,
        before=before.get("lora"), labels=_labelled(items, False),
    )  # fmt: skip
    fresh, retrained = retrain(ctx, index, list(update.files), folder)
    items, ready = adapter_answers(fresh, retrained, questions, "drill: LoRA retrained")
    extra = retrained.extra
    seconds = extra["train_seconds"] + ready
    what = (f"retrained for {extra['train_seconds']:.0f} s ({extra['steps']} of "
            f"{extra['planned_steps']} steps), converted in {ready:.0f} s")  # fmt: skip
    arms["lora-retrained"] = arm_figures(
        _texts(items),
        changes,
        what,
        seconds,
        rates,
        extra.get("device", "cpu"),
        labels=_labelled(items, False),
    ) | {"stopped_by": extra["stopped_by"], "train_seconds": extra["train_seconds"]}


def team_update(job: Any, heldout: Sequence[Any]) -> Update:
    """The team's uploaded update: `job.drill_docs` (new versions, named as the run's
    documents are) and `job.drill_qa` (the answers as they read now)."""
    from knowledge.reading.ingest import ingest_paths, safe_source

    files: dict[str, Path] = {}
    for given in map(Path, job.drill_docs):
        found = sorted(p for p in given.rglob("*") if p.is_file()) if given.is_dir() else [given]
        for path in found:
            name = path.relative_to(given).as_posix() if given.is_dir() else path.name
            files[safe_source(name)] = path
    answers = ingest_paths([job.drill_qa]).qa_pairs
    return uploaded_update(files, answers, heldout)


def known_before(items: dict[str, list[Any]]) -> set[str]:
    """Questions some trial of the run answered right (`contains`) before the change."""
    return {i.question for answered in items.values() for i in answered
            if i.scores.get("contains", 0.0) >= 1.0}  # fmt: skip


def _labelled(items: Sequence[Any], retrieval: bool) -> list[str]:
    """Why each drill answer failed against the new value (`eval.scoring.attribution`)."""
    from eval.scoring.attribution import label_items
    from eval.scoring.summary import score_item

    for item in items:
        item.scores = score_item(item, "knowledge")
    return label_items(items, "knowledge", retrieval)


def _before(items: dict[str, list[Any]], changes: Sequence[FactChange]) -> dict[str, list[str]]:
    """Each trial's answers to the changed questions before the change (when it has all)."""
    out = {}
    for trial, answered in items.items():
        by_question = {item.question: item.prediction for item in answered}
        if all(c.question in by_question for c in changes):
            out[trial] = [by_question[c.question] for c in changes]
    return out


def _texts(items: Sequence[Any]) -> list[str]:
    return [item.prediction for item in items]
