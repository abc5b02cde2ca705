"""Locked PDFs and quoted CSV fields, the two formats users' files most often broke on.

AES-256 PDFs used to be called "damaged" (no `cryptography`) and AES-128 ones "scanned";
a Q/A CSV with quoted newlines and doubled quotes had its answers corrupted because
`csv.Sniffer` guessed `doublequote=False`.
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest

from knowledge.reading.ingest import ingest_paths
from knowledge.reading.loaders import QA_LOADERS, csv_dialect, load_csv, load_pdf

ROOT = Path(__file__).resolve().parents[2]
TEXT = "Refunds are paid within 14 days by the claims unit in Rotterdam."


def locked_pdf(algorithm: str, user_password: str = "") -> bytes:
    """A real PDF locked by pypdf's writer; an empty user password opens without asking."""
    from fpdf import FPDF
    from pypdf import PdfReader, PdfWriter

    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    pdf.add_page()
    pdf.multi_cell(0, 8, TEXT)
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(bytes(pdf.output()))))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm=algorithm)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize("algorithm", ["AES-256", "AES-256-R5", "AES-128", "RC4-128"])
def test_pdfs_locked_without_a_user_password_open(algorithm: str) -> None:
    [page] = load_pdf(locked_pdf(algorithm), "locked.pdf")
    assert page.text == TEXT and page.page == 1


@pytest.mark.parametrize("algorithm", ["AES-256", "AES-128", "RC4-128"])
def test_pdfs_that_need_a_password_are_named_password_protected(tmp_path, algorithm) -> None:
    (tmp_path / "secret.pdf").write_bytes(locked_pdf(algorithm, user_password="s3cret"))
    (tmp_path / "open.txt").write_text(TEXT)
    result = ingest_paths([tmp_path])
    [skipped] = result.skipped
    assert skipped.file == "secret.pdf"
    assert skipped.reason.startswith("PDF is password-protected")
    assert "remove the password" in skipped.reason
    assert "damaged" not in skipped.reason and "scanned" not in skipped.reason
    assert [d.source for d in result.documents] == ["open.txt"]


def test_requirements_pin_cryptography_for_aes() -> None:
    pins = (ROOT / "requirements.txt").read_text().splitlines()
    assert any(line.startswith("cryptography==") for line in pins)


def test_aes_without_cryptography_says_how_to_fix_not_damaged(tmp_path: Path) -> None:
    """In a process where `cryptography` cannot be imported (a broken install)."""
    path = tmp_path / "aes.pdf"
    path.write_bytes(locked_pdf("AES-256"))
    script = (
        "import sys; sys.modules['cryptography'] = None; sys.modules['Crypto'] = None\n"
        "from knowledge.reading.ingest import ingest_paths\n"
        f"print(ingest_paths([{str(path)!r}]).skipped[0].reason)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "AES-encrypted" in done.stdout and "pip install -r requirements.txt" in done.stdout
    assert "damaged" not in done.stdout


# A Q/A file as Excel and Google Sheets write it: quoted fields with commas, newlines and
# doubled quotes. csv.Sniffer guesses doublequote=False on it (checked below).
QUOTED_QA = (
    "id,question,answer\n"
    '1,"What does the sign at the gate say?","It says ""Keep out, private"",\nin red."\n'
    '2,"Who signs off refunds, and when?","The claims unit, within 14 days; '
    '""urgent"" ones, same day."\n'
    "3,How long is the warranty?,Two years\n"
)
GOLDEN = [
    ("1", "What does the sign at the gate say?", 'It says "Keep out, private", in red.'),
    ("2", "Who signs off refunds, and when?",
     'The claims unit, within 14 days; "urgent" ones, same day.'),
    ("3", "How long is the warranty?", "Two years"),
]  # fmt: skip


def test_the_golden_sample_is_one_the_sniffer_gets_wrong() -> None:
    assert csv.Sniffer().sniff(QUOTED_QA, delimiters=",;\t|").doublequote is False


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_quoted_newlines_and_doubled_quotes_survive_any_delimiter(delimiter: str) -> None:
    rows = list(csv.reader(io.StringIO(QUOTED_QA)))
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(rows)
    load = QA_LOADERS[".csv"](out.getvalue().encode(), "qa.csv")
    assert load is not None
    assert [(p.id, p.question, p.answer) for p in load.pairs] == GOLDEN
    assert csv_dialect(out.getvalue()).delimiter == delimiter


def test_a_semicolon_export_with_commas_in_its_text_reads_by_semicolons() -> None:
    text = "question;answer\nWhere, and when?;At noon, daily\nWho?;The unit, in Rotterdam\n"
    [doc] = load_csv(text.encode(), "t.csv")
    assert doc.text.splitlines() == [
        "question: Where, and when?; answer: At noon, daily",
        "question: Who?; answer: The unit, in Rotterdam",
    ]
