"""Text normalisation shared by retrieval checks and answer metrics.

It lives in `knowledge` (the lower floor) so that both the cited-answer check here and
the trial metrics in `eval` use one definition of "the same words".
"""

from __future__ import annotations

import re
import string

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


def content_tokens(text: str) -> list[str]:
    return [t for t in tokens(text) if t not in STOPWORDS]


def groundedness(answer: str, context: str) -> float:
    """Share of the answer's content words that occur in the context (1.0 for no words)."""
    words = content_tokens(answer)
    if not words:
        return 1.0
    seen = set(tokens(context))
    return sum(w in seen for w in words) / len(words)
