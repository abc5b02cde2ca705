"""Text normalisation shared by retrieval checks and answer metrics.

It lives in `knowledge` (the lower floor) so that both the cited-answer check here and
the trial metrics in `eval` use one definition of "the same words".

`normalize` decides when two answers say the same thing, so every rule below exists to
stop a false match or a false miss that a reader would not accept:

* Unicode first: compatibility forms fold to plain ones (full-width letters, non-breaking
  spaces, "…"), Latin accents drop ("café" = "cafe"), curly apostrophes and the minus
  sign become ASCII, and dashes and quotes of any kind are punctuation like the rest,
  so typography never decides a score.
* Articles go only when they are articles, since "Zone A" must not read "zone" (and so
  match "Zone B"). An article comes directly before the noun phrase it introduces, so
  "a"/"an"/"the" stays when punctuation, the end of the text, or a word that cannot start
  a noun phrase ("is", "or", "of", ...) follows it: "Zone A", "zone a, by the gate",
  "zone a is closed". A capital "A" inside a sentence is a label ("Plan A costs more"),
  not an article. Text made only of articles keeps them, so an answer never normalises
  to nothing. (Known blind spot: a lower-case label before a noun, "zone a gate".)
* Numbers keep their value: a decimal point between digits stays ("9.5" is not "95"),
  a comma before a group of exactly three digits is a thousands separator and goes
  ("1,200" = "1200"), and a minus directly before a number is its sign. A decimal comma
  ("9,5") is not rewritten, because "1,2" may as well be a list.
* Other punctuation and symbols become spaces ("14-day" = "14 day", "Nordlys-Express" =
  "nordlys express"); apostrophes vanish ("don't" = "dont"); "%" and "per cent" read
  "percent".
* A count takes the plural and a compound does not ("14 days" but "a 14-day window"),
  so a word right after a number is made singular. Only there: elsewhere "news" and
  "new" must stay apart.
"""

from __future__ import annotations

import re
import unicodedata

_ASCII_FORMS = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "′": "'", "`": "'", "−": "-"})
# Combining Diacritical Marks: the accents of Latin, Greek and Cyrillic letters. Marks of
# other scripts (Devanagari vowel signs, kana voicing) are part of the letter and stay.
_ACCENT = re.compile(r"[\u0300-\u036f]")
# An article comes directly before the noun phrase it introduces, never before a
# conjunction, a preposition or a verb like "is": "zone a is closed", "Zone A or B".
_NOT_A_NOUN = "|".join(
    "and or nor but of to in on at by for from with into than as if is are was were be been "
    "has have had".split()
)
_ARTICLE = re.compile(rf"(?<![\w'-])(?:a|an|the)(?=\s+(?!(?:{_NOT_A_NOUN})\b)\w)", re.IGNORECASE)
_SENTENCE_START = ".!?:;\"'([{«“\n"
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_PER_CENT = re.compile(r"\bper cent\b")
# A number keeps its decimal points ("9.5", "1.2.3") and a sign written before it.
_NUMBER = re.compile(r"(?:(?<!\S)-)?\d+(?:\.\d+)*")
_IS_NUMBER = re.compile(r"-?\d+(?:\.\d+)*")
# Scripts written without spaces between words (kana, CJK ideographs, Hangul syllables):
# each character is its own token, or a whole Chinese sentence would be one "word".
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
STOPWORDS = frozenset(
    (
        "a an the and or of to in on for with at by from is are was were be been it this that "
        "as into than then so if but not no do does did can could should would will your you "
        "we our they their its what which who how when where why"
    ).split()
)


def normalize(text: str) -> str:
    """Lower-case words without articles, punctuation or accents, numbers kept whole.

    >>> normalize("The  Nordlys-Express!")
    'nordlys express'
    >>> normalize("It is in Zone A, valid for a 14-day window at 9.5%.")
    'it is in zone a valid for 14 day window at 9.5 percent'
    >>> normalize("“Café” – 1,200 items…")
    'cafe 1200 item'
    >>> normalize("退货期为14天。")
    '退 货 期 为 14 天'
    """
    text = fold_unicode(text)
    words = _words(_drop_articles(text)) or _words(text)
    return " ".join(_singular_after_numbers(words))


def fold_unicode(text: str) -> str:
    """Compatibility forms to plain ones and Latin accents dropped, keeping case.

    Case stays because `_is_article` reads it.

    >>> fold_unicode("Ｚｏｎｅ\u00a0Ａ — déjà’s")
    "Zone A — deja's"
    """
    decomposed = _ACCENT.sub("", unicodedata.normalize("NFKD", text))
    return unicodedata.normalize("NFC", decomposed).translate(_ASCII_FORMS)


def _drop_articles(text: str) -> str:
    return _ARTICLE.sub(lambda m: " " if _is_article(text, m) else m.group(), text)


def _is_article(text: str, match: re.Match[str]) -> bool:
    """False for a capital "A" inside a sentence: there it is a label ("Plan A or B")."""
    if match.group() != "A":
        return True
    before = text[: match.start()].rstrip(" \t")
    return not before or before[-1] in _SENTENCE_START


def _words(text: str) -> list[str]:
    """Case-folded words, numbers whole, every other mark a space."""
    text = text.casefold().replace("'", "").replace("%", " percent ")
    text = _THOUSANDS.sub("", text)
    pieces: list[str] = []
    end = 0
    for number in _NUMBER.finditer(text):
        pieces += [_blank_marks(text[end : number.start()]), number.group()]
        end = number.end()
    pieces.append(_blank_marks(text[end:]))
    spaced = _UNSPACED.sub(lambda m: f" {m.group()} ", "".join(pieces))
    return _PER_CENT.sub("percent", " ".join(spaced.split())).split()


def _blank_marks(text: str) -> str:
    """Punctuation and symbols (Unicode categories P* and S*, any script) become spaces."""
    return "".join(" " if unicodedata.category(c)[0] in "PS" else c for c in text)


def _singular_after_numbers(words: list[str]) -> list[str]:
    """The word after a number, made singular: "14 days" and "a 14-day window" agree."""
    return [
        singular(w) if i and _IS_NUMBER.fullmatch(words[i - 1]) else w for i, w in enumerate(words)
    ]


def singular(word: str) -> str:
    """English plural to singular by spelling alone, for the units that follow a count.

    Words of three letters or fewer and "-ss/-us/-is" endings are not plurals.

    >>> [singular(w) for w in ["days", "inches", "boxes", "batteries", "class", "bus", "hrs"]]
    ['day', 'inch', 'box', 'battery', 'class', 'bus', 'hrs']
    """
    if len(word) <= 3 or not word.endswith("s") or word.endswith(("ss", "us", "is")):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "xes", "sses")):
        return word[:-2]
    return word[:-1]


def tokens(text: str) -> list[str]:
    """The words `normalize` keeps, for bag-of-words metrics."""
    return normalize(text).split()


def content_tokens(text: str) -> list[str]:
    return [t for t in tokens(text) if t not in STOPWORDS]


def groundedness(answer: str, context: str) -> float:
    """Share of the answer's content words that occur in the context (1.0 for no words)."""
    words = content_tokens(answer)
    if not words:
        return 1.0
    seen = set(tokens(context))
    return sum(w in seen for w in words) / len(words)
