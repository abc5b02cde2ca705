"""Junk detection: encoded data goes, every kind of real text stays."""

from __future__ import annotations

import base64
import random
from pathlib import Path

import pytest

from knowledge.reading.junk import is_encoded, junk_reason, remove_encoded

RNG = random.Random(3)
BLOB = base64.b64encode(bytes(RNG.randrange(256) for _ in range(3000))).decode()


@pytest.mark.parametrize(
    "token",
    [BLOB[:80], BLOB[:76], "deadbeef" * 8, f"src='data:image/png;base64,{BLOB[:200]}'>",
     base64.urlsafe_b64encode(bytes(range(60))).decode()],
)  # fmt: skip
def test_encoded_tokens(token):
    assert is_encoded(token)


@pytest.mark.parametrize(
    "token",
    ["Donaudampfschifffahrtsgesellschaftskapitaen", "Refundsarepaidwithin14daysbytheclaimsunit",
     "https://example.com/refund-policy/2024/terms-and-conditions-for-members", "a1b2c3",
     "deadbeef", "this-is-a-long-article-title-about-refunds-2024"],
)  # fmt: skip
def test_words_and_ids_are_not_encoded(token):
    assert not is_encoded(token)


@pytest.mark.parametrize(
    "text",
    [
        "Refunds are paid within 14 days by the claims unit. " * 30,
        "退款在十四天内由理赔部门支付。会员可以在网站上查看进度。" * 30,  # no spaces at all
        "Rückerstattungen erfolgen innerhalb von 14 Tagen durch die Schadenabteilung. " * 30,
        "\n".join(f"time: 10:{i:02d}; temp: 21.{i}; humidity: 4{i % 10}" for i in range(60)),
        "Refundsarepaidwithin14daysbytheclaimsunit inRotterdam. " * 40,  # a PDF lost spaces
    ],
    ids=["english", "chinese", "german", "sensor-table", "pdf-no-spaces"],
)
def test_real_text_is_kept_whole(text):
    cleaned = remove_encoded(text)
    assert cleaned.text == text and junk_reason([cleaned]) == ""


def test_a_blob_with_only_a_title_is_junk_and_prose_beside_it_is_kept():
    assert "encoded data" in junk_reason([remove_encoded(f"Scan\n{BLOB}")])
    mixed = remove_encoded(f"Refunds take 14 days. Ask the claims unit.\n{BLOB}\nThanks.")
    assert junk_reason([mixed]) == "" and BLOB[:40] not in mixed.text
    assert mixed.text.startswith("Refunds take 14 days.") and mixed.removed_chars == len(BLOB)


def test_numbers_without_words_are_junk():
    text = " ".join(str(RNG.randrange(10**6)) for _ in range(400))
    assert "almost no real words" in junk_reason([remove_encoded(text)])


# --- blobs cut into short tokens ------------------------------------------------------

REPO = Path(__file__).resolve().parents[2]
BIG_BLOB = base64.b64encode(RNG.randbytes(30_000)).decode()
HEX_BLOB = RNG.randbytes(10_000).hex()


def split(blob: str, every: int) -> str:
    return " ".join(blob[i : i + every] for i in range(0, len(blob), every))


@pytest.mark.parametrize("every", [8, 12, 16, 20, 31])
@pytest.mark.parametrize("blob", [BIG_BLOB, HEX_BLOB], ids=["base64", "hex"])
def test_a_blob_split_into_short_tokens_is_junk(blob, every):
    cleaned = remove_encoded(f"<p>{split(blob, every)}</p>")
    assert cleaned.removed_chars >= 0.99 * len(blob)
    assert junk_reason([cleaned]).startswith("looks like encoded data")


def test_a_split_blob_beside_prose_goes_and_the_prose_stays():
    prose = "Refunds are paid within 14 days by the claims unit in Rotterdam. " * 5
    cleaned = remove_encoded(f"{prose}\n{split(BIG_BLOB[:4000], 20)}\n{prose}")
    assert junk_reason([cleaned]) == "" and cleaned.text.split() == (prose * 2).split()


def _real_texts() -> list[tuple[str, str]]:
    paths = [*sorted((REPO / "examples" / "sample_docs").rglob("*.*")), REPO / "README.md"]
    paths += sorted(Path("/usr/share/common-licenses").glob("*"))
    texts = [(p.name, p.read_text(encoding="utf-8", errors="replace")) for p in paths]
    return [
        *texts,
        ("german", "Die Rückerstattung erfolgt binnen 14 Tagen durch die Schadenabteilung "
                   "in Rotterdam; Rückfragen an schaden@example.de oder +49 40 1234-567. " * 40),
        ("chinese", "退款将在十四天内由鹿特丹的理赔部门支付，会员可在网站上查看进度。" * 40),
        ("code", "Call `getElementById`, `addEventListener` and `XMLHttpRequest`; set "
                 "`max_file_bytes=52428800`, `UTF-8`, `COVID-19`, `x86_64`, `iPhone` "
                 "and https://example.com/docs/v2/refund_policy?id=42#Section-3. " * 40),
    ]  # fmt: skip


@pytest.mark.parametrize("name, text", _real_texts(), ids=lambda v: v[:30])
def test_real_texts_lose_nothing_to_the_split_blob_check(name, text):
    cleaned = remove_encoded(text)
    assert junk_reason([cleaned]) == "", name
    assert cleaned.removed_chars == 0 or name == "README.md", name


def test_the_readme_loses_only_what_single_tokens_lost_before():
    """The README's long hashes and ids went before this check; nothing else goes now."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    assert remove_encoded(text).removed_chars == sum(len(t) for t in text.split() if is_encoded(t))
