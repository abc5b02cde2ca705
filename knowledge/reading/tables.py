"""Tables (CSV, JSON Lines, JSON arrays of objects): rows as documents, or Q/A pairs.

A table with question and answer columns is a test set; any other table is read as
'col: value; col: value' lines in groups of ROWS_PER_DOCUMENT rows. CSV quoting is
always the standard (RFC 4180) dialect: only the delimiter is guessed.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from knowledge.reading.decode import UnreadableFile, decode_text, normalize_text
from knowledge.types import Document, QAPair

ROWS_PER_DOCUMENT = 50
_TOO_DEEP = "is nested too deeply to read (flatten it to one object per row)"
QUESTION_FIELDS = ("question", "q", "prompt", "input")
ANSWER_FIELDS = ("answer", "a", "response", "output", "reference")

Row = dict[str, Any]


@dataclass
class QALoad:
    """Q/A pairs read from a file, with counts of dropped rows so the user can be told."""

    pairs: list[QAPair] = field(default_factory=list)
    empty_questions: int = 0
    empty_answers: int = 0
    duplicates: int = 0

    def describe_drops(self) -> str:
        """'dropped 2 rows with empty answers, 1 duplicate' or '' when nothing was dropped."""
        counts = [
            (self.empty_questions, "row", " with empty questions"),
            (self.empty_answers, "row", " with empty answers"),
            (self.duplicates, "duplicate question", ""),
        ]
        parts = [_plural(n, noun) + tail for n, noun, tail in counts if n]
        return "dropped " + ", ".join(parts) if parts else ""


def row_documents(rows: Iterable[Row], source: str) -> list[Document]:
    lines = [line for line in (_row_line(row) for row in rows) if line]
    return [
        Document(text="\n".join(lines[start : start + ROWS_PER_DOCUMENT]), source=source, page=n)
        for n, start in enumerate(range(0, len(lines), ROWS_PER_DOCUMENT), start=1)
    ]


def _row_line(row: Row) -> str:
    return "; ".join(f"{key}: {text}" for key, value in row.items() if (text := cell_text(value)))


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        value = json.dumps(value, ensure_ascii=False)
    return " ".join(normalize_text(value).split())


def csv_rows(data: bytes) -> list[Row]:
    """Rows keyed by header; blank, repeated or missing header names get 'column N' names."""
    text = decode_text(data)
    dialect = csv_dialect(text)
    try:
        records = [r for r in csv.reader(io.StringIO(text), dialect) if any(r)]
    except csv.Error as exc:
        raise UnreadableFile(f"CSV is malformed: {exc}") from exc
    if not records:
        return []
    header = _unique_header(records[0])
    rows = []
    for record in records[1:]:
        names = header + [f"column {i + 1}" for i in range(len(header), len(record))]
        rows.append({name: value.strip() for name, value in zip(names, record, strict=False)})
    return rows


DELIMITERS = ",;\t|"
_SAMPLE_ROWS = 50


class _Rfc4180(csv.excel):
    """RFC 4180 quoting (doubled quotes inside quoted fields, newlines allowed in them)."""

    strict = False


def csv_dialect(text: str) -> type[csv.Dialect]:
    """The standard (RFC 4180) dialect with the delimiter that splits the rows most evenly.

    Only the delimiter is guessed: `csv.Sniffer` also guesses quoting, and on a file with
    quoted newlines and doubled quotes it can pick `doublequote=False`, which silently
    corrupts every quoted answer. Each candidate delimiter reads the first rows with the
    standard quoting; the one that gives most rows the header's width (of 2+ columns) wins,
    commas on a tie, so ';' and tab exports from Excel read right too.
    """
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        dialect = type("Dialect", (_Rfc4180,), {"delimiter": delimiter})
        try:
            rows = [
                r
                for r in itertools.islice(csv.reader(io.StringIO(text), dialect), _SAMPLE_ROWS)
                if r
            ]
        except csv.Error:
            continue
        width = len(rows[0]) if rows else 0
        score = (sum(len(r) == width for r in rows), width) if width > 1 else (0, 0)
        if score > best_score:
            best, best_score = delimiter, score
    return type("Dialect", (_Rfc4180,), {"delimiter": best})


def _unique_header(names: list[str]) -> list[str]:
    header: list[str] = []
    for i, name in enumerate(names):
        name = name.strip() or f"column {i + 1}"
        header.append(name if name not in header else f"{name} ({i + 1})")
    return header


def jsonl_rows(data: bytes) -> list[Row]:
    rows = []
    for number, line in enumerate(decode_text(data).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            raise UnreadableFile(f"JSONL line {number} is not valid JSON: {exc.msg}") from exc
        except RecursionError as exc:
            raise UnreadableFile(f"JSONL line {number} {_TOO_DEEP}") from exc
        rows.append(value if isinstance(value, dict) else {"value": value})
    return rows


def parse_json(data: bytes) -> Any:
    try:
        return json.loads(decode_text(data))
    except json.JSONDecodeError as exc:
        raise UnreadableFile(f"JSON is not valid: {exc.msg} (line {exc.lineno})") from exc
    except RecursionError as exc:  # [[[[... a few thousand deep: not a table or a text
        raise UnreadableFile(f"JSON {_TOO_DEEP}") from exc


def json_rows(data: bytes) -> list[Row]:
    """The records of a JSON array of objects; [] for any other JSON (it is not a table)."""
    value = parse_json(data)
    is_table = isinstance(value, list) and all(isinstance(v, dict) for v in value)
    return value if is_table else []


def qa_loader(read_rows: Callable[[bytes], list[Row]]) -> Callable[[bytes, str], QALoad | None]:
    """A loader giving Q/A pairs when the rows have question and answer fields, else None."""

    def load_qa(data: bytes, source: str) -> QALoad | None:
        return _qa_from_rows(read_rows(data), source)

    return load_qa


def qa_columns(keys: Iterable[str]) -> tuple[str, str, str | None] | None:
    """The (question, answer, id) keys among `keys`, matched case-insensitively, or None."""
    by_lower: dict[str, str] = {}
    for key in keys:
        by_lower.setdefault(str(key).strip().lower(), key)
    question = next((by_lower[f] for f in QUESTION_FIELDS if f in by_lower), None)
    answer = next((by_lower[f] for f in ANSWER_FIELDS if f in by_lower), None)
    if question is None or answer is None:
        return None
    return question, answer, by_lower.get("id")


def _qa_from_rows(rows: list[Row], source: str) -> QALoad | None:
    """Pairs from rows; rows with empty fields and repeated questions are dropped and counted."""
    keys: dict[str, None] = {}
    for row in rows[:100]:  # JSONL records may differ in keys; look at a few
        keys.update(dict.fromkeys(row))
    columns = qa_columns(keys)
    if columns is None:
        return None
    q_key, a_key, id_key = columns
    result, seen = QALoad(), set()
    for row in rows:
        question, answer = cell_text(row.get(q_key)), cell_text(row.get(a_key))
        if not question:
            result.empty_questions += 1
        elif not answer:
            result.empty_answers += 1
        elif question in seen:
            result.duplicates += 1
        else:
            seen.add(question)
            pair_id = cell_text(row.get(id_key)) if id_key else ""
            result.pairs.append(QAPair(question, answer, id=pair_id, source=source))
    return result


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
