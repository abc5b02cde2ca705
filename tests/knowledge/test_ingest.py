"""Ingestion against real files built on the fly: PDFs, DOCX, HTML, legacy encodings, Q/A sets.

No models are loaded; every fixture is a genuine file of its type, so the tests exercise the
same parsers users' uploads go through.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import json
import unicodedata
from pathlib import Path

import pytest

from knowledge.reading.decode import UnreadableFile, decode_text
from knowledge.reading.ingest import IngestLimits, IngestResult, ingest_paths, safe_source
from knowledge.reading.loaders import LOADERS, QA_LOADERS, qa_columns
from knowledge.reading.names import display_name, name_digest, with_digest


def make_pdf(pages: list[str]) -> bytes:
    """A real PDF with one page per string ('' makes a blank page)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("Helvetica", size=12)
    for text in pages:
        pdf.add_page()
        if text:
            pdf.multi_cell(0, 10, text)
    return bytes(pdf.output())


def encrypt_pdf(data: bytes, user_password: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def write(folder: Path, name: str, data: bytes | str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def reasons(result: IngestResult) -> dict[str, str]:
    return {s.file: s.reason for s in result.skipped}


def texts(result: IngestResult, source: str) -> list[tuple[int, str]]:
    return [(d.page, d.text) for d in result.documents if d.source == source]


def test_pdf_gives_one_document_per_page_with_text(tmp_path: Path) -> None:
    pdf = make_pdf(["Alpha page talks about tomatoes.", "", "Gamma page mentions drought."])
    result = ingest_paths([write(tmp_path, "report.pdf", pdf)])
    pages = texts(result, "report.pdf")
    assert [p for p, _ in pages] == [1, 3]  # the blank page 2 is skipped, numbering kept
    assert "tomatoes" in pages[0][1] and "drought" in pages[1][1]
    assert {d.content_hash for d in result.documents} == {hashlib.sha256(pdf).hexdigest()}
    assert result.skipped == [] and result.files == 1


def test_encrypted_pdfs(tmp_path: Path) -> None:
    write(tmp_path, "locked.pdf", encrypt_pdf(make_pdf(["Secret plans."]), "hunter2"))
    write(tmp_path, "owner.pdf", encrypt_pdf(make_pdf(["Readable text inside."]), ""))
    result = ingest_paths([tmp_path])
    assert "encrypted" in reasons(result)["locked.pdf"]
    # Only an owner password (empty user password): viewers open it, so must we.
    assert texts(result, "owner.pdf") == [(1, "Readable text inside.")]
    assert len(result.documents) == 1


def test_damaged_pdfs_are_skipped_with_reason(tmp_path: Path) -> None:
    good = make_pdf(["First page text.", "Second page text."])
    write(tmp_path, "cut.pdf", good[: len(good) // 2])
    write(tmp_path, "junk.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\ngarbage, no xref")
    write(tmp_path, "text.pdf", b"not a pdf at all")
    result = ingest_paths([tmp_path])
    assert result.documents == [] and len(result.skipped) == 3
    assert all(s.reason.startswith("PDF is damaged: ") for s in result.skipped)


def test_docx_paragraphs_and_table_cells(tmp_path: Path) -> None:
    import docx

    word = docx.Document()
    word.add_heading("Irrigation plan", level=1)
    word.add_paragraph("Water the maize at dawn.")
    table = word.add_table(rows=2, cols=2)
    for r, row in enumerate([("Crop", "Litres"), ("Maize", "40")]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    word.add_paragraph("After the table.")
    word.save(str(tmp_path / "plan.docx"))
    write(tmp_path, "bad.docx", b"PK\x03\x04 this is not really a zip")
    result = ingest_paths([tmp_path])
    expected = (
        "Irrigation plan\nWater the maize at dawn.\nCrop | Litres\nMaize | 40\nAfter the table."
    )
    assert texts(result, "plan.docx") == [(0, expected)]
    assert "DOCX is damaged" in reasons(result)["bad.docx"]


HTML = """<!doctype html><html><head><title>Flood &amp; Drought Guide</title>
<meta charset="utf-8"><style>body { color: red }</style>
<script>var secret = "SCRIPT-LEAK";</script></head>
<body><h1>Heavy rain</h1><p>Dig   channels
early &eacute;t&eacute;.</p><noscript>NOSCRIPT-LEAK</noscript>
<template><p>TEMPLATE-LEAK</p></template><ul><li>Sandbags</li><li>Pumps</li></ul>
<script>document.write("SCRIPT-LEAK-2")</script><p>A&lt;b&gt; stays text</p></body></html>"""


def test_html_and_markdown(tmp_path: Path) -> None:
    write(tmp_path, "guide.htm", HTML)
    write(tmp_path, "notes.md", "# Soil\r\n\r\n* mulch keeps *moisture*\r\n")
    result = ingest_paths([tmp_path])
    assert texts(result, "notes.md") == [(0, "# Soil\n\n* mulch keeps *moisture*")]
    [(_, text)] = texts(result, "guide.htm")
    assert "LEAK" not in text and "color" not in text and "charset" not in text
    assert text == (
        "Flood & Drought Guide\n\nHeavy rain\n\nDig channels early été.\n\n"
        "Sandbags\n\nPumps\n\nA<b> stays text"
    )


@pytest.mark.parametrize(
    ("raw", "encoding"),
    [
        ("Café crème, naïve façade, São Paulo. " * 3, "latin-1"),
        ("Müller, Straße", "latin-1"),
        ("Grüße aus Köln – 20 °C", "utf-16"),  # with BOM
        ("Grüße aus Köln – 20 °C", "utf-16-be+bom"),
        ("“Smart quotes” cost 5 € at the café, naïvely.", "cp1252"),
        ("Ünïcödé in UTF-32", "utf-32"),
        ("Plain UTF-8 with BOM: ñ", "utf-8-sig"),
        ("Привет, как дела? Это тест кодировки.", "cp1251"),
    ],
)
def test_text_files_in_any_encoding(tmp_path: Path, raw: str, encoding: str) -> None:
    if encoding == "utf-16-be+bom":
        data = codecs.BOM_UTF16_BE + raw.encode("utf-16-be")
    else:
        data = raw.encode(encoding)
    path = write(tmp_path, "doc.txt", data)
    assert texts(ingest_paths([path]), "doc.txt") == [(0, raw.strip())]


def test_decode_text_normalises_newlines_and_strips_controls() -> None:
    words = "plain words " * 10  # a few stray controls in real text are not "binary"
    decoded = decode_text(b"a\r\nb\rc\x07d\x1be\tf\x0cg " + words.encode())
    assert decoded == "a\nb\ncde\tf\ng " + words
    assert decode_text("one\r\ntwo".encode("utf-16-le")) == "one\ntwo"  # BOM-less UTF-16


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8,
        bytes(range(1, 32)) * 50 + b"abc",  # control characters without NUL
        codecs.BOM_UTF16_LE + bytes(range(256)) * 8,  # a BOM does not make noise text
    ],
)
def test_binary_data_is_refused(data: bytes) -> None:
    with pytest.raises(UnreadableFile, match="binary"):
        decode_text(data)


def test_skip_reasons_name_the_cause(tmp_path: Path) -> None:
    write(tmp_path, "empty.txt", b"")
    write(tmp_path, "blank.md", "  \n\n\t ")
    write(tmp_path, "photo.txt", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 3)
    write(tmp_path, "sheet.xlsx", b"PK\x03\x04")
    write(tmp_path, "big.txt", "x" * 2000)
    write(tmp_path, "ok.txt", "small and fine")
    result = ingest_paths(
        [tmp_path, tmp_path / "gone.pdf"], limits=IngestLimits(max_file_bytes=1000)
    )
    why = reasons(result)
    assert why.pop("empty.txt") == "empty file"
    assert why.pop("blank.md").startswith("no text found")
    assert why.pop("photo.txt") == "looks like a binary file, not text"
    assert why.pop("sheet.xlsx").startswith("unsupported file type .xlsx (save it as .csv)")
    assert why.pop("big.txt") == "too large: 2,000 bytes (limit 1,000 bytes)"
    assert why.pop("gone.pdf") == "not found"
    assert why == {}
    assert [d.source for d in result.documents] == ["ok.txt"] and result.files == 7


def test_text_and_total_size_limits(tmp_path: Path) -> None:
    for name in ("a.txt", "b.txt", "c.txt"):
        write(tmp_path, name, name * 100)
    limits = IngestLimits(max_total_bytes=1000, max_chars_per_file=250)
    result = ingest_paths([tmp_path], limits=limits)
    assert [(d.source, len(d.text)) for d in result.documents] == [("a.txt", 250), ("b.txt", 250)]
    assert reasons(result) == {"c.txt": "over the total upload limit of 1,000 bytes"}
    assert result.notes[0] == "a.txt: text truncated to 250 characters (file has 500)"


def test_max_files_limit_skips_the_rest(tmp_path: Path) -> None:
    for i in range(30):
        write(tmp_path / "many", f"f{i:02d}.txt", f"tiny file number {i}")
    result = ingest_paths([tmp_path / "many"], limits=IngestLimits(max_files=10))
    assert [d.source for d in result.documents] == [f"f{i:02d}.txt" for i in range(10)]
    assert len(result.skipped) == 20 and result.files == 30
    assert all(s.reason == "over the limit of 10 files" for s in result.skipped)


@pytest.mark.parametrize("bad", [{"max_files": 0}, {"max_file_bytes": -1}, {"max_files": 1.5}])
def test_limits_must_be_positive_integers(bad: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="positive"):
        IngestLimits(**bad)  # type: ignore[arg-type]


def test_unsafe_names_are_sanitised(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    write(docs, "<b>bold<_b>x.txt", "markup in the name")
    write(docs / "sub dir", "résumé (v2).md", "nested")
    write(docs / ".git", "config.txt", "hidden folder")
    write(docs, ".hidden.txt", "hidden file")
    result = ingest_paths([docs])
    assert [(d.source, d.name) for d in result.documents] == [
        (f"_b_bold__b_x-{name_digest('<b>bold<_b>x.txt')}.txt", "<b>bold<_b>x.txt"),
        (f"sub dir/resume (v2)-{name_digest('sub dir/résumé (v2).md')}.md",
         "sub dir/résumé (v2).md"),
    ]  # fmt: skip
    assert result.files == 2
    direct = ingest_paths([docs / "sub dir" / ".." / "sub dir" / "résumé (v2).md"])
    assert [d.source for d in direct.documents] == [
        f"resume (v2)-{name_digest('résumé (v2).md')}.md"
    ]


@pytest.mark.parametrize(
    ("raw", "readable"),
    [
        ("../../etc/passwd", "etc/passwd"),
        ("..\\..\\win.ini", "win.ini"),
        ("/abs/./x/<script>alert(1)</script>.txt", "abs/x/_script_alert(1)_/script_.txt"),
        ("a/../b.txt", "a/b.txt"),
        ("..", "unnamed"),
        ("q\"uote's&amp;.txt", "q_uote_s_amp_.txt"),
        ("résumé.txt", "resume.txt"),
        ("文档.txt", "__.txt"),
        (" a.txt", "a.txt"),
    ],
)
def test_a_folded_name_keeps_a_digest_of_the_original(raw: str, readable: str) -> None:
    assert safe_source(raw) == with_digest(readable, name_digest(raw))
    assert safe_source(safe_source(raw)) == safe_source(raw)  # stored names stay as they are


@pytest.mark.parametrize("name", ["policy.txt", "sub dir/Report (v2).md", "a-b_c.d.txt"])
def test_a_safe_name_is_its_own_key(name: str) -> None:
    assert safe_source(name) == name


def test_names_that_fold_alike_get_different_keys() -> None:
    nfc, nfd = unicodedata.normalize("NFC", "café.txt"), unicodedata.normalize("NFD", "café.txt")
    names = [nfc, nfd, "cafe.txt", "résumé.txt", "resume.txt", "文档.txt", "报告.txt", "Resume.txt"]
    assert len({safe_source(n) for n in names}) == len(names)
    assert display_name(nfd) == nfc  # shown as written, in one normal form


def test_links_outside_folder_and_duplicates_are_skipped(tmp_path: Path) -> None:
    outside = write(tmp_path, "secret.txt", "outside the folder")
    folder = tmp_path / "upload"
    write(folder, "inside.txt", "inside text")
    (folder / "leak.txt").symlink_to(outside)
    (folder / "alias.txt").symlink_to(folder / "inside.txt")
    result = ingest_paths([folder])
    assert [(d.source, d.text) for d in result.documents] == [("alias.txt", "inside text")]
    assert reasons(result) == {
        "inside.txt": "same content as alias.txt",  # identical bytes are not indexed twice
        "leak.txt": "link points outside the folder",
    }


def test_indexed_files_are_unchanged_and_not_parsed(tmp_path: Path) -> None:
    old = write(tmp_path, "old.txt", "already indexed")
    write(tmp_path, "new.txt", "fresh text")
    write(tmp_path, "copy.txt", "already indexed")  # same bytes, another name: its own file
    known = {"old.txt": hashlib.sha256(old.read_bytes()).hexdigest()}
    result = ingest_paths([tmp_path], indexed=known)
    assert result.unchanged == ["old.txt"]
    assert [d.source for d in result.documents] == ["copy.txt", "new.txt"]
    summary = json.loads(json.dumps(result.summary()))
    assert summary == dict(files=3, documents=2, qa_pairs=0, skipped=[], unchanged=["old.txt"])


def test_one_bad_file_does_not_stop_the_others(tmp_path: Path, monkeypatch) -> None:
    def explode(data: bytes, source: str) -> list:
        raise RuntimeError("parser blew up")

    monkeypatch.setitem(LOADERS, ".md", explode)
    write(tmp_path, "a.md", "boom")
    write(tmp_path, "b.txt", "still here")
    result = ingest_paths([tmp_path])
    assert reasons(result) == {"a.md": "could not read: RuntimeError: parser blew up"}
    assert [d.source for d in result.documents] == ["b.txt"]


QA_CSV = """ID,Question,Answer
1,When to plant maize?,"After the first rains, when soil is moist."
2,How deep to sow beans?,
3,When to plant maize?,Duplicate question.
4,,An answer without question
5,What is mulch?,A cover of organic material.
"""
QA_JSONL = """{"Prompt": "What causes drought?", "Response": "Low rainfall.", "extra": 1}
{"Prompt": "Define runoff", "Response": "   "}
{"Prompt": "What causes drought?", "Response": "Again."}

{"Prompt": "Best cover crop?", "Response": "Clover"}
"""


def test_qa_files(tmp_path: Path) -> None:
    write(tmp_path, "qa.csv", QA_CSV)
    write(tmp_path, "set.jsonl", QA_JSONL)
    write(tmp_path, "useless_qa.csv", "question,answer\nonly a question,\n")
    write(tmp_path, "bad.jsonl", '{"a": 1}\n{broken\n')
    result = ingest_paths([tmp_path])
    assert result.documents == []
    assert [(p.source, p.id, p.question, p.answer) for p in result.qa_pairs] == [
        ("qa.csv", "1", "When to plant maize?", "After the first rains, when soil is moist."),
        ("qa.csv", "5", "What is mulch?", "A cover of organic material."),
        ("set.jsonl", "", "What causes drought?", "Low rainfall."),
        ("set.jsonl", "", "Best cover crop?", "Clover"),
    ]
    assert result.notes == [
        "qa.csv: dropped 1 row with empty questions, 1 row with empty answers, "
        "1 duplicate question",
        "set.jsonl: dropped 1 row with empty answers, 1 duplicate question",
    ]
    why = reasons(result)
    assert why["useless_qa.csv"] == "Q/A file has no usable rows (dropped 1 row with empty answers)"
    assert why["bad.jsonl"].startswith("JSONL line 2 is not valid JSON")


def test_plain_tables_become_row_groups(tmp_path: Path) -> None:
    lines = ["name;city;notes"] + [f"Farmer {i};Town {i % 7};" for i in range(120)]
    write(tmp_path, "farmers.csv", "\n".join(lines))
    write(tmp_path, "events.jsonl", '{"year": 2019, "event": "flood"}\n{"event": "drought"}\n')
    write(tmp_path, "config.json", json.dumps({"region": "north", "levels": [1, 2]}))
    result = ingest_paths([tmp_path])
    assert result.qa_pairs == []
    pages = texts(result, "farmers.csv")
    assert [(p, len(t.splitlines())) for p, t in pages] == [(1, 50), (2, 50), (3, 20)]
    assert pages[0][1].splitlines()[0] == "name: Farmer 0; city: Town 0"
    assert pages[2][1].splitlines()[-1] == "name: Farmer 119; city: Town 0"
    assert texts(result, "events.jsonl") == [(1, "year: 2019; event: flood\nevent: drought")]
    [(page, text)] = texts(result, "config.json")
    assert page == 0 and '"region": "north"' in text


def test_qa_column_detection() -> None:
    assert qa_columns(["ID", "Q", "A"]) == ("Q", "A", "ID")
    assert qa_columns(["input", "output", "reference"]) == ("input", "output", None)
    assert qa_columns(["question", "notes"]) is None
    assert set(QA_LOADERS) <= set(LOADERS)
