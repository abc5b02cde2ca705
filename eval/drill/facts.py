"""Changed facts for the update drill: a value in a document replaced by a plausible other.

Why: the guidance says fast-changing knowledge belongs in retrieval, but no measurement
showed what an update costs each approach. The drill needs a real update whose right
answer is known: so the fact behind a held-out question is changed where the documents
state it (a number, time, year, amount, code or name in its source sentence), and the
question's reference answer changes with it. Pure functions of text and a seeded RNG:
the same documents and seed give the same update.

- A value with digits is changed only where the answer occurs exactly once in all the
  documents, so the old value cannot survive elsewhere and confuse the measurement.
- A name (no digits) is renamed everywhere it occurs, as a real rename would be.
- The new answer must occur nowhere in the documents before the change, and neither
  answer may contain the other (`contains` must tell them apart).
"""

from __future__ import annotations

import random
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from eval.scoring.metrics import contains

_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")
_TIME = re.compile(r"\b([01]?\d|2[0-3]):([0-5]\d)\b")
_NAME_WORD = re.compile(r"^[A-Z][\w'-]*$")
_PERCENT = re.compile(r"percent|%", re.IGNORECASE)
FIRST_NAMES = ("Maren", "Tobias", "Ingrid", "Jonas", "Sofie", "Emil", "Hedda", "Viktor",
               "Clara", "Mikkel", "Ylva", "Aksel")  # fmt: skip
LAST_NAMES = ("Aasen", "Dahle", "Engen", "Fossum", "Grande", "Lunde", "Nygaard", "Rustad",
              "Solberg", "Tveit", "Moberg", "Sandvik")  # fmt: skip
ORG_ENDINGS = ("Foundation", "Inc", "Inc.", "Ltd", "Ltd.", "LLC", "Corporation", "Institute",
               "University", "Association", "Project", "Cooperative", "Group", "Team")  # fmt: skip
CONSONANTS, VOWELS = "bdfgklmnprstv", "aeiou"
FACTORS = (0.5, 0.6, 0.75, 1.25, 1.5, 2.0)


@dataclass(frozen=True)
class DocText:
    """A document as the drill may edit it: its source name, its file and its text."""

    source: str
    path: str
    text: str


@dataclass(frozen=True)
class FactChange:
    """One changed fact: the question, its old and new answer, where it was changed."""

    question: str
    old: str
    new: str
    source: str
    kind: str  # number, time, year, code or name
    sentence: str = ""  # the source sentence as it reads after the change

    def to_dict(self) -> dict[str, str]:
        return {"question": self.question, "old": self.old, "new": self.new,
                "source": self.source, "kind": self.kind, "sentence": self.sentence}  # fmt: skip


@dataclass(frozen=True)
class Update:
    """The documents' new versions (source → new text, or the uploaded file's path) and
    the facts that changed."""

    files: dict[str, str | Path]
    changes: tuple[FactChange, ...]
    notes: tuple[str, ...] = field(default_factory=tuple)


def occurrences(text: str, phrase: str) -> list[re.Match[str]]:
    """Where `phrase` stands in `text` as whole words, any case and spacing.

    >>> [m.start() for m in occurrences("Door 17, not door  17b; DOOR 17.", "Door 17")]
    [0, 24]
    """
    words = phrase.split()
    if not words:
        return []
    pattern = r"\s+".join(re.escape(w) for w in words)
    return list(re.finditer(rf"(?<!\w){pattern}(?!\w)", text, re.IGNORECASE))


def other_value(answer: str, rng: random.Random) -> tuple[str, str, str] | None:
    """(old span, new span, kind): the value in an answer to change, and its plausible other.

    A time moves by 45 minutes, a year by one to three, a code keeps its digit count, an
    amount is scaled (a percentage stays at most 100, decimals keep their places), a
    person's name becomes another, a single name another word in the same case.

    >>> other_value("15:45", random.Random(0))
    ('15:45', '16:30', 'time')
    >>> [other_value(a, random.Random(0))[2] for a in ("Room C-114", "Kjersti Bolle", "2025")]
    ['code', 'name', 'year']
    """
    time = _TIME.search(answer)
    if time:
        minutes = (int(time.group(1)) * 60 + int(time.group(2)) + 45) % (24 * 60)
        return time.group(0), f"{minutes // 60:02d}:{minutes % 60:02d}", "time"
    digits = _DIGITS.search(answer)
    if digits:
        return _other_number(answer, digits, rng)
    return _other_name(answer, rng)


def _other_number(answer: str, found: re.Match[str], rng: random.Random) -> tuple[str, str, str]:
    text, start, end = found.group(0), found.start(), found.end()
    glued = (start > 0 and (answer[start - 1].isalpha() or answer[start - 1] == "-")) or (
        end < len(answer) and answer[end].isalpha()
    )
    if glued:  # part of a code such as C-114 or TRV-88412: same number of digits
        width = len(re.sub(r"\D", "", text))
        low = 10 ** (width - 1) if width > 1 and not text.startswith("0") else 0
        choices = [n for n in range(low, min(10**width, low + 5000)) if f"{n:0{width}d}" != text]
        return text, f"{rng.choice(choices):0{width}d}", "code"
    value = float(text.replace(",", ""))
    decimals = len(text.rsplit(".", 1)[1]) if "." in text else 0
    if decimals == 0 and "," not in text and 1900 <= value <= 2100:
        return text, str(int(value) + rng.choice((-2, -1, 1, 2, 3))), "year"
    cap = 100.0 if _PERCENT.search(answer[end:]) and value <= 100 else float("inf")
    if decimals == 0 and value < 10:
        options = [n for n in range(1, 13) if n != value and abs(n - value) <= 3]
        return text, str(rng.choice(options)), "number"
    factors = list(FACTORS)
    rng.shuffle(factors)
    for factor in factors:
        new = round(value * factor, decimals)
        if new != value and 0 < new <= cap:
            break
    new_text = f"{new:,.{decimals}f}" if "," in text else f"{new:.{decimals}f}"
    return text, new_text, "number"


def _other_name(answer: str, rng: random.Random) -> tuple[str, str, str] | None:
    words = answer.split()
    if not words or not all(_NAME_WORD.match(w) for w in words):
        return None  # only names (capitalised words) are renamed
    if len(words) == 1:
        new = coined_name(rng, len(answer))
        return answer, new.upper() if answer.isupper() and len(answer) > 1 else new, "name"
    caps = [i for i, w in enumerate(words) if w.isupper() and len(w) > 1]
    if caps:  # an acronym or product name ("STIX Fonts"): coin another in its place
        i = caps[0]
        coined = coined_name(rng, len(words[i])).upper()
        return answer, " ".join([*words[:i], coined, *words[i + 1 :]]), "name"
    if words[-1] in ORG_ENDINGS:
        return answer, " ".join([coined_name(rng, len(words[0])), *words[1:]]), "name"
    first = rng.choice([n for n in FIRST_NAMES if n != words[0]])
    last = rng.choice([n for n in LAST_NAMES if n != words[-1]])
    return answer, " ".join([first, *words[1:-1], last]), "name"


def coined_name(rng: random.Random, length: int = 7) -> str:
    """A made-up name of about `length` letters: product and system names are made up, so
    their plausible other is another made-up word, not an English one ("Granite" carries a
    meaning that moves the sentence's embedding; "Velmar" does not).

    >>> coined_name(random.Random(1)), coined_name(random.Random(2), 4)
    ('Fuvakan', 'Badi')
    """
    letters = []
    while len(letters) < max(4, min(length, 9)):
        letters += [rng.choice(CONSONANTS), rng.choice(VOWELS)]
    return "".join(letters[: max(4, min(length, 9))]).capitalize()


def change_facts(
    docs: Sequence[DocText], pairs: Sequence[object], wanted: int, seed: int = 0,
    prefer: Collection[str] = (),
) -> Update:  # fmt: skip
    """Change the facts behind up to `wanted` of `pairs` (question/answer objects).

    Pairs are tried in a seeded order, those whose question is in `prefer` first (the
    facts the run answered right before the change: then the drill measures the update,
    not a reader that never found the fact). One whose answer is not stated in an
    editable document, is stated several times (a value with digits), or has no value to
    change is passed over, and the notes say how many could be changed.
    """
    rng = random.Random(seed)
    order = list(pairs)
    rng.shuffle(order)
    order.sort(key=lambda p: str(getattr(p, "question", "")) not in prefer)
    texts = {d.source: d.text for d in docs}
    changes: list[FactChange] = []
    for pair in order:
        if len(changes) >= wanted:
            break
        change = _change_one(texts, pair, rng, changes)
        if change is not None:
            changes.append(change)
    notes = []
    if len(changes) < wanted:
        notes.append(
            f"only {len(changes)} of the {wanted} questions asked for had a value the drill "
            "could change where a text document states it once"
        )
    files = {d.source: texts[d.source] for d in docs if texts[d.source] != d.text}
    return Update(files, tuple(changes), tuple(notes))


def _change_one(
    texts: dict[str, str], pair: object, rng: random.Random, done: list[FactChange]
) -> FactChange | None:
    """Change one pair's fact in `texts` (in place); None when it cannot be changed cleanly."""
    answer, question = str(getattr(pair, "answer", "")), str(getattr(pair, "question", ""))
    found = {s: occurrences(t, answer) for s, t in texts.items()}
    found = {s: m for s, m in found.items() if m}
    total = sum(len(m) for m in found.values())
    proposal = other_value(answer, rng) if total else None
    if proposal is None:
        return None
    old_span, new_span, kind = proposal
    new_answer = answer.replace(old_span, new_span, 1)
    clash = any(occurrences(t, new_answer) for t in texts.values())
    if clash or contains(new_answer, answer) or contains(answer, new_answer):
        return None
    if kind != "name" and total != 1:
        return None
    if any(contains(d.new, answer) or contains(answer, d.new) for d in done):
        return None
    sentence = ""
    for source, matches in found.items():
        text = texts[source]
        for match in reversed(matches):
            value = match.group(0)
            replaced = re.sub(re.escape(old_span), new_span, value, count=1, flags=re.I)
            text = text[: match.start()] + replaced + text[match.end() :]
            sentence = sentence or _sentence(text, match.start())
        texts[source] = text
    return FactChange(question, answer, new_answer, next(iter(found)), kind, sentence)


def _sentence(text: str, at: int) -> str:
    """The sentence (or line) around position `at`, for showing what changed."""
    starts = [text.rfind(mark, 0, at) for mark in (". ", "\n", "! ", "? ")]
    start = max(starts) + 1
    ends = [e for e in (text.find(mark, at) for mark in (". ", "\n")) if e >= 0]
    end = min(ends) + 1 if ends else len(text)
    return " ".join(text[start:end].split())[:300]


def uploaded_update(
    files: dict[str, Path], answers: Sequence[object], pairs: Sequence[object]
) -> Update:
    """The team's own update: new versions of documents (source → file) and a Q/A file with
    the answers as they read now. The changed facts are the held-out `pairs` whose
    question is answered there with something else; nothing is edited by the drill.

    >>> from types import SimpleNamespace as P
    >>> now = [P(question="How long?", answer="9 days")]
    >>> held = [P(question="how long?", answer="7 days"), P(question="Who?", answer="Bo")]
    >>> up = uploaded_update({"a.md": Path("new/a.md")}, now, held)
    >>> [(c.old, c.new) for c in up.changes], up.notes
    ([('7 days', '9 days')], ())
    """
    from knowledge.text import normalize

    now = {normalize(str(getattr(a, "question", ""))): str(getattr(a, "answer", ""))
           for a in answers}  # fmt: skip
    changes = []
    for pair in pairs:
        question, old = str(getattr(pair, "question", "")), str(getattr(pair, "answer", ""))
        new = now.get(normalize(question))
        if new is not None and normalize(new) != normalize(old):
            changes.append(FactChange(question, old, new, ", ".join(sorted(files)), "uploaded"))
    notes = () if changes else (
        "no held-out question has a different answer in the updated Q/A file",
    )  # fmt: skip
    return Update(dict(files), tuple(changes), notes)
