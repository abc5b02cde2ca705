"""One small loader per file type, turning a file's bytes into Documents (or Q/A pairs).

Loaders take bytes rather than paths so the caller controls how much is read from disk,
and raise UnreadableFile with a reason the user can act on when a file cannot be parsed.
Heavy parsers (pypdf, python-docx) are imported inside the functions that need them.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from knowledge.reading.decode import UnreadableFile, decode_text, normalize_text
from knowledge.reading.html_text import html_to_text
from knowledge.types import Document, QAPair

log = logging.getLogger(__name__)

ROWS_PER_DOCUMENT = 50
PASSWORD_PROTECTED = (
    "PDF is password-protected (encrypted): remove the password (open it and save or "
    "print it as a new PDF without one) and upload it again"
)
# A DOCX is a zip; python-docx unpacks every part into memory and parses the XML into a
# tree. Real Word files unpack to a few times their size; a zip bomb to gigabytes.
MAX_DOCX_UNPACKED_BYTES = 100 * 1024 * 1024
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


def load_pdf(data: bytes, source: str) -> list[Document]:
    """One Document per PDF page with text (1-based page numbers, so citations match viewers)."""
    reader = _open_pdf(data)
    docs = []
    for number, page in enumerate(reader.pages, start=1):
        try:
            text = normalize_text(page.extract_text() or "").strip()
        except Exception as exc:  # a broken page must not lose the other pages
            log.warning("%s: page %d unreadable: %s", source, number, exc)
            continue
        if text:
            docs.append(Document(text=text, source=source, page=number))
    return docs


def _open_pdf(data: bytes) -> Any:
    """Open a PDF, decrypting files that only have an owner password (an empty user password).

    RC4 and AES (128 and 256) locks all open when nobody needs a password to read the
    file; AES needs the `cryptography` package, which requirements.txt pins. A file that
    does need a password is refused with what to do, never called damaged or scanned.
    """
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadableFile(PASSWORD_PROTECTED)
        _ = len(reader.pages)  # forces the page tree to be parsed: damage shows up here
    except UnreadableFile:
        raise
    except FileNotDecryptedError as exc:
        raise UnreadableFile(PASSWORD_PROTECTED) from exc
    except DependencyError as exc:  # AES without `cryptography`: an install problem
        raise UnreadableFile(
            f"PDF is AES-encrypted and this installation cannot decrypt it ({_short(exc)}); "
            "reinstall the requirements (pip install -r requirements.txt)"
        ) from exc
    except Exception as exc:
        raise UnreadableFile(
            f"PDF is damaged: {_short(exc)} (open it and save or export it again as PDF)"
        ) from exc
    return reader


def load_docx(data: bytes, source: str) -> list[Document]:
    """The whole Word file as one Document: paragraphs and table rows, in document order."""
    _check_unpacked_size(data)
    try:
        from docx import Document as open_docx

        word = open_docx(io.BytesIO(data))
        lines = list(_docx_lines(word))
    except Exception as exc:
        raise UnreadableFile(
            f"DOCX is damaged or not a Word file: {_short(exc)} "
            "(open it in Word and save it again as .docx)"
        ) from exc
    return _single(normalize_text("\n".join(lines)), source)


def _check_unpacked_size(data: bytes) -> None:
    """Refuse a DOCX whose parts would unpack to more than MAX_DOCX_UNPACKED_BYTES.

    The declared sizes are enough: `zipfile` never returns more than a part declares
    (and fails its CRC check if the data is longer), so they bound what can be unpacked.
    A file that is not a zip at all is left for python-docx to report.
    """
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError):
        return
    if unpacked > MAX_DOCX_UNPACKED_BYTES:
        limit = MAX_DOCX_UNPACKED_BYTES // (1024 * 1024)
        raise UnreadableFile(
            f"DOCX would unpack to {unpacked / (1024 * 1024):,.0f} MB (limit {limit} MB), "
            "so it was not opened; it may be a zip bomb. Save the text as a smaller .docx, "
            "PDF or .txt, or split it"
        )


def _docx_lines(word: Any) -> Iterator[str]:
    """Paragraph texts and ' | '-joined table rows; merged cells are emitted once."""
    from docx.table import Table

    for block in word.iter_inner_content():
        if isinstance(block, Table):
            yield from filter(None, (_docx_row(row) for row in block.rows))
        elif block.text.strip():
            yield block.text


def _docx_row(row: Any) -> str:
    """Cells joined by ' | '; a merged cell repeats in `row.cells`, so keep it once."""
    cells = list({cell._tc: cell.text.strip() for cell in row.cells}.values())
    return " | ".join(cells) if any(cells) else ""


def load_text(data: bytes, source: str) -> list[Document]:
    """Plain text or Markdown: the whole file as one Document (Markdown is readable as is)."""
    return _single(decode_text(data), source)


def load_html(data: bytes, source: str) -> list[Document]:
    """Visible text of a web page; scripts, styles and <head> never reach the index."""
    return _single(html_to_text(decode_text(data)), source)


def load_csv(data: bytes, source: str) -> list[Document]:
    """Table rows as 'col: value; col: value' lines, grouped so each Document stays small."""
    return _row_documents(_csv_rows(data), source)


def load_jsonl(data: bytes, source: str) -> list[Document]:
    """JSON Lines records as 'key: value; key: value' lines, grouped like CSV rows."""
    return _row_documents(_jsonl_rows(data), source)


def load_json(data: bytes, source: str) -> list[Document]:
    """A JSON array of objects is treated like JSONL; anything else is kept as formatted text."""
    rows = _json_rows(data)
    if rows:
        return _row_documents(rows, source)
    return _single(json.dumps(_parse_json(data), ensure_ascii=False, indent=2), source)


def _single(text: str, source: str) -> list[Document]:
    text = text.strip()
    return [Document(text=text, source=source)] if text else []


def _row_documents(rows: Iterable[Row], source: str) -> list[Document]:
    lines = [line for line in (_row_line(row) for row in rows) if line]
    return [
        Document(text="\n".join(lines[start : start + ROWS_PER_DOCUMENT]), source=source, page=n)
        for n, start in enumerate(range(0, len(lines), ROWS_PER_DOCUMENT), start=1)
    ]


def _row_line(row: Row) -> str:
    return "; ".join(f"{key}: {text}" for key, value in row.items() if (text := _cell_text(value)))


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        value = json.dumps(value, ensure_ascii=False)
    return " ".join(normalize_text(value).split())


def _csv_rows(data: bytes) -> list[Row]:
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


def _jsonl_rows(data: bytes) -> list[Row]:
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


def _parse_json(data: bytes) -> Any:
    try:
        return json.loads(decode_text(data))
    except json.JSONDecodeError as exc:
        raise UnreadableFile(f"JSON is not valid: {exc.msg} (line {exc.lineno})") from exc
    except RecursionError as exc:  # [[[[... a few thousand deep: not a table or a text
        raise UnreadableFile(f"JSON {_TOO_DEEP}") from exc


def _json_rows(data: bytes) -> list[Row]:
    """The records of a JSON array of objects; [] for any other JSON (it is not a table)."""
    value = _parse_json(data)
    is_table = isinstance(value, list) and all(isinstance(v, dict) for v in value)
    return value if is_table else []


def _qa_loader(read_rows: Callable[[bytes], list[Row]]) -> Callable[[bytes, str], QALoad | None]:
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
        question, answer = _cell_text(row.get(q_key)), _cell_text(row.get(a_key))
        if not question:
            result.empty_questions += 1
        elif not answer:
            result.empty_answers += 1
        elif question in seen:
            result.duplicates += 1
        else:
            seen.add(question)
            pair_id = _cell_text(row.get(id_key)) if id_key else ""
            result.pairs.append(QAPair(question, answer, id=pair_id, source=source))
    return result


LOADERS: dict[str, Callable[[bytes, str], list[Document]]] = {
    ".pdf": load_pdf,
    ".docx": load_docx,
    ".txt": load_text,
    ".md": load_text,
    ".markdown": load_text,
    ".html": load_html,
    ".htm": load_html,
    ".csv": load_csv,
    ".jsonl": load_jsonl,
    ".json": load_json,
}

# Tried before LOADERS for these extensions: a table with Q/A columns is a test set, not text.
QA_LOADERS: dict[str, Callable[[bytes, str], QALoad | None]] = {
    ".csv": _qa_loader(_csv_rows),
    ".jsonl": _qa_loader(_jsonl_rows),
    ".json": _qa_loader(_json_rows),
}


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _short(exc: BaseException) -> str:
    """Exception text short enough for a user-facing reason."""
    message = " ".join(str(exc).split()) or type(exc).__name__
    return message if len(message) <= 200 else message[:197] + "..."
