"""Junk detection: encoded data goes, every kind of real text stays."""

from __future__ import annotations

import base64
import random

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
