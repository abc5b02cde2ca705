"""What each kind of trial brings to the one orchestrator (`eval.run`): its checks before
anything loads, and its data, split and runner context once the run is recorded.

- knowledge: documents are indexed into the workspace; the evaluation set is exactly one
  of the reviewed pairs handed in, the named Q/A file, the Q/A files found among the
  documents, or pairs generated from them (`EvalSet` records which), split by the one
  held-out rule; runners get the index and the run's own chunks.
- behaviour: the examples file is read, its task kind chosen, split (stratified by label
  for classification); runners get the task prompt and the label set.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.core.errors import DatasetError
from eval.data.evalset import EvalSet
from eval.data.examples import choose_task, label_group, labels_of, read_examples
from eval.data.pairs import EvalPair, from_qa_pairs, generate_pairs
from eval.data.split import Split, split_items
from eval.runners.context import BehaviourContext, KnowledgeContext, RunContext
from eval.runners.shots import task_system


@dataclass
class Prepared:
    """A kind's data for one run: the runner context, the split, and what to tell the user."""

    ctx: RunContext
    split: Split[Any]
    task: str  # "knowledge" or the behaviour task kind: how items are scored
    labels: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    ingest: dict[str, Any] = field(default_factory=dict)
    eval_set: dict[str, Any] = field(default_factory=dict)  # knowledge: `EvalSet.to_dict()`

    @property
    def item_kinds(self) -> list[str]:
        """Per held-out item, what it is (uploaded, question, cloze), for split scores."""
        return [getattr(item, "kind", "") for item in self.split.heldout]


def check_knowledge(job: Any) -> None:
    """Refuse, before any model loads, documents or a Q/A file that are not there."""
    from knowledge.index import check_paths

    drill = list(getattr(job, "drill_docs", None) or [])
    check_paths([*job.docs, *drill], [job.qa_file, getattr(job, "drill_qa", None)])
    if not job.docs and not job.pairs:
        raise DatasetError("no documents given: name at least one file or folder")
    if job.qa_file and job.pairs:  # one evaluation set per run, or its numbers mislead
        raise DatasetError("give either a Q/A file or reviewed pairs to evaluate on, not both")
    if drill and not getattr(job, "drill_qa", None):
        raise DatasetError("--drill-docs needs --drill-qa: the answers as they read in the "
                           "new versions (question,answer)")  # fmt: skip
    if drill and "rag" not in job.config.trials and "lora" not in job.config.trials:
        raise DatasetError("the update drill needs the rag or lora trial (or both)")
    if job.qa_file:
        read_qa_file(job.qa_file)  # a Q/A file with no usable row fails now, not after indexing


def read_qa_file(path: str | Path) -> Any:
    """The Q/A file's ingest result; refused, with the reasons, when no row is usable
    (a binary file renamed .csv was once planned as fine, then failed after indexing)."""
    from knowledge.reading.ingest import ingest_paths

    found = ingest_paths([path])
    if not found.qa_pairs:
        why = "; ".join([s.reason for s in found.skipped] + list(found.notes))
        raise DatasetError(f"{Path(path).name}: no usable question/answer rows"
                           + (f" ({why})" if why else ""))  # fmt: skip
    return found


def prepare_knowledge(job: Any, run_dir: Path) -> Prepared:
    """Index the documents, build the evaluation set, split it."""
    from knowledge.chunking import ChunkConfig
    from knowledge.index import index_paths, open_index

    retrieval = job.config.retrieval
    chunking = ChunkConfig(retrieval.chunk_size, retrieval.chunk_overlap)
    index = open_index(job.workspace, job.settings, job.embedder, chunking)
    report = index_paths(job.docs, index, progress=job.progress)
    sources = tuple(report.sources)  # only this run's documents, whatever else is indexed
    ctx = KnowledgeContext(
        settings=job.settings, config=job.config, chat=job.chat, embedder=job.embedder,
        run_dir=run_dir, progress=job.progress, cancel=job.cancel, judge=job.judge,
        index=index, chunks=index.all_chunks(sources=sources) if sources else [],
        sources=sources,
    )  # fmt: skip
    warnings = []
    if not ctx.chunks:
        warnings.append("the documents yielded no text: RAG has nothing to retrieve")
    pairs, chosen = _evaluation_pairs(job, ctx, report.qa_pairs, warnings)
    split = split_items(pairs, job.config, "Q/A pairs")
    if split.small_sample:
        warnings.append(f"only {len(split.heldout)} held-out pairs: scores are noisy")
    ctx.train = split.train
    eval_set = chosen.split(len(split.train), len(split.heldout)).to_dict()
    return Prepared(ctx, split, "knowledge", [], warnings, report.summary(), eval_set)


def _evaluation_pairs(
    job: Any, ctx: KnowledgeContext, found: list, warnings: list[str]
) -> tuple[list[EvalPair], EvalSet]:
    """Exactly one evaluation set: the reviewed pairs handed in, else the named Q/A file,
    else the Q/A files found among the documents, else pairs generated from them.

    Never a mix: a run scored on counsel's pairs plus last week's generated ones would
    report numbers that belong to neither set.
    """
    if job.pairs:
        return list(job.pairs), EvalSet("reviewed")
    if job.qa_file:
        return _file_pairs(job, found, warnings)
    pairs = from_qa_pairs(found, job.config.max_pairs)
    if pairs:
        return pairs, EvalSet("found", sorted({p.source for p in found}))
    warnings.append("no Q/A file given: pairs were generated from the documents; review them")
    generated = generate_pairs(ctx.chunks, ctx.chat, job.config, job.progress, job.cancel)
    return generated, EvalSet("generated")


def _file_pairs(job: Any, found: list, warnings: list[str]) -> tuple[list[EvalPair], EvalSet]:
    """The named Q/A file's pairs alone; Q/A files among the documents are named, unused."""
    name = Path(job.qa_file).name
    qa_ingest = read_qa_file(job.qa_file)
    warnings += [f"{s.file}: {s.reason}" for s in qa_ingest.skipped] + qa_ingest.notes
    unused = sorted({p.source for p in found} - {name})
    if unused:
        warnings.append(f"Q/A pairs in {', '.join(unused)} were not used: the evaluation "
                        f"set is {name}")  # fmt: skip
    return from_qa_pairs(qa_ingest.qa_pairs, job.config.max_pairs), EvalSet("file", [name])


def check_behaviour(job: Any) -> None:
    """Read the examples file and choose the task now: a bad file fails before any model."""
    job.examples = read_examples(Path(job.examples_file), job.config, job.instruction)
    job.task, job.task_reason = choose_task(job.examples, job.task)


def prepare_behaviour(job: Any, run_dir: Path) -> Prepared:
    """Split the examples and build the task prompt every approach starts from."""
    examples = job.examples
    group = label_group if job.task == "classification" else None
    split = split_items(examples.examples, job.config, "examples", group)
    labels = labels_of(split.train + split.heldout)
    ctx = BehaviourContext(
        settings=job.settings, config=job.config, chat=job.chat, embedder=job.embedder,
        run_dir=run_dir, train=split.train, progress=job.progress, cancel=job.cancel,
        judge=job.judge, task=job.task, instruction=examples.instruction, labels=labels,
        system=task_system(job.task, examples.instruction, labels),
    )  # fmt: skip
    warnings = [job.task_reason, *examples.notes, *_skipped_lines(examples)]
    return Prepared(ctx, split, job.task, labels, warnings)


def input_notes(job: Any) -> list[str]:
    """What `trial --plan` says of the input files, as a real run's warnings would: rows of
    the examples file skipped and why, or lines and rows the Q/A file lost.

    Without it a plan looks fine while the run quietly works on less than the user gave.
    """
    if job.kind == "behaviour":
        return [*job.examples.notes, *_skipped_lines(job.examples)]
    if not job.qa_file:
        return []
    from knowledge.reading.ingest import ingest_paths

    found = ingest_paths([job.qa_file])
    return [f"{s.file}: {s.reason}" for s in found.skipped] + found.notes


def _skipped_lines(examples: Any) -> list[str]:
    skipped = [f"{examples.source} {p.reason}" for p in examples.skipped[:5]]  # names the row
    more = len(examples.skipped) - len(skipped)
    return skipped + ([f"... and {more} more skipped rows"] if more > 0 else [])


def split_rows(split: Split[Any]) -> list[dict[str, Any]]:
    """The evaluation set as stored: every item with its side of the split."""
    rows = []
    for part, items in (("train", split.train), ("heldout", split.heldout)):
        for item in items:
            rows.append({
                "idx": len(rows), "split": part, "question": item.question,
                "answer": item.answer,
                "source": item.source if isinstance(item, EvalPair) else item.id,
                "generated": isinstance(item, EvalPair) and item.generated,
            })  # fmt: skip
    return rows


@dataclass(frozen=True)
class KindSteps:
    check: Any  # (job) -> None, before models load
    prepare: Any  # (job, run_dir) -> Prepared, once the run is recorded


KINDS = {
    "knowledge": KindSteps(check_knowledge, prepare_knowledge),
    "behaviour": KindSteps(check_behaviour, prepare_behaviour),
}
