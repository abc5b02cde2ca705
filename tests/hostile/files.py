"""Hostile files, built on the fly so nothing large is committed.

Each builder returns bytes of a genuine file of its kind (a PDF that pypdf wrote, a DOCX
that python-docx wrote) and then breaks it the way users' files break: cut short,
locked, scanned, renamed, or packed to explode when unpacked.
"""

from __future__ import annotations

import codecs
import io
import json
import struct
import zipfile
from pathlib import Path

MB = 1024 * 1024
GOOD_TEXT = "Refunds are paid within 14 days by the claims unit in Rotterdam. " * 12
ACCENTED = "Crème brûlée at the café: naïve façade, 5 € a slice — “quoted”."


def text_pdf(text: str = GOOD_TEXT) -> bytes:
    """A one-page PDF with a real text layer."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    pdf.add_page()
    pdf.multi_cell(0, 8, text)
    return bytes(pdf.output())


def encrypted_pdf() -> bytes:
    """Locked with a user password, so it cannot even be opened without it."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(text_pdf())))
    writer.encrypt(user_password="s3cret", owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def image_only_pdf() -> bytes:
    """A 'scan': pages that hold a picture of text and no text layer."""
    from fpdf import FPDF
    from PIL import Image, ImageDraw

    picture = Image.new("RGB", (400, 120), "white")
    ImageDraw.Draw(picture).text((10, 50), "Refunds are paid within 14 days", fill="black")
    png = io.BytesIO()
    picture.save(png, format="PNG")
    pdf = FPDF()
    for _ in range(2):
        pdf.add_page()
        pdf.image(io.BytesIO(png.getvalue()), x=10, y=10, w=180)
    return bytes(pdf.output())


def blank_pdf() -> bytes:
    """Written by pypdf alone: pages with no content stream at all."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(300, 300)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def docx(text: str = GOOD_TEXT) -> bytes:
    from docx import Document

    document = Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def docx_bomb(unpacked_mb: int = 120) -> bytes:
    """A DOCX whose document.xml really unpacks to `unpacked_mb` MB (about 0.3 MB packed)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(docx()), "r") as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb,
    ):
        for item in source.infolist():
            if item.filename != "word/document.xml":
                bomb.writestr(item, source.read(item))
        with bomb.open("word/document.xml", "w", force_zip64=True) as part:
            part.write(b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats')
            part.write(b'.org/wordprocessingml/2006/main"><w:body>')
            block = b"<w:p><w:r><w:t>" + b"boom " * 200 + b"</w:t></w:r></w:p>"
            block *= 1000
            for _ in range(unpacked_mb * MB // len(block) + 1):
                part.write(block)
            part.write(b"</w:body></w:document>")
    return out.getvalue()


def docx_declaring(part: str = "word/document.xml", size: int = 0xF000_0000) -> bytes:
    """A small, valid DOCX whose central directory claims `part` unpacks to ~4 GB."""
    data = bytearray(docx())
    name = part.encode()
    at = 0
    while (at := data.find(b"PK\x01\x02", at)) != -1:
        name_len = struct.unpack_from("<H", data, at + 28)[0]
        if bytes(data[at + 46 : at + 46 + name_len]) == name:
            struct.pack_into("<I", data, at + 24, size)
            return bytes(data)
        at += 4
    raise AssertionError(f"{part} not in the central directory")


def zip_not_docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("holiday/photo-list.txt", "not a word document")
    return out.getvalue()


def random_bytes(n: int = 40_000) -> bytes:
    """Deterministic binary junk (every byte value, scrambled)."""
    return bytes((i * 167 + (i >> 7) * 13) % 256 for i in range(n))


def png_bytes() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 64), "red").save(out, format="PNG")
    return out.getvalue()


def utf16(text: str, *, bom: bool = True) -> bytes:
    return text.encode("utf-16" if bom else "utf-16-le")


def utf32(text: str) -> bytes:
    return codecs.BOM_UTF32_LE + text.encode("utf-32-le")


def mixed_utf8_cp1252() -> bytes:
    """Two sources pasted together: a UTF-8 paragraph, then a Windows-1252 one."""
    first = ("Crème brûlée is served at the café. " * 3).encode()
    second = (" The naïve façade costs 5 € — “quoted”. " * 3).encode("cp1252")
    return first + second


def nested_html(depth: int = 50_000) -> bytes:
    return ("<div>" * depth + "<p>deep text survives</p>" + "</div>" * depth).encode()


def script_html() -> bytes:
    return (
        b"<html><head><title>Refund policy</title><script>fetch('http://evil.example')"
        b'</script></head><body onload="alert(\'body\')"><p onclick="alert(1)">Refunds '
        b"take 14 days.<img src=x onerror=alert(2)></p><script>alert(3)</script>"
        b'<a href="javascript:alert(4)">claims unit</a><iframe src=http://evil.example>'
        b"</iframe><style>body{background:url(http://evil.example/x)}</style></body></html>"
    )


def one_line(path: Path, size: int) -> None:
    """A single line of `size` bytes (words, no newline), written in blocks."""
    block = b"refund window fourteen days claims unit " * 25_000
    with path.open("wb") as handle:
        while handle.tell() + len(block) < size:
            handle.write(block)
        handle.write(b"x" * (size - handle.tell()))


def sparse(path: Path, size: int) -> None:
    """A file of `size` bytes that takes no disk space (size checks come before reading)."""
    with path.open("wb") as handle:
        handle.truncate(size)


def jsonl(rows: list[object]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)


def examples(n: int, *, start: int = 0) -> list[dict[str, str]]:
    labels = ("billing", "shipping", "returns")
    return [
        {"input": f"ticket {i}: my parcel {i} {labels[i % 3]} question", "output": labels[i % 3]}
        for i in range(start, start + n)
    ]


def qa_rows(n: int) -> list[dict[str, str]]:
    return [
        {"question": f"How many days for claim type {i}?", "answer": f"{i % 30 + 1} days"}
        for i in range(n)
    ]


def with_nul(text: str, line: int) -> bytes:
    """`text` as UTF-8 with one NUL byte in its 1-based `line` (a damaged copy or export)."""
    lines = text.split("\n")
    lines[line - 1] = lines[line - 1][:3] + "\x00" + lines[line - 1][3:]
    return "\n".join(lines).encode()
