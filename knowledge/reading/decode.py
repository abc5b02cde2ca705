"""Turn bytes of unknown encoding into clean text.

Users upload text saved by any editor on any OS: UTF-8, UTF-16 from Windows tools,
Latin-1 or Windows-1252 from old exports. We must read all of them without mojibake,
and refuse binary files renamed to .txt instead of indexing garbage.

A stray NUL byte in one line of an otherwise good UTF-8 file (a bad copy, a crashed
export) used to refuse the whole file; now that line is emptied and reported by number,
and only NULs spread over many lines (or in text that is not UTF-8) still mean binary.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

from assistant.core.errors import UnreadableFile

# Longest BOMs first: the UTF-32 LE BOM starts with the UTF-16 LE BOM.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Share of control, private-use, unassigned or undecodable characters above which
# decoded "text" is really binary data (e.g. random bytes that happen to start with a BOM).
_MAX_JUNK_SHARE = 0.05
_JUNK_CATEGORIES = frozenset({"Cc", "Co", "Cn", "Cs"})
# How much of the text to inspect for the binary check (enough to be sure, cheap on big files).
_SAMPLE_CHARS = 64_000
# Every Unicode control character (category Cc) except \t and \n.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_NEWLINES = re.compile(r"\r\n?|[\v\f\x85\u2028\u2029]")
_BINARY_MESSAGE = "looks like a binary file, not text"
# NUL bytes in text: at most one line in NUL_LINE_RATIO may hold one (one line always may),
# and those lines at most NUL_TEXT_SHARE of the characters; past that the file is binary.
NUL_LINE_RATIO = 20
NUL_TEXT_SHARE = 0.2
# A well-formed multi-byte UTF-8 sequence (2, 3 or 4 bytes; no overlongs or surrogates).
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)


@dataclass(frozen=True)
class Decoded:
    """Clean text, and the 1-based lines emptied in it because they held a NUL byte.

    The lines are emptied rather than removed so every later line keeps its number.
    """

    text: str
    nul_lines: tuple[int, ...] = ()


def decode(data: bytes) -> Decoded:
    """Decode `data` whatever its encoding, normalise newlines, strip control characters.

    Lines holding a NUL byte come back empty and numbered; callers must tell the user.
    Raises UnreadableFile when the bytes look like binary data rather than text.
    """
    if not data:
        return Decoded("")
    text = _decode_with_bom(data)
    if text is None:
        text = _decode_without_bom(data)
    text, nul_lines = _blank_nul_lines(_NEWLINES.sub("\n", text))
    if _looks_binary(text):
        raise UnreadableFile(_BINARY_MESSAGE)
    return Decoded(normalize_text(text), nul_lines)


def decode_text(data: bytes) -> str:
    """Like `decode`, for callers that cannot report lines: a NUL line refuses the file.

    The reason names the lines, so the user can fix them; the ingest and the examples
    reader use `decode` and skip such lines instead.
    """
    decoded = decode(data)
    if decoded.nul_lines:
        raise UnreadableFile(f"{describe_nul_lines(decoded.nul_lines)}; remove it and retry")
    return decoded.text


def describe_nul_lines(lines: tuple[int, ...] | list[int]) -> str:
    """'line 5 skipped: it holds a NUL byte (binary data)', or for several lines."""
    if len(lines) == 1:
        return f"line {lines[0]} skipped: it holds a NUL byte (binary data)"
    shown = ", ".join(map(str, lines[:10])) + (
        f" and {len(lines) - 10} more" if len(lines) > 10 else ""
    )
    return f"lines {shown} skipped: they hold NUL bytes (binary data)"


def normalize_text(text: str) -> str:
    """Use \\n line endings only and drop NUL/control characters (keeping \\n and \\t).

    Control characters break tokenisers and JSON/HTML output further down the line.
    """
    return _CONTROLS.sub("", _NEWLINES.sub("\n", text).replace("\ufeff", ""))


def _decode_with_bom(data: bytes) -> str | None:
    """Decode by byte-order mark, which is authoritative when present."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace")
    return None


def _decode_without_bom(data: bytes) -> str:
    """Try BOM-less UTF-16 (NUL bytes), then UTF-8, then let charset_normalizer guess.

    Data with NULs that is not UTF-16 is read only as UTF-8 (its NUL lines are judged
    later): no 8-bit text encoding uses NUL, and guessing one for binary data succeeds.
    """
    if b"\x00" in data:  # valid UTF-8 too, so this must come first
        utf16 = _bomless_utf16(data)
        if utf16 is not None:
            return data.decode(utf16, errors="replace")
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            raise UnreadableFile(_BINARY_MESSAGE) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if _mostly_utf8(data):
        return data.decode("utf-8", errors=_CP1252_FALLBACK)
    return _guess_legacy_encoding(data)


def _mostly_utf8(data: bytes) -> bool:
    """True for UTF-8 text with a few legacy bytes (files pasted together from two sources).

    Guessing one legacy encoding for such a file garbles every UTF-8 character in it
    ('Crème' becomes 'CrÃ¨me'); reading it as UTF-8 and only the stray bytes as
    Windows-1252 keeps both parts right. Real Latin-1 text almost never contains valid
    multi-byte UTF-8 sequences, so a fair share of them means the file is UTF-8.
    """
    sample = data[: _SAMPLE_CHARS * 4]
    sequences = _UTF8_SEQUENCE.findall(sample)
    if len(sequences) < 2:
        return False
    high = len(sample) - len(sample.translate(None, bytes(range(0x80, 0x100))))
    return sum(len(s) for s in sequences) >= 0.5 * high


def _cp1252_fallback(err: UnicodeError) -> tuple[str, int]:
    """Decode the bytes UTF-8 rejected as Windows-1252 (Latin-1 where it has no character)."""
    assert isinstance(err, UnicodeDecodeError)
    bad = err.object[err.start : err.end]
    text = "".join(_cp1252_char(byte) for byte in bad)
    return text, err.end


def _cp1252_char(byte: int) -> str:
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return bytes([byte]).decode("latin-1")


_CP1252_FALLBACK = "advisor-cp1252-fallback"
codecs.register_error(_CP1252_FALLBACK, _cp1252_fallback)


def _bomless_utf16(data: bytes) -> str | None:
    """Recognise UTF-16 without BOM: mostly-ASCII text has NUL in every other byte."""
    sample = data[:_SAMPLE_CHARS]
    if len(sample) < 4:
        return None
    even_nuls = sample[0::2].count(0) / len(sample[0::2])
    odd_nuls = sample[1::2].count(0) / len(sample[1::2])
    if odd_nuls > 0.7 and even_nuls < 0.05:
        return "utf-16-le"
    if even_nuls > 0.7 and odd_nuls < 0.05:
        return "utf-16-be"
    return None


def _guess_legacy_encoding(data: bytes) -> str:
    """Guess a legacy encoding, preferring Windows-1252 whenever it reads as cleanly.

    On short samples charset_normalizer often ranks Latin-1/Windows-1252 text as cp1250 or
    a Mac code page ('crème' becomes 'crčme', '„' becomes 'Ñ'): its language coherence
    score is noise on a few words. Western text is the commonest case for our users, so
    cp1252 wins unless another encoding is strictly less messy.
    """
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None and best.encoding == "cp1252":
        return str(best)
    western = from_bytes(data, cp_isolation=["cp1252"]).best()
    if western is not None and (best is None or western.chaos <= best.chaos):
        return str(western)
    if best is not None:
        return str(best)
    return data.decode("cp1252", errors="replace")  # the binary check judges the result


def _blank_nul_lines(text: str) -> tuple[str, tuple[int, ...]]:
    """`text` with its NUL-holding lines emptied, and their numbers; binary raises.

    A stray NUL in a line or two of real text is damage to skip. NULs on many lines, or
    lines with NULs holding much of the text (a file padded with NULs, a one-line blob),
    mean the file is binary, and reading the rest would index noise.
    """
    if "\x00" not in text:
        return text, ()
    lines = text.split("\n")
    bad = [i for i, line in enumerate(lines) if "\x00" in line]
    bad_chars = sum(len(lines[i]) for i in bad)
    if len(bad) > max(1, len(lines) // NUL_LINE_RATIO) or bad_chars > NUL_TEXT_SHARE * len(text):
        raise UnreadableFile(_BINARY_MESSAGE)
    for i in bad:
        lines[i] = ""
    return "\n".join(lines), tuple(i + 1 for i in bad)


def _looks_binary(text: str) -> bool:
    """True when the decoded sample has NULs or too many junk characters to be prose."""
    sample = text[:_SAMPLE_CHARS]
    if not sample:
        return False
    if "\x00" in sample:
        return True
    junk = sum(1 for ch in sample if ch not in "\n\r\t\f\v" and _is_junk(ch))
    return junk / len(sample) > _MAX_JUNK_SHARE


def _is_junk(ch: str) -> bool:
    return ch == "\ufffd" or unicodedata.category(ch) in _JUNK_CATEGORIES
