"""Junk text: encoded data that would be chunked and embedded as if it were prose.

A 1.3 MB web page whose visible text was one base64 image became 7,844 chunks and 17
minutes of embedding on 2 cores, for nothing anyone could ask about. Base64 and hex runs
are recognised per whitespace-separated token (so MIME-wrapped lines count too) and left
out; a text with almost no real words left is not indexed at all. Both are decided
before any embedding, and the user is told what was left out and why.

Cutting a blob into tokens shorter than MIN_ENCODED_TOKEN (base64 split every 31, or 8,
characters by spaces) hid it from the per-token check, and a 1 MB page cost minutes of
embedding. So runs of neighbouring tokens are judged too, by their look rather than
their length: tokens that are not words in one case pattern, made of base64/hex
characters, which switch from small letter to capital or between letter and digit as
often as random data does. Words, numbers, camelCase and snake_case names, URLs and
scripts without case (Chinese) do not.
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
# Small-to-capital and letter-digit switches per character pair inside a run of split
# tokens: random base64 ~0.42, hex ~0.47, base32 ~0.30; camelCase code ~0.2, prose ~0.
MIN_HUMP_RATE = 0.3
MAX_DEBRIS = 3  # tokens between two pieces of encoded data that go with them
MIN_PIECE = 4  # shorter tokens ("iOS", "H2O") never start or extend a run
_PIECE = re.compile(r"[A-Za-z0-9+/=_-]+")  # the alphabet of base64 (and its URL form) and hex
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


def _word_shaped(core: str) -> bool:
    """Letters in one case pattern (small, Capitalised or CAPITALS) in each hyphenated part;
    number parts may follow ("COVID-19", "Latin-1"). Scripts without case count too."""
    parts = [part for part in core.split("-") if part]
    return bool(parts) and parts[0].isalpha() and all(_one_case(p) for p in parts)


def _one_case(part: str) -> bool:
    if part.isdigit():
        return True
    return part.isalpha() and (
        part.islower() or part.isupper() or part.istitle() or part.lower() == part.upper()
    )


def _humps(piece: str) -> tuple[int, int]:
    """(small-to-capital or letter-digit switches, neighbouring letter/digit pairs)."""
    humps = pairs = 0
    for a, b in pairwise(piece):
        if a.isalnum() and b.isalnum():
            pairs += 1
            humps += (a.islower() and b.isupper()) or (a.isdigit() != b.isdigit())
    return humps, pairs


def _scrambled(token: str) -> bool:
    """A token that could be a slice of encoded data: base64/hex characters that are not
    a word and switch case or letter/digit at least once."""
    core = token.strip(_EDGE_PUNCT)
    if len(core) < MIN_PIECE or not _PIECE.fullmatch(core) or _word_shaped(core):
        return False
    return _humps(core)[0] > 0


def _left_out(tokens: list[str]) -> list[bool]:
    """Per token, whether it is encoded data: on its own, in a split blob, or between."""
    flags = [is_encoded(token) for token in tokens]
    for i in _split_runs(tokens):
        flags[i] = True
    _sweep_debris(tokens, flags)
    return flags


def _split_runs(tokens: list[str]) -> set[int]:
    """Indexes of runs of scrambled neighbours that together read as one encoded blob.

    A run bridges one token of the same alphabet that looks like a word by chance
    ("kpqzrtab"). It counts with MIN_ENCODED_TOKEN characters or more (what one token
    needs) switching case or letter/digit at MIN_HUMP_RATE or more.
    """
    found: set[int] = set()
    run: list[int] = []
    gap: list[int] = []
    for i, token in enumerate(tokens):
        if _scrambled(token):
            run += [*gap, i] if run else [i]
            gap = []
        elif run and not gap and _PIECE.fullmatch(token.strip(_EDGE_PUNCT)):
            gap = [i]
        else:
            found.update(_blob(run, tokens))
            run, gap = [], []
    found.update(_blob(run, tokens))
    return found


def _blob(run: list[int], tokens: list[str]) -> list[int]:
    """`run` when its tokens together look like encoded data, else []."""
    counts = [_humps(tokens[i].strip(_EDGE_PUNCT)) for i in run]
    humps, pairs = sum(h for h, _ in counts), sum(p for _, p in counts)
    chars = sum(len(tokens[i]) for i in run)
    blob = len(run) > 1 and chars >= MIN_ENCODED_TOKEN and humps >= MIN_HUMP_RATE * pairs
    return run if blob else []


def _sweep_debris(tokens: list[str], flags: list[bool]) -> None:
    """Also leave out up to MAX_DEBRIS tokens caught between two left-out ones.

    Some slices of a split blob look like words by chance ("kpqz", "QXRF"); kept, they
    would be the real-looking words that let a blob pass for a page worth indexing.
    """
    last = -1
    for i, token in enumerate(tokens):
        if not flags[i] or not token:
            continue
        if last >= 0 and i - last - 1 <= MAX_DEBRIS:
            flags[last + 1 : i] = [True] * (i - last - 1)
        last = i


def remove_encoded(text: str) -> Cleaned:
    """`text` without its base64/hex tokens (whitespace kept), with the share of real words.

    >>> remove_encoded("see " + "aB3d" * 20 + " here").text
    'see  here'
    >>> remove_encoded("see " + " ".join(["aB3dQ9x+"] * 9) + " here").text.split()
    ['see', 'here']
    """
    pieces = _SPLIT.split(text)
    left_out = _left_out(pieces[0::2])
    removed = 0
    kept: list[str] = []
    word_chars = other_chars = words = 0
    for i, piece in enumerate(pieces):
        if i % 2:  # whitespace
            kept.append(piece)
        elif left_out[i // 2]:
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
