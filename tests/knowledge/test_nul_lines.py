"""A stray NUL byte costs its line, not the file; binary data is still refused.

One NUL in line 5 of a 40-line examples file used to refuse the whole file as binary,
with no line or file named. These golden tests pin what each door now does with one
damaged line (the rest is read, the line is named) and that real binary files and
UTF-16 text keep their old verdicts.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
from pathlib import Path

import pytest

from assistant.core.errors import UnreadableFile
from eval.data.examples import load_examples
from eval.prepare import input_notes
from knowledge.reading.decode import Decoded, decode, decode_text
from knowledge.reading.ingest import ingest_paths
from tests.hostile import files as f

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
NUL_NOTE = "line {} skipped: it holds a NUL byte (binary data)"


def with_nul(text: str, line: int, at: int = 20) -> bytes:
    """`text` with a NUL byte put into its 1-based `line`, `at` characters in."""
    lines = text.split("\n")
    lines[line - 1] = lines[line - 1][:at] + "\x00" + lines[line - 1][at:]
    return "\n".join(lines).encode()


def routing_lines(n: int = 40) -> list[str]:
    return (EXAMPLES / "support_routing.jsonl").read_text().split("\n")[:n]


def routing_csv(n: int = 40) -> str:
    rows = [json.loads(line) for line in routing_lines(n)]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# --- decode ---------------------------------------------------------------------------


def test_decode_empties_the_nul_line_and_keeps_the_numbering() -> None:
    data = b"one\r\ntwo\x00 broken\r\nthree\nfour\n" + b"more words\n" * 20
    decoded = decode(data)
    assert decoded.nul_lines == (2,)
    assert decoded.text.split("\n")[:4] == ["one", "", "three", "four"]


def test_decode_text_names_the_line_instead_of_calling_it_binary() -> None:
    with pytest.raises(UnreadableFile, match=r"^line 2 skipped: it holds a NUL byte"):
        decode_text(b"one\ntwo\x00\nthree\nfour\n")


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(f.random_bytes(), id="random"),
        pytest.param(f.png_bytes(), id="png"),
        pytest.param(f.image_only_pdf(), id="pdf-with-image"),
        pytest.param(f.docx(), id="docx"),
        pytest.param(b"\x00" * 4000, id="all-nul"),
        pytest.param(b"title\n" + b"\x00" * 4000 + b"\nend\n", id="nul-padding"),
        pytest.param(b"".join(b"row %d\x00\n" % i for i in range(40)), id="nul-on-every-line"),
        pytest.param(b"a,b\n\xff\xfe\x00\x81junk\n" + b"1,2\n" * 40, id="nul-in-non-utf8"),
    ],
)
def test_binary_data_is_still_refused(data: bytes) -> None:
    with pytest.raises(UnreadableFile, match=r"^looks like a binary file, not text$"):
        decode(data)


def test_two_nul_lines_in_forty_are_damage_not_binary() -> None:
    text = "\n".join(f"line number {i} of plain words" for i in range(1, 41))
    data = with_nul(with_nul(text, 7).decode(), 30)
    assert decode(data).nul_lines == (7, 30)


@pytest.mark.parametrize("bom", [True, False], ids=["bom", "no-bom"])
def test_utf16_is_still_read(bom: bool) -> None:
    text = "question;answer\nWhat costs 5 €?;Crème brûlée\n" * 5
    assert decode(f.utf16(text, bom=bom)) == Decoded(text)


def test_utf16_and_utf32_with_a_bom_are_read() -> None:
    assert decode(codecs.BOM_UTF16_BE + "Crème".encode("utf-16-be")).text == "Crème"
    assert decode(f.utf32(f.ACCENTED)).text == f.ACCENTED


# --- the doors: examples, Q/A, documents ----------------------------------------------


def test_examples_jsonl_skips_the_nul_line_by_number() -> None:
    data = with_nul("\n".join(routing_lines()), 5)
    loaded = load_examples(data, "nul.jsonl")
    assert len(loaded.examples) == 39
    assert loaded.summary()["skipped_reasons"] == [NUL_NOTE.format(5)]
    assert "line-5" not in [e.id for e in loaded.examples]


def test_examples_csv_skips_the_nul_line_by_number() -> None:
    loaded = load_examples(with_nul(routing_csv(), 5), "nul.csv")
    assert len(loaded.examples) == 39
    assert [p.reason for p in loaded.skipped] == [NUL_NOTE.format(5)]
    assert "row-5" not in [e.id for e in loaded.examples]


def test_examples_json_notes_the_line() -> None:
    rows = [json.loads(line) for line in routing_lines()]
    text = "[\n" + ",\n".join(json.dumps(r) for r in rows) + "\n]"
    loaded = load_examples(with_nul(text, 3), "nul.json")
    assert len(loaded.examples) == 39 and loaded.skipped == []
    assert loaded.notes == [NUL_NOTE.format(3)]


def test_qa_csv_keeps_the_other_rows_and_says_which_line(tmp_path: Path) -> None:
    text = (EXAMPLES / "sample_qa.csv").read_text()
    rows = len(text.strip().split("\n")) - 1
    result = ingest_paths([write(tmp_path, "qa.csv", with_nul(text, 3))])
    assert result.skipped == []
    assert len(result.qa_pairs) == rows - 1
    assert result.notes == ["qa.csv: " + NUL_NOTE.format(3)]


def test_text_document_keeps_the_rest_and_says_which_line(tmp_path: Path) -> None:
    text = "\n".join(f"Paragraph {i}: refunds take {i} days." for i in range(1, 31))
    result = ingest_paths([write(tmp_path, "notes.txt", with_nul(text, 12, at=5))])
    assert result.notes == ["notes.txt: " + NUL_NOTE.format(12)]
    [doc] = result.documents
    assert "Paragraph 11:" in doc.text and "Paragraph 13:" in doc.text
    assert "Paragraph 12" not in doc.text and "\x00" not in doc.text


def test_binary_document_is_still_skipped_as_binary(tmp_path: Path) -> None:
    built = {"scan.jsonl": f.image_only_pdf(), "logo.txt": f.png_bytes(), "x.csv": f.docx()}
    result = ingest_paths([write(tmp_path, name, data) for name, data in built.items()])
    assert result.notes == [] and result.documents == [] and result.qa_pairs == []
    assert {s.file: s.reason for s in result.skipped} == dict.fromkeys(
        built, "looks like a binary file, not text"
    )


def test_plan_notes_name_the_line(tmp_path: Path) -> None:
    """`trial --plan` says what a run would warn about, before any model loads."""

    class Job:
        kind, examples = "knowledge", None
        qa_file = write(tmp_path, "qa.csv", with_nul((EXAMPLES / "sample_qa.csv").read_text(), 3))

    assert input_notes(Job()) == ["qa.csv: " + NUL_NOTE.format(3)]
    Job.kind = "behaviour"
    Job.examples = load_examples(with_nul("\n".join(routing_lines()), 5), "nul.jsonl")
    assert input_notes(Job()) == ["nul.jsonl " + NUL_NOTE.format(5)]
