"""One small loader per file type, turning a file's bytes into Documents (or Q/A pairs).

Loaders take bytes rather than paths so the caller controls how much is read from disk,
and raise UnreadableFile with a reason the user can act on when a file cannot be parsed.
Heavy parsers (pypdf, python-docx) are imported inside the functions that need them.
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Callable, Iterator
from typing import Any

from knowledge.reading.decode import UnreadableFile, decode_text, normalize_text
from knowledge.reading.html_text import html_to_text
from knowledge.reading.tables import (
    QALoad,
    csv_dialect,
    csv_rows,
    json_rows,
    jsonl_rows,
    parse_json,
    qa_columns,
    qa_loader,
    row_documents,
)
from knowledge.types import Document

__all__ = ["LOADERS", "QA_LOADERS", "QALoad", "csv_dialect", "qa_columns"]

log = logging.getLogger(__name__)

PASSWORD_PROTECTED = (
    "PDF is password-protected (encrypted): remove the password (open it and save or "
    "print it as a new PDF without one) and upload it again"
)
# A DOCX is a zip; python-docx unpacks every part into memory and parses the XML into a
# tree. Real Word files unpack to a few times their size; a zip bomb to gigabytes.
MAX_DOCX_UNPACKED_BYTES = 100 * 1024 * 1024


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
    return row_documents(csv_rows(data), source)


def load_jsonl(data: bytes, source: str) -> list[Document]:
    """JSON Lines records as 'key: value; key: value' lines, grouped like CSV rows."""
    return row_documents(jsonl_rows(data), source)


def load_json(data: bytes, source: str) -> list[Document]:
    """A JSON array of objects is treated like JSONL; anything else is kept as formatted text."""
    rows = json_rows(data)
    if rows:
        return row_documents(rows, source)
    return _single(json.dumps(parse_json(data), ensure_ascii=False, indent=2), source)


def _single(text: str, source: str) -> list[Document]:
    text = text.strip()
    return [Document(text=text, source=source)] if text else []


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
    ".csv": qa_loader(csv_rows),
    ".jsonl": qa_loader(jsonl_rows),
    ".json": qa_loader(json_rows),
}


def _short(exc: BaseException) -> str:
    """Exception text short enough for a user-facing reason."""
    message = " ".join(str(exc).split()) or type(exc).__name__
    return message if len(message) <= 200 else message[:197] + "..."
