"""What a run will ask the model, counted before any model loads: items on each side of
the split and the size of each approach's prompt, for `eval.plan`.

Sizes are estimated from characters (about 4 per token for English text), which is close
enough for a time estimate and needs no tokenizer.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eval.data.split import heldout_count

CHARS_PER_TOKEN = 4.0
CHAT_OVERHEAD = 12  # tokens a chat template adds around each turn
KNOWLEDGE_QUESTION = 20  # tokens of a typical question and its short system prompt
CONTEXT_SENTENCE = 30  # tokens of one retrieved sentence
PAIR_PROMPT = 320  # tokens of the prompt that turns a chunk into a question


@dataclass(frozen=True)
class Workload:
    """Counts and prompt sizes (tokens) per trial name; `lora_examples` is what the
    adapter trains on (the train split, plus document chunks for knowledge)."""

    n_train: int
    n_heldout: int
    prompt_tokens: dict[str, int] = field(default_factory=dict)
    answer_tokens: int = 16
    lora_examples: int = 0
    answer_by_trial: dict[str, int] = field(default_factory=dict)  # where it differs
    generate_pairs: int = 0  # knowledge without Q/A: pairs to generate first


def tokens(text: str) -> int:
    return math.ceil(len(text) / CHARS_PER_TOKEN)


def behaviour_workload(job: Any) -> Workload:
    """From the examples file already read by the run's check (`job.examples`)."""
    config, rows = job.config, job.examples.examples
    n_held = heldout_count(len(rows), config)
    n_train = len(rows) - n_held
    system = tokens(job.examples.instruction or "Classify the input.") + 25
    inputs = statistics.fmean(tokens(r.input) for r in rows) + CHAT_OVERHEAD
    outputs = statistics.fmean(tokens(r.output) for r in rows) + CHAT_OVERHEAD
    shots = min(config.shots, n_train)
    bare = round(system + inputs)
    shown = round(bare + shots * (inputs + outputs))
    cap = config.max_answer_tokens if job.task != "classification" else 16
    answer = min(cap, max(4, round(2 * (outputs - CHAT_OVERHEAD))))
    sizes = {"prompt": bare, "few-shot": shown, "retrieved-shots": shown, "lora": bare}
    # With no worked example to copy, a base model runs on to the answer cap (measured on
    # the packaged model: 15 of 16 tokens zero-shot, 5 few-shot, on support routing).
    return Workload(n_train, n_held, sizes, answer, n_train, {"prompt": cap})


def knowledge_workload(job: Any) -> Workload:
    """From reviewed pairs, the Q/A file's rows, or the number of pairs to be generated."""
    config = job.config
    n, generate = len(job.pairs or []), 0
    if not n and job.qa_file:
        n = min(config.max_pairs, _qa_rows(Path(job.qa_file)))
    if not n:
        n = generate = config.generate_pairs
    n_held = heldout_count(n, config)
    rag = KNOWLEDGE_QUESTION + config.retrieval.context_sentences * CONTEXT_SENTENCE
    sizes = {"prompt": KNOWLEDGE_QUESTION, "rag": rag, "lora": KNOWLEDGE_QUESTION,
             "rag+lora": rag}  # fmt: skip
    n_train = n - n_held
    return Workload(
        n_train, n_held, sizes, 12, n_train + config.lora.doc_chunks, generate_pairs=generate
    )


def _qa_rows(path: Path) -> int:
    """Question/answer rows in the file (the run reads them properly later)."""
    from knowledge.reading.ingest import ingest_paths

    return len(ingest_paths([path]).qa_pairs)


def workload_of(job: Any) -> Workload:
    """The job's workload; call after `eval.run.check_inputs` (a behaviour job's file is
    read there)."""
    return behaviour_workload(job) if job.kind == "behaviour" else knowledge_workload(job)
