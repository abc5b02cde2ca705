"""A team's own input→output examples: read the file, tell the task kind, split it.

Rows may be plain input/output (or prompt/completion, text/label), Alpaca
instruction/input/output, or OpenAI chat fine-tuning `messages`; the format is detected
per row, so one file may mix them. Rows that cannot be used are skipped, each with a
reason naming its line or row and what to fix. Cell text is kept as data: a cell starting
with '=' is a string, never a formula.
"""

from __future__ import annotations

import random
import statistics
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.core.errors import ConfigError, DatasetError, UnreadableFile
from eval.data.rows import ACCEPTED_ROWS, NO_FIELDS, parse_row, read_rows, row_key
from eval.kinds import TASK_KINDS
from eval.scoring.json import strict_json
from eval.scoring.labels import normalize_label
from knowledge.reading.decode import decode, describe_nul_lines

SUPPORTED = (".jsonl", ".json", ".csv")
MAX_FILE_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class Example:
    id: str
    input: str
    output: str
    instruction: str = ""  # this row's own instruction (Alpaca) or system turn (chat)

    @property
    def leak_key(self) -> str:
        """Two rows with the same instruction and input, however spaced, are one."""
        return row_key(self.instruction, self.input)

    @property
    def question(self) -> str:
        """What the model is asked: the input (runners treat both kinds of item alike)."""
        return self.input

    @property
    def answer(self) -> str:
        """The reference answer: the expected output."""
        return self.output


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
    decoded = decode(data)
    rows = read_rows(decoded.text, ext, name, notes)
    examples: list[Example] = []
    skipped = _nul_problems(decoded.nul_lines, ext, notes)
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
    skipped.sort(key=lambda p: p.row)
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


def _nul_problems(lines: tuple[int, ...], ext: str, notes: list[str]) -> list[RowProblem]:
    """Lines emptied for holding a NUL byte, as skipped rows (JSONL, CSV) or a note (JSON).

    In JSONL and CSV a line is a row; in a JSON array it is not, so there it is a note.
    """
    if ext == ".json":
        notes.extend([describe_nul_lines(lines)] if lines else [])
        return []
    return [RowProblem(n, describe_nul_lines((n,))) for n in lines]


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


def label_group(example: Example) -> str:
    """The stratum of a classification example: its label as a reader compares labels."""
    return normalize_label(example.output)


def read_examples(path: Path, config: Any, instruction: str = "") -> ExampleSet:
    """Load an examples file with the size limit checked before reading it."""
    if not path.is_file():
        raise DatasetError(f"examples file not found: {path}")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise DatasetError(
            f"{path.name} is {size / 1e6:.1f} MB; the limit is {MAX_FILE_BYTES / 1e6:.0f} MB "
            "(a sample of a few thousand examples is plenty for a trial)"
        )
    return load_examples(
        path.read_bytes(), path.name, instruction=instruction, cap=config.max_examples,
        seed=config.seed, min_rows=config.min_items,
    )  # fmt: skip


def choose_task(examples: ExampleSet, requested: str) -> tuple[str, str]:
    """(task kind, explanation): detected from the outputs unless the user chose one."""
    detected, why = detect_task([e.output for e in examples.examples])
    if requested in ("", "auto"):
        return detected, why
    if requested not in TASK_KINDS:
        raise ConfigError(f"unknown task {requested!r}; available: auto, {', '.join(TASK_KINDS)}")
    if requested != detected:
        why = f"scored as {requested} as you asked (the outputs look like {detected}: {why})"
    return requested, why
