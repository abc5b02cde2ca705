"""Numbers in free text, and the counts and sizes read from them.

Interview replies say "about 2M tokens", "~800 examples", "twelve hundred", "under
200 ms" or "3 months". Each parser returns a number or None when it is not sure; a
None makes the interview ask again, which is always better than storing a guess.
Rules worth knowing (all deliberate):

- approximations ("about", "~", "roughly", "800+") are taken at face value;
- a range ("500-800", "between 500 and 800") gives its lower bound, the cautious
  reading, and the interview echoes the number back so the user can correct it;
- vague amounts ("a few hundred", "several thousand") give None, except short spoken
  durations in a latency or timeline ("a few seconds" = 3 s, "next quarter" = 13 weeks);
- several unrelated numbers give None unless exactly one carries the expected unit;
- "half a million" is 500,000 and "a quarter of a second" 250 ms, not the whole unit.

Durations and volumes over time (latency, timeline, queries a month) are in `times`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

SMALL_NUMBERS = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen "
        "fourteen fifteen sixteen seventeen eighteen nineteen".split()
    )
}
SMALL_NUMBERS |= {
    w: 10 * i
    for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)
}
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
SUFFIXES = {"k": 1_000, "m": 1_000_000, "mm": 1_000_000, "b": 1_000_000_000, "bn": 1_000_000_000}
VAGUE = frozenset("few several some many couple handful bunch lots dozens hundreds".split())
ZERO_WORDS = re.compile(
    r"\b(none|no(?! idea| clue| sure)|zero|nothing|nope|not yet|not (?:really |actually )?any"
    r"|hardly any|haven't any|"
    r"don't have any)\b"
    r"|\b(haven't|have not)( got)?( any)?( yet)?\W*$"  # "we haven't", not "haven't counted"
)
# How a size in other units becomes tokens (documented estimates for English prose).
TOKENS_PER_UNIT = {
    "token": 1,
    "tokens": 1,
    "tok": 1,
    "word": 4 / 3,  # ~0.75 words per token
    "words": 4 / 3,
    "page": 500,  # a page of prose ~ 375 words
    "pages": 500,
    "character": 1 / 4,  # ~4 characters per token
    "characters": 1 / 4,
    "chars": 1 / 4,
    "kb": 250,  # 1 KB of text ~ 1,000 characters
    "mb": 250_000,
    "gb": 250_000_000,
}
BYTE_WORDS = {"kilobytes": "kb", "kilobyte": "kb", "megabytes": "mb", "megabyte": "mb",
              "gigabytes": "gb", "gigabyte": "gb"}  # fmt: skip
# Bytes of PDFs, scans or slides are mostly layout and images: ~100 KB a page of ~500
# tokens, so 1 GB of PDFs is ~5M tokens where 1 GB of plain text would be ~250M.
FILE_TOKENS_PER_UNIT = {"kb": 5, "mb": 5_000, "gb": 5_000_000}
FILE_FORMATS = re.compile(
    r"\b(pdfs?|scans?|scanned|slides?|slide decks?|pptx?|docx?|word (files|documents)|images?)\b"
)
COUNT_NOT_SIZE = frozenset(
    "document documents doc docs file files pdf pdfs article articles book books".split()
)
MS_PER_UNIT = {
    "ms": 1,
    "msec": 1,
    "millisecond": 1,
    "milliseconds": 1,
    "s": 1000,
    "sec": 1000,
    "secs": 1000,
    "second": 1000,
    "seconds": 1000,
    "min": 60_000,
    "mins": 60_000,
    "minute": 60_000,
    "minutes": 60_000,
}
WEEKS_PER_UNIT = {
    "day": 1 / 7,
    "days": 1 / 7,
    "week": 1,
    "weeks": 1,
    "wk": 1,
    "wks": 1,
    "month": 52 / 12,
    "months": 52 / 12,
    "quarter": 13,
    "quarters": 13,
    "year": 52,
    "years": 52,
}
FILLERS = frozenset("+ ish or so of about approximately roughly around".split())
_TOKEN = re.compile(r"\d+(?:\.\d+)?|[a-z]+(?:'[a-z]+)?|[^\s\w]")
# A fraction of "a million" or "a second" is that share of it; read as a bare "million"
# or "second" it was twice or four times too big ("half a million" stored 1,000,000).
FRACTIONS = (
    (re.compile(r"\b(?:a |one )?half (?:of )?an? (?=[a-z])"), "0.5 "),
    (re.compile(r"\bthree quarters of an? (?=[a-z])"), "0.75 "),
    (re.compile(r"\b(?:a |one )?quarter of an? (?=[a-z])"), "0.25 "),
)


@dataclass(frozen=True)
class Quantity:
    value: float
    unit: str  # the word right after the number ("" if none)
    scale: float = 1  # multiplier from a suffix or scale word ("2M" -> 1e6)


def _tokens(text: str) -> list[str]:
    text = text.lower().replace("~", " ")
    for pattern, share in FRACTIONS:
        text = pattern.sub(share, text)
    text = re.sub(r"(?<=\d),(?=\d{3}\b)", "", text)  # 1,200 -> 1200
    text = re.sub(r"(?<=[a-z])-(?=[a-z])", " ", text)  # twenty-five -> twenty five
    text = re.sub(r"\b(a|an)\s+(?=(day|week|month|quarter|year|second|minute)\b)", "1 ", text)
    return _TOKEN.findall(text)


def _word_number(tokens: list[str], i: int) -> tuple[float, int] | None:
    """A number spelled in words starting at tokens[i]: (value, next index) or None."""
    total, current, j, seen = 0, 0, i, False
    while j < len(tokens):
        word = tokens[j]
        nxt = tokens[j + 1] if j + 1 < len(tokens) else ""
        if word in SMALL_NUMBERS:
            current += SMALL_NUMBERS[word]
        elif word in ("a", "an") and nxt in (*SCALES, "dozen") and not seen:
            current = max(current, 1)
        elif word == "dozen":
            current = max(current, 1) * 12
        elif word == "hundred":
            current = max(current, 1) * 100
        elif word in SCALES:
            total += max(current, 1) * SCALES[word]
            current = 0
        elif word == "and" and seen and nxt in SMALL_NUMBERS and tokens[j - 1] in SCALES:
            pass  # "two hundred and five"; "three and five" is two numbers
        else:
            break
        seen = seen or word not in ("a", "an")
        j += 1
    return (total + current, j) if seen else None


# Beyond any real count, size or budget; "9" * 400 is inf as a float and crashed round().
MAX_QUANTITY = 1e18


def quantities(text: str) -> list[Quantity] | None:
    """Every number with the unit word after it; None if the text is vague about amounts.

    A number above MAX_QUANTITY (or "hundred hundred hundred ...") also gives None: it
    is not an answer, and as a float it would be infinite.
    """
    tokens = _tokens(text)
    out: list[Quantity] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok in VAGUE and _near_number(tokens, i):
            return None
        scale = 1
        if re.fullmatch(r"\d+(?:\.\d+)?", tok):
            value, i = float(tok), i + 1
            nxt = tokens[i] if i < len(tokens) else ""
            if nxt in SUFFIXES or nxt in SCALES:
                scale, i = SUFFIXES.get(nxt) or SCALES[nxt], i + 1
            value *= scale
        else:
            spelled = _word_number(tokens, i)
            if spelled is None:
                i += 1
                continue
            value, i = spelled
        if value > MAX_QUANTITY:
            return None
        while i < len(tokens) and tokens[i] in FILLERS:
            i += 1
        out.append(Quantity(value, tokens[i] if i < len(tokens) else "", scale))
    return _merge_ranges(tokens, out)


def _near_number(tokens: list[str], i: int) -> bool:
    """A vague word that sizes the next number ("a few hundred", "dozens of thousands").

    Only the word right after it counts (after "of"): in "not many, maybe 50" the 50
    is an answer of its own.
    """
    j = i + 1 + (tokens[i + 1 : i + 2] == ["of"])
    nxt = tokens[j] if j < len(tokens) else ""
    return nxt in SCALES or nxt == "dozen" or nxt.replace(".", "").isdigit()


_SPELLED = "|".join(SMALL_NUMBERS)
_RANGE = re.compile(  # digits or a spelled number: "500-800", "four or five"
    rf"(between )?(?:\d[\d.]*|\b(?:{_SPELLED})) (?:(?:k|m|mm|b|bn|thousand|million|billion) )?"
    rf"(-|to|or|and) (?:\d|(?:{_SPELLED})\b)"
)


def _merge_ranges(tokens: list[str], found: list[Quantity]) -> list[Quantity]:
    """ "500-800 examples", "1-2 million", "between 500 and 800": keep the lower bound."""
    if len(found) != 2:  # before the search, which is slow on a 20,000-digit message
        return found
    ranged = _RANGE.search(" ".join(tokens))
    if not ranged or (ranged.group(2) == "and" and not ranged.group(1)):
        return found
    low, high = found
    if low.scale == 1 and high.scale > 1 and low.value * high.scale < high.value:
        low = Quantity(low.value * high.scale, low.unit, high.scale)  # "1-2 million"
    if low.value >= high.value:
        return found
    joined = low.unit in ("-", "to", "and", "or", "") or low.unit in SMALL_NUMBERS
    unit = high.unit if joined else low.unit  # "two or three GB": the unit comes last
    return [Quantity(low.value, unit, low.scale)]


# Sizes in units we cannot turn into tokens: read as tokens they were silently wrong.
OTHER_SIZES = frozenset(
    "tb terabyte terabytes lines rows records entries paragraphs sentences chapters sections "
    "emails tickets messages items folders".split()
)


def _is_other_unit(unit: str) -> bool:
    """A size in a unit we cannot convert ("2 terabytes", "30,000 lines"): not tokens.

    "2M of text", "2M in our wiki" and "about 2M" are bare sizes, read as tokens.
    """
    return unit in OTHER_SIZES


def _pick(found: list[Quantity], units: dict[str, float] | frozenset[str]) -> Quantity | None:
    """The one quantity that is meant: the only one, or the only one with a known unit."""
    if len(found) == 1:
        return found[0]
    with_unit = [q for q in found if q.unit in units]
    return with_unit[0] if len(with_unit) == 1 else None


def says_zero(text: str) -> bool:
    return bool(ZERO_WORDS.search(text.lower()))


def parse_count(text: str, units: frozenset[str] = frozenset()) -> int | None:
    """A whole count ("~800 examples", "1.5k", "two hundred", "none" -> 0), else None."""
    found = quantities(text)
    if found is None:
        return None
    if not found:
        return 0 if says_zero(text) else None
    q = _pick(found, units)
    if q is None or q.value < 0 or not float(q.value).is_integer():
        return None
    if q.unit in MS_PER_UNIT:  # "under 2 seconds" is a duration, never a count
        return None
    return int(q.value)


# "Everything lives in SharePoint": one place, said without a number.
ONE_PLACE = re.compile(
    r"\b(everything|all of it|it all)( is| lives| sits| comes| is stored| is kept)? (in|on|from) "
    r"(?![^,;]*\b(and|plus|or)\b)[^,;]+$"
)


def parse_sources(text: str, units: frozenset[str] = frozenset()) -> int | None:
    """A count of sources, or 1 for everything in one place ("it all lives in SharePoint").

    >>> parse_sources("It all lives in SharePoint"), parse_sources("it all sits in Jira and Git")
    (1, None)
    """
    count = parse_count(text, units)
    if count is None and ONE_PLACE.search(" ".join(text.lower().split()).rstrip(" .!")):
        return 1
    return count


def parse_tokens(text: str) -> int | None:
    """A knowledge size in tokens ("about 2M tokens", "300 pages", "50k words"), else None.

    A number of documents or files says nothing about size, so it gives None.
    """
    found = quantities(text)
    if found is None:
        return None
    if not found:
        return 0 if says_zero(text) else None
    if any(q.unit in COUNT_NOT_SIZE for q in found):
        return None
    found = [replace(q, unit=BYTE_WORDS.get(q.unit, q.unit)) for q in found]
    q = _pick(found, TOKENS_PER_UNIT)
    if q is None or _is_other_unit(q.unit):
        return None
    factor = TOKENS_PER_UNIT.get(q.unit, 1 if q.unit not in MS_PER_UNIT else 0)
    if q.unit in FILE_TOKENS_PER_UNIT and FILE_FORMATS.search(text.lower()):
        factor = FILE_TOKENS_PER_UNIT[q.unit]
    return round(q.value * factor) if factor else None
