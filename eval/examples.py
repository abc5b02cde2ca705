"""A team's own input→output examples: read the file, tell the task kind, split it.

Rows may be plain input/output (or prompt/completion, text/label), Alpaca
instruction/input/output, or OpenAI chat fine-tuning `messages`; the format is detected
per row, so one file may mix them. Rows that cannot be used are skipped, each with a
reason naming its line or row and what to fix. Cell text is kept as data: a cell starting
with '=' is a string, never a formula.
"""

from __future__ import annotations

import math
import random
import statistics
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from assistant.core.errors import DatasetError, UnreadableFile
from eval.example_rows import ACCEPTED_ROWS, NO_FIELDS, parse_row, read_rows, row_key
from eval.json_metrics import strict_json
from eval.task_metrics import normalize_label
from knowledge.reading.decode import decode_text

TASK_KINDS = ("classification", "json", "generation")
SUPPORTED = (".jsonl", ".json", ".csv")


@dataclass(frozen=True)
class Example:
    id: str
    input: str
    output: str
    instruction: str = ""  # this row's own instruction (Alpaca) or system turn (chat)


@dataclass(frozen=True)
class RowProblem:
    row: int  # 1-based line (JSONL), element (JSON) or spreadsheet row (CSV, header = 1)
    reason: str  # names the row and what to fix: "line 7: not valid JSON (...)"


@dataclass(frozen=True)
class ExampleSet:
    examples: list[Example]
    instruction: str  # the task instruction: given, or shared by every row
    skipped: list[RowProblem]
    notes: list[str]
    source: str
    format: str  # row format: "input/output", "prompt/completion", "alpaca", "chat", "mixed"

    def summary(self) -> dict[str, Any]:
        kind, why = detect_task([e.output for e in self.examples])
        return {
            "source": self.source,
            "format": self.format,
            "examples": len(self.examples),
            "skipped": len(self.skipped),
            "skipped_reasons": [p.reason for p in self.skipped[:5]],
            "instruction": self.instruction,
            "notes": list(self.notes),
            "task": kind,
            "task_reason": why,
        }


def load_examples(
    data: bytes,
    name: str,
    *,
    instruction: str = "",
    cap: int = 10_000,
    seed: int = 0,
    min_rows: int = 30,
) -> ExampleSet:
    """Usable examples from a .jsonl, .json or .csv file; DatasetError when too few."""
    ext = "." + name.rsplit(".", 1)[-1].casefold() if "." in name else ""
    if ext not in SUPPORTED:
        raise UnreadableFile(
            f"{name}: examples must be a .jsonl, .json or .csv file (got {ext or 'no extension'})"
        )
    notes: list[str] = []
    text = decode_text(data)
    rows = read_rows(text, ext, name, notes)
    examples: list[Example] = []
    skipped: list[RowProblem] = []
    formats: Counter[str] = Counter()
    seen: dict[str, str] = {}
    for number, where, row in rows:
        parsed = parse_row(row)
        if isinstance(parsed, tuple):
            text_in, text_out, row_instruction, fmt = parsed
            key = row_key(row_instruction, text_in)
            if not text_in:
                parsed = "empty input (fill it in or delete the row)"
            elif not text_out:
                parsed = "empty output (fill it in or delete the row)"
            elif key in seen:
                parsed = f"duplicate input (same normalised input as {seen[key]}; keep one)"
            else:
                seen[key] = where
                formats[fmt] += 1
                examples.append(
                    Example(where.replace(" ", "-"), text_in, text_out, row_instruction)
                )
                continue
        skipped.append(RowProblem(number, f"{where}: {parsed}"))
    if len(examples) < min_rows:
        raise DatasetError(_too_few(len(examples), name, min_rows, skipped))
    if len(examples) > cap:
        keep = sorted(random.Random(seed).sample(range(len(examples)), cap))
        notes.append(f"sampled {cap:,} of {len(examples):,} rows")
        examples = [examples[i] for i in keep]
    if len(formats) > 1:
        notes.append("rows mix formats: " + ", ".join(f"{n} {f}" for f, n in formats.most_common()))
    shared = {e.instruction for e in examples}
    if not instruction and len(shared) == 1:
        instruction = shared.pop()
    fmt = next(iter(formats)) if len(formats) == 1 else "mixed"
    return ExampleSet(examples, instruction, skipped, notes, name, fmt)


def _too_few(n: int, name: str, min_rows: int, skipped: list[RowProblem]) -> str:
    message = f"only {n} usable examples in {name} (need at least {min_rows} for a fair split)"
    if not skipped:
        return message + "; add more examples"
    message += f"; {len(skipped)} rows were skipped: " + "; ".join(p.reason for p in skipped[:3])
    if any(NO_FIELDS in p.reason for p in skipped):
        message += f" (accepted rows: {ACCEPTED_ROWS})"
    return message


# --- task kind ------------------------------------------------------------------------


def detect_task(outputs: Sequence[str]) -> tuple[str, str]:
    """("classification" | "json" | "generation", one sentence saying why)."""
    n = len(outputs)
    if not n:
        return "generation", "there are no outputs to inspect; scored as text"
    parsed = [strict_json(o) for o in outputs]
    n_json = sum(v is not None for v in parsed)
    if n_json >= 0.9 * n:
        kinds = {"object" if isinstance(v, dict) else "array" for v in parsed if v is not None}
        what = "JSON " + (f"{kinds.pop()}s" if len(kinds) == 1 else "objects or arrays")
        if n_json == n:
            return "json", f"all {n} outputs are {what}"
        return "json", f"{n_json} of {n} outputs are {what}; the rest will score as invalid"
    counts = Counter(normalize_label(o) for o in outputs)
    if len(counts) == 1:
        label = Counter(o.strip() for o in outputs).most_common(1)[0][0]
        return "classification", (
            f"all {n} outputs are the same, only one label ({label}): accuracy would be "
            f"trivial; add examples of other labels"
        )
    if n_json >= 0.2 * n:
        return "generation", f"{n_json} of {n} outputs parse as JSON; scored as text"
    median_words = statistics.median(len(o.split()) for o in outputs)
    limit = max(2, min(30, n / 5))
    if len(counts) <= limit and median_words <= 4:
        shown = ", ".join(sorted(counts)[:8]) + (", ..." if len(counts) > 8 else "")
        return "classification", f"all {n} outputs are one of {len(counts)} labels ({shown})"
    if median_words <= 4:
        return "generation", (
            f"outputs are short but take {len(counts)} different values, too many to be "
            f"labels; scored as free text (median {median_words:g} words)"
        )
    return "generation", f"outputs are free text (median {median_words:g} words)"


def labels_of(examples: Sequence[Example]) -> list[str]:
    """The distinct labels, sorted; spellings that normalise alike count once (commonest)."""
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for e in examples:
        spellings[normalize_label(e.output)][e.output.strip()] += 1
    return sorted(c.most_common(1)[0][0] for c in spellings.values())


# --- split ----------------------------------------------------------------------------


def heldout_count(n: int, heldout_min: int = 30, heldout_fraction: float = 0.3) -> int:
    """How many of n examples `split_examples` holds out (the rest, at least 8 and 20%, train).

    >>> heldout_count(300), heldout_count(40)
    (90, 30)
    """
    return min(max(heldout_min, math.ceil(heldout_fraction * n)), n - max(8, math.ceil(0.2 * n)))


def split_examples(
    examples: Sequence[Example],
    task: str,
    *,
    seed: int = 0,
    heldout_min: int = 30,
    heldout_fraction: float = 0.3,
) -> tuple[list[Example], list[Example]]:
    """Seeded (train, held-out); stratified by label for classification; no leakage."""
    if task not in TASK_KINDS:
        raise ValueError(f"unknown task kind {task!r}; expected one of {TASK_KINDS}")
    n = len(examples)
    n_train_min = max(8, math.ceil(0.2 * n))
    n_held = heldout_count(n, heldout_min, heldout_fraction)
    if n_held < 1:
        raise DatasetError(
            f"only {n} examples: at least {n_train_min + 1} are needed to keep "
            f"{n_train_min} for training and hold some out for scoring"
        )
    rng = random.Random(seed)
    order = sorted(examples, key=lambda e: e.id)  # the same split whatever the input order
    if task == "classification":
        train, heldout = _stratified(order, n_held, rng)
    else:
        rng.shuffle(order)
        train, heldout = order[n_held:], order[:n_held]
    seen = {row_key(e.instruction, e.input) for e in train}
    leaked = [e.id for e in heldout if row_key(e.instruction, e.input) in seen]
    if leaked:
        raise DatasetError(
            f"{len(leaked)} held-out inputs also appear in training (e.g. {', '.join(leaked[:3])});"
            " remove duplicate inputs first (load_examples does)"
        )
    return train, heldout


def _stratified(
    examples: Sequence[Example], n_held: int, rng: random.Random
) -> tuple[list[Example], list[Example]]:
    """Each label held out in proportion; a label with ≥ 2 examples lands on both sides."""
    groups: dict[str, list[Example]] = defaultdict(list)
    for e in examples:
        groups[normalize_label(e.output)].append(e)
    labels = sorted(groups)
    for label in labels:
        rng.shuffle(groups[label])
    both = [label for label in labels if len(groups[label]) >= 2]
    n = len(examples)
    fixed = len(both) <= n_held and len(both) <= n - n_held
    alloc = {label: int(fixed and label in both) for label in labels}
    room = {label: len(groups[label]) - 2 * alloc[label] for label in labels}
    left, total_room = n_held - sum(alloc.values()), sum(room.values())
    shares = {label: left * room[label] / total_room if total_room else 0 for label in labels}
    for label in labels:
        alloc[label] += int(shares[label])
    by_remainder = sorted(labels, key=lambda lb: (-(shares[lb] % 1), lb))
    for label in by_remainder[: n_held - sum(alloc.values())]:
        alloc[label] += 1
    heldout = [e for label in labels for e in groups[label][: alloc[label]]]
    train = [e for label in labels for e in groups[label][alloc[label] :]]
    rng.shuffle(heldout)
    rng.shuffle(train)
    return train, heldout
