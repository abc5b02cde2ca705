"""Parsers for yes/no answers: yes/no, expert review, test set, baseline, citations.

Each returns the value it is sure of, or None, which makes the interview ask again.
"""

from __future__ import annotations

import re

from assistant.interview.parsers.numbers import quantities
from assistant.interview.parsers.words import any_match, norm

# --- Yes / no ----------------------------------------------------------------------------
YES = (
    r"\b(yes|yep|yeah|yup|ya|sure|certainly|correct|true|definitely|absolutely|of course|"
    r"indeed|affirmative|we do|we have|we did|i do|i have|did that|done|already|y)\b"
)
NO = (
    r"\b(no|nope|nah|not|never|none|false|haven't|hasn't|hadn't|don't|doesn't|didn't|"
    r"isn't|aren't|wasn't|without|n)\b"
)
HEDGES = (
    r"\b(not sure|no idea|don't know|dunno|maybe|perhaps|partly|partially|sort of|"
    r"kind of|somewhat|some of)\b"
    # a part of them: "some have been, most haven't", "half of them were"
    r"|\b(some|half|most|a few|a couple)( of (them|those|these))? (have|has|were|was|are|got)\b"
)
# Work under way is not done yet: "working on it" means no test set today.
NOT_YET = r"\b(in progress|working on|under way|underway|in the works|being (built|written))\b"


def parse_yes_no(text: str) -> bool | None:
    """True / False for a clear answer ("yep", "not yet", "we haven't"), None if hedged."""
    t = norm(text)
    if not t or re.search(HEDGES, t):
        return None
    if re.search(NOT_YET, t):
        return False
    first = t.split()[0].strip(",.!")
    if re.fullmatch(YES, first):
        return True
    if re.fullmatch(NO, first) or re.search(NO, t):
        return False
    return True if re.search(YES, t) else None


REVIEW_NO = (
    r"\b(unreviewed|unchecked|unverified|raw|scraped|auto[- ]?generated|synthetic)\b",
    r"\bby (nobody|no one|no-one)\b",
    r"\b(not|never|nobody|no one|no-one)( yet| been| really| fully)? (reviewed|checked|"
    r"vetted|validated|verified|audited)\b",
    r"\b(nobody|no one|no-one) ha(s|d|ve) (\w+ )?(looked|gone|been) (at|over|through)\b",
    r"\b(haven't|hasn't|didn't|weren't|aren't|wasn't) (been |yet )?(reviewed|checked|vetted|"
    r"validated|verified)\b",
)
REVIEW_YES = (
    r"\b(reviewed|checked|vetted|validated|verified|audited|approved|curated|proofread)\b",
    r"\b(went|gone|been|passed) (past|through|over|by) (an? |our |the |two |\w+ )?(senior |"
    r"domain |in-house )?(\w+ )?(experts?|lawyers?|solicitors?|counsel|doctors?|clinicians?|"
    r"nurses?|engineers?|specialists?|analysts?|agents?|editors?|reviewers?)\b",
    r"\bsigned off\b",
    r"\b(written|labell?ed|annotated) by (our |the |domain |in-house )?([a-z-]+ )?"
    r"(experts?|lawyers?|doctors?|clinicians?|coders?|engineers?|specialists?|analysts?|agents?)\b",
)


def review_mentioned(text: str) -> bool | None:
    """Review status only when the text talks about review ("checked by our lawyers")."""
    t = norm(text)
    if any_match(REVIEW_NO, t):
        return False
    if any_match(REVIEW_YES, t):
        return True
    return None


def parse_measured(text: str) -> bool | None:
    """Was the prompt baseline measured? Trying a prompt by hand is not a measurement.

    >>> parse_measured("We've only played with it in ChatGPT"), parse_measured("yes")
    (False, True)
    """
    said = parse_yes_no(text)
    if said is None and re.search(INFORMAL, norm(text)):
        return False
    return said


INFORMAL = r"\b(played|playing|tinker\w*|fiddl\w*|messed|eyeball\w*|by hand|by eye|informal)\b"
EVAL_ITEMS = r"\b(questions?|examples?|pairs?|items?|cases?|prompts?|requests?|tickets?)\b"


def parse_eval_set(text: str) -> bool | None:
    """Is there a held-out test set? A yes/no, or a positive count of held-out items.

    "We keep 120 questions aside that we never train on" is a yes: the "never" is about
    training, and the count answers the question.
    """
    t = norm(text)
    first = t.split()[0].strip(",.!") if t else ""
    if re.fullmatch(YES, first) or re.fullmatch(NO, first) or re.search(NOT_YET, t):
        return parse_yes_no(t)
    counted = [q for q in quantities(t) or [] if re.fullmatch(EVAL_ITEMS, q.unit)]
    if counted and not re.search(HEDGES, t):
        return counted[0].value > 0
    return parse_yes_no(t)


def parse_reviewed(text: str) -> bool | None:
    """Were the examples expert-reviewed? A review phrase, or a plain yes/no."""
    mentioned = review_mentioned(text)
    return parse_yes_no(text) if mentioned is None else mentioned


# --- Citations ---------------------------------------------------------------------------
# "We need sources cited" is a yes without the word yes; "nice to have" is a no.
CITATIONS_OPTIONAL = (
    r"\b(optional|nice to have|no need|unnecessary|(can|could) live without|would be (handy|nice|"
    r"useful|good)|not (a )?(need|needed|required|requirement|"
    r"necessary|mandatory|essential|important|critical)|(don't|doesn't|do not|does not) need)\b"
)
CITATIONS_NEEDED = (
    r"\b(needs?|needed|must|mandatory|required?|requires|requirement|compulsory|essential|"
    r"necessary|"
    r"have to|has to|obligatory)\b"
)


def parse_citations(text: str) -> bool | None:
    """Must answers cite their source? A plain yes/no, or a phrase of need or option."""
    t = norm(text)
    if re.search(CITATIONS_OPTIONAL, t):
        return False
    said = parse_yes_no(t)
    if said is not None or re.search(HEDGES, t):
        return said
    return True if re.search(CITATIONS_NEEDED, t) else None


# --- Confirming a reading ----------------------------------------------------------------
CONFIRMED = r"^(?:that's |that is |thats |yes,? )?(?:right|exactly|spot on|that's it)\b"


def parse_confirmation(text: str) -> bool | None:
    """A reply to "I read that as X — right?": a yes/no, or "right", "exactly", "spot on".

    >>> parse_confirmation("that's right"), parse_confirmation("No"), parse_confirmation("hm")
    (True, False, None)
    """
    t = norm(text).strip(" .!")
    return True if re.match(CONFIRMED, t) else parse_yes_no(t)
