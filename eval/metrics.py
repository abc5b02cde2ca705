"""Answer-quality metrics as pure functions (SQuAD-style normalisation).

Every function takes plain strings and returns a float in 0..1, so they are trivial
to test against hand-computed values and safe to call from anywhere.
"""

from __future__ import annotations

import re
import string
from collections import Counter
from collections.abc import Sequence

_ARTICLES = re.compile(r"\b(a|an|the)\b")
_PUNCT = str.maketrans("", "", string.punctuation + "“”‘’")
STOPWORDS = frozenset(
    (
        "a an the and or of to in on for with at by from is are was were be been it this that "
        "as into than then so if but not no do does did can could should would will your you "
        "we our they their its what which who how when where why"
    ).split()
)


def normalize(text: str) -> str:
    """Lower-case, drop punctuation and articles, squeeze spaces.

    >>> normalize("The  Nordlys-Express!")
    'nordlysexpress'
    """
    text = text.lower().translate(_PUNCT)
    text = _ARTICLES.sub(" ", text)
    return " ".join(text.split())


def tokens(text: str) -> list[str]:
    return normalize(text).split()


def exact_match(prediction: str, reference: str) -> float:
    return float(normalize(prediction) == normalize(reference))


def token_f1(prediction: str, reference: str) -> float:
    """Harmonic mean of token precision and recall (bag of words)."""
    pred, ref = tokens(prediction), tokens(reference)
    if not pred or not ref:
        return float(pred == ref)
    common = sum((Counter(pred) & Counter(ref)).values())
    if common == 0:
        return 0.0
    precision, recall = common / len(pred), common / len(ref)
    return 2 * precision * recall / (precision + recall)


def contains(prediction: str, reference: str) -> float:
    """1 when the normalised reference appears inside the normalised prediction.

    Fair to small models that answer in a sentence instead of the bare span.
    """
    ref = normalize(reference)
    return float(bool(ref) and f" {ref} " in f" {normalize(prediction)} ")


def _lcs(a: Sequence[str], b: Sequence[str]) -> int:
    previous = [0] * (len(b) + 1)
    for x in a:
        current = [0]
        for j, y in enumerate(b, 1):
            current.append(previous[j - 1] + 1 if x == y else max(previous[j], current[j - 1]))
        previous = current
    return previous[-1]


def rouge_l(prediction: str, reference: str) -> float:
    """ROUGE-L F-measure from the longest common subsequence of tokens."""
    pred, ref = tokens(prediction), tokens(reference)
    if not pred or not ref:
        return float(pred == ref)
    lcs = _lcs(pred, ref)
    if lcs == 0:
        return 0.0
    precision, recall = lcs / len(pred), lcs / len(ref)
    return 2 * precision * recall / (precision + recall)


def content_tokens(text: str) -> list[str]:
    return [t for t in tokens(text) if t not in STOPWORDS]


def groundedness(answer: str, context: str) -> float:
    """Share of the answer's content words that occur in the context (1.0 for no words)."""
    words = content_tokens(answer)
    if not words:
        return 1.0
    seen = set(tokens(context))
    return sum(w in seen for w in words) / len(words)


def recall_at_k(retrieved_texts: Sequence[str], reference: str) -> float:
    """1 when any retrieved chunk contains the reference answer."""
    return float(any(contains(text, reference) for text in retrieved_texts))
