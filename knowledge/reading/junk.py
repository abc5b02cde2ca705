"""Junk text: encoded data that would be chunked and embedded as if it were prose.

A 1.3 MB web page whose visible text was one base64 image became 7,844 chunks and 17
minutes of embedding on 2 cores, for nothing anyone could ask about. Base64 and hex runs
are recognised per whitespace-separated token (so MIME-wrapped lines count too) and left
out; a text with almost no real words left is not indexed at all. Both are decided
before any embedding, and the user is told what was left out and why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

MIN_ENCODED_TOKEN = 32  # shorter runs are ids, hashes in prose, long words
MIN_SWITCH_RATE = 0.25  # capital/small/digit switches per character: base64 ~0.55, prose <0.1
MIN_WORD_SHARE = 0.15  # real words / all non-space characters, below which text is junk
MIN_JUDGED_CHARS = 500  # tiny texts are too short to judge
MIN_WORDS_BESIDE_ENCODED = 5  # a title or a caption beside a blob is not worth indexing
_BASE64_RUN = re.compile(r"[A-Za-z0-9+/=_-]{32,}")  # MIN_ENCODED_TOKEN characters or more
_HEX_RUN = re.compile(r"(?:0x)?[0-9a-fA-F]+")
_SPLIT = re.compile(r"(\s+)")
_EDGE_PUNCT = "\"'“”‘’()[]{}<>.,;:!?*"


def _kind(ch: str) -> str:
    return "u" if ch.isupper() else "l" if ch.islower() else "d" if ch.isdigit() else ""


def is_encoded(token: str) -> bool:
    """True for a token that is, or holds, a base64 or hex run rather than a word.

    Random base64 switches between capitals, small letters and digits at every other
    character; long words, compounds and prose run together by a PDF extractor hardly
    ever. A run inside a token counts too ("src='data:image/png;base64,iVBOR...'").

    >>> is_encoded("iVBORw0KGgoAAAANSUhEUgAAAGQAAABkCAYAAABw4pVUAAAACXBIWXMAAAsTAAALEwEAmpwYAAA")
    True
    >>> is_encoded("Refundsarepaidwithin14daysbytheclaimsunitinRotterdamEveryWeek")
    False
    """
    if len(token) < MIN_ENCODED_TOKEN:
        return False
    return any(_encoded_run(m.group()) for m in _BASE64_RUN.finditer(token))


def _encoded_run(run: str) -> bool:
    if _HEX_RUN.fullmatch(run):
        return True
    kinds = [_kind(ch) for ch in run]
    switches = sum(1 for a, b in pairwise(kinds) if a and b and a != b)
    return switches >= MIN_SWITCH_RATE * (len(run) - 1)


def _is_word(token: str) -> bool:
    """A real word: mostly letters once quotes and punctuation around it are gone.

    Scripts written without spaces (Chinese, Japanese, Thai) make long tokens of letters,
    which count as words too.
    """
    core = token.strip(_EDGE_PUNCT)
    if len(core) < 2:
        return len(core) == 1 and core.isalpha() and not core.isascii()
    letters = sum(c.isalpha() for c in core)
    return letters >= 0.75 * len(core) and not is_encoded(core)


@dataclass(frozen=True)
class Cleaned:
    """A text with its encoded runs removed, and what that left."""

    text: str
    removed_chars: int
    word_chars: int  # remaining non-space characters in real words
    words: int  # remaining real words
    token_chars: int  # all remaining non-space characters


def remove_encoded(text: str) -> Cleaned:
    """`text` without its base64/hex tokens (whitespace kept), with the share of real words.

    >>> remove_encoded("see " + "aB3d" * 20 + " here").text
    'see  here'
    """
    pieces = _SPLIT.split(text)
    removed = 0
    kept: list[str] = []
    word_chars = other_chars = words = 0
    for i, piece in enumerate(pieces):
        if i % 2:  # whitespace
            kept.append(piece)
        elif is_encoded(piece):
            removed += len(piece)
        elif piece:
            kept.append(piece)
            if _is_word(piece):
                word_chars += len(piece)
                words += 1
            else:
                other_chars += len(piece)
    cleaned = "".join(kept) if removed else text
    return Cleaned(cleaned, removed, word_chars, words, word_chars + other_chars)


def junk_reason(parts: list[Cleaned]) -> str:
    """Why a whole file (its cleaned parts) is not indexed, or '' when it is worth indexing.

    Encoded data with only a title or a caption left around it counts as encoded data.
    """
    removed = sum(p.removed_chars for p in parts)
    tokens = sum(p.token_chars for p in parts)
    if removed and sum(p.words for p in parts) < MIN_WORDS_BESIDE_ENCODED:
        return (
            f"looks like encoded data (base64 or hex, {removed:,} characters), not text: "
            "nothing to index (export the readable text instead)"
        )
    share = sum(p.word_chars for p in parts) / tokens if tokens else 1.0
    if tokens >= MIN_JUDGED_CHARS and share < MIN_WORD_SHARE:
        return (
            f"has almost no real words ({share:.0%} of its text): it looks like encoded "
            "data or a dump, not prose, so it was not indexed"
        )
    return ""
