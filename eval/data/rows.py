"""Reading example rows: JSONL, JSON array or CSV in; (input, output, instruction) out.

The row format is detected per row: plain input/output (or prompt/completion,
text/label), Alpaca instruction/input/output, or OpenAI chat fine-tuning `messages`.
A row that cannot be used comes back as the reason, naming what to fix. Used by
`eval.data.examples.load_examples`.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from typing import Any

from assistant.core.errors import UnreadableFile

ACCEPTED_ROWS = (
    "input/output, prompt/completion, text/label, Alpaca instruction/input/output, "
    "or chat `messages`"
)
NO_FIELDS = "no input/output fields"
_TOO_DEEP = "nested too deeply to read (use one flat object per row)"
_INPUT_KEYS = ("input", "prompt", "text")
_OUTPUT_KEYS = ("output", "completion", "label")
_SYSTEM_ROLES = ("system", "developer")
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class Unparsed:
    """A line that is not even JSON; `parse_row` turns it into its reason."""

    reason: str


# A row as read: (number, "line 7" / "row 3", the parsed value or Unparsed).
Row = tuple[int, str, Any]


def read_rows(text: str, ext: str, name: str, notes: list[str]) -> list[Row]:
    """The rows of a decoded .jsonl, .json or .csv file; notes say what was assumed."""
    if ext == ".csv":
        return _csv_rows(text)
    if ext == ".jsonl":
        return _jsonl_rows(text)
    return _json_rows(text, name, notes)


def _json_rows(text: str, name: str, notes: list[str]) -> list[Row]:
    try:
        value = json.loads(text) if text.strip() else []
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data" and _first_line_is_object(text):  # JSONL saved as .json
            notes.append(f"{name} holds one JSON value per line; read as JSONL")
            return _jsonl_rows(text)
        raise UnreadableFile(
            f"{name} is not valid JSON ({exc.msg}, line {exc.lineno} column {exc.colno})"
        ) from exc
    except RecursionError as exc:  # [[[[... thousands deep: the parser gives up
        raise UnreadableFile(f"{name} is {_TOO_DEEP}") from exc
    if isinstance(value, dict):
        lists = [k for k, v in value.items() if isinstance(v, list)]
        if len(lists) != 1:
            raise UnreadableFile(f"{name}: expected a JSON array of example objects")
        notes.append(f"read the examples from the {lists[0]!r} array")
        value = value[lists[0]]
    if not isinstance(value, list):
        raise UnreadableFile(f"{name}: expected a JSON array of example objects")
    return [(i, f"row {i}", row) for i, row in enumerate(value, start=1)]


def _first_line_is_object(text: str) -> bool:
    line = next((line for line in text.split("\n") if line.strip()), "")
    try:
        return isinstance(json.loads(line), dict)
    except (ValueError, RecursionError):
        return False


def _jsonl_rows(text: str) -> list[Row]:
    rows: list[Row] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            row: Any = json.loads(line)
        except json.JSONDecodeError as exc:
            row = Unparsed(f"not valid JSON ({exc.msg} at column {exc.colno})")
        except RecursionError:
            row = Unparsed(_TOO_DEEP)
        rows.append((number, f"line {number}", row))
    return rows


def _csv_rows(text: str) -> list[Row]:
    """Rows keyed by header; the separator (, ; or tab) is the commonest one in the header."""
    first = next((line for line in text.split("\n") if line.strip()), "")
    delimiter = max(",;\t", key=first.count) if first else ","
    try:
        records = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error as exc:
        raise UnreadableFile(f"CSV is malformed: {exc}") from exc
    start = next((i for i, r in enumerate(records) if any(c.strip() for c in r)), len(records))
    if start == len(records):
        return []
    header = [cell.strip() for cell in records[start]]
    rows: list[Row] = []
    for i, record in enumerate(records[start + 1 :], start=start + 2):
        if any(cell.strip() for cell in record):
            cells = record + [""] * (len(header) - len(record))  # a short row: empty cells
            rows.append((i, f"row {i}", dict(zip(header, cells, strict=False))))
    return rows


def parse_row(row: Any) -> tuple[str, str, str, str] | str:
    """(input, output, instruction, format) of one row, or why it cannot be used."""
    if isinstance(row, Unparsed):
        return row.reason
    if not isinstance(row, dict):
        return f"not a JSON object (got {type(row).__name__}); each row needs input and output"
    fields = {str(k).strip().casefold(): v for k, v in row.items()}
    if "messages" in fields:
        return _parse_chat(fields["messages"])
    in_key = next((k for k in _INPUT_KEYS if k in fields), None)
    out_key = next((k for k in _OUTPUT_KEYS if k in fields), None)
    if out_key is None or (in_key is None and "instruction" not in fields):
        found = ", ".join(str(k) for k in list(row)[:8]) or "none"
        return f"{NO_FIELDS} (found: {found})"
    output = _text(fields[out_key])
    if "instruction" in fields:  # Alpaca: an empty input makes the instruction the input
        row_instruction = _text(fields["instruction"])
        given = _text(fields[in_key]) if in_key else ""
        if not given:
            return row_instruction, output, "", "alpaca"
        return given, output, row_instruction, "alpaca"
    return _text(fields[in_key]), output, "", f"{in_key}/{out_key}"


def _parse_chat(messages: Any) -> tuple[str, str, str, str] | str:
    """Output = last assistant turn, input = the user turn before it after earlier turns."""
    if not isinstance(messages, list):
        return '"messages" must be a list of {"role", "content"} turns'
    turns = [
        (str(m.get("role", "")).strip().casefold(), _content(m.get("content")))
        for m in messages
        if isinstance(m, dict)
    ]
    last = max((i for i, (role, _) in enumerate(turns) if role == "assistant"), default=None)
    if last is None:
        return "chat has no assistant turn (add the answer as the last assistant message)"
    user = max((i for i, (role, _) in enumerate(turns[:last]) if role == "user"), default=None)
    if user is None:
        return "chat has no user turn before the last assistant turn"
    system = "\n".join(c for role, c in turns[:last] if role in _SYSTEM_ROLES and c)
    context = [f"{role}: {c}" for role, c in turns[:user] if role not in _SYSTEM_ROLES and c]
    text_in = "\n".join([*context, turns[user][1]]) if turns[user][1] else ""
    return text_in, turns[last][1], system, "chat"


def _content(value: Any) -> str:
    """Chat content: a string, or a list of parts of which the text parts count."""
    if isinstance(value, list):
        parts = [p.get("text") if isinstance(p, dict) else p for p in value]
        return "\n".join(t for t in (_text(p) for p in parts if p is not None) if t)
    return _text(value)


def _text(value: Any) -> str:
    """A cell as text: objects/arrays as JSON, numbers as written, control chars dropped."""
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=False)
    if isinstance(value, bool):
        return json.dumps(value)
    text = value if isinstance(value, str) else str(value)
    return _CONTROLS.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).strip()


def row_key(instruction: str, text: str) -> str:
    """What makes two rows the same question: their input under the same instruction."""
    return " ".join(instruction.casefold().split()) + "\x1f" + " ".join(text.casefold().split())
