"""Durations and volumes over time: response times, timelines, queries a month.

Read from the quantities of `numbers`, with the same rules (approximations at face
value, ranges at their lower bound, None when unsure), plus spoken durations below.
"""

from __future__ import annotations

import math
import re

from assistant.interview.parsers.numbers import (
    MS_PER_UNIT,
    WEEKS_PER_UNIT,
    Quantity,
    _pick,
    quantities,
)

# Spoken durations, rewritten as numbers before a latency or a timeline is read. A time
# budget is a loose upper limit, so "a few seconds" is read as 3 s and "a couple of
# months" as 2 months (said back, so the user can correct it) instead of asking again;
# vague counts of things ("a few hundred pages") stay unread. "Next quarter" is one
# quarter from now: "by the end of next quarter" is 13 to 26 weeks away, and without
# today's date the nearer end is taken, like the lower bound of a range.
_UNIT_AHEAD = (
    r"(?=(?:ms|milliseconds?|s|secs?|seconds?|mins?|minutes?|hours?|days?|weeks?|months?"
    r"|quarters?|years?)\b)"
)
SPOKEN_DURATIONS = (
    (re.compile(r"\b(?:a )?couple(?: of)? " + _UNIT_AHEAD), "2 "),
    (re.compile(r"\b(?:a )?few " + _UNIT_AHEAD), "3 "),
    (re.compile(r"\bhalf (?:an? )?" + _UNIT_AHEAD), "0.5 "),
    (re.compile(r"\b(?:the )?(?:end of )?(?:the )?next " + _UNIT_AHEAD), "1 "),
)


def _spoken_durations(text: str) -> str:
    """ "a few seconds" -> "3 seconds", "half a year" -> "0.5 year", "next month" -> "1 month"."""
    text = " ".join(text.lower().split())
    for pattern, number in SPOKEN_DURATIONS:
        text = pattern.sub(number, text)
    return text


def parse_latency_ms(text: str) -> int | None:
    """A response-time budget in ms ("under 200 ms", "2 seconds", "a few seconds": 3000).

    A bare number of 50 or more is read as milliseconds; a bare small number ("2") is
    ambiguous and gives None. "No requirement" also gives None: check
    `says_no_requirement` first when that answer is allowed.
    """
    found = quantities(_spoken_durations(text))
    if not found:
        return None
    q = _pick(found, MS_PER_UNIT)
    if q is None:
        return None
    if q.unit in MS_PER_UNIT:
        ms = q.value * MS_PER_UNIT[q.unit]
    elif q.value >= 50 and q.unit not in WEEKS_PER_UNIT:
        ms = q.value
    else:
        return None
    return round(ms) if ms >= 1 else None


# A named quarter, month or season is a date: how far away it is depends on today, which
# the parsers do not know ("Q3 next year" is not "next year"), so it is asked again.
CALENDAR = re.compile(
    r"\bq[1-4]\b|\b(january|february|march|april|june|july|august|september|october"
    r"|november|december|spring|summer|autumn|winter|christmas|easter)\b"
)


def parse_weeks(text: str) -> int | None:
    """A timeline in whole weeks ("3 months" -> 13, "10 days" -> 2); a bare number is None.

    Two durations that say the same ("by the end of next quarter, so about three months")
    are one answer; two that differ by more than a week are asked again.

    >>> parse_weeks("By the end of next quarter, so about three months from now.")
    13
    """
    found = quantities(_spoken_durations(text))
    if not found or CALENDAR.search(text.lower()):
        return None
    durations = [_weeks(q) for q in found if q.unit in WEEKS_PER_UNIT]
    if len(durations) > 1 and max(durations) - min(durations) <= 1:
        return min(durations)
    q = _pick(found, WEEKS_PER_UNIT)
    if q is None or q.unit not in WEEKS_PER_UNIT:
        return None
    return _weeks(q)


def _weeks(q: Quantity) -> int:
    """Whole weeks, at least one; days round up (10 days is 2 weeks, not 1)."""
    weeks = q.value * WEEKS_PER_UNIT[q.unit]
    return max(1, math.ceil(weeks - 1e-9)) if q.unit.startswith("day") else max(1, round(weeks))


# How often a volume is counted, as months per period ("5k a day" = 5k x 365/12 a month).
PER_MONTH = {
    "second": 365 * 24 * 3600 / 12, "minute": 365 * 24 * 60 / 12, "hour": 365 * 24 / 12,
    "day": 365 / 12, "week": 52 / 12, "month": 1, "year": 1 / 12,
}  # fmt: skip
_PERIOD = re.compile(
    r"(?:\b(?:a|an|per|each|every)\s+|/\s*)(second|minute|hour|day|week|month|year)s?\b"
    r"|\b(hourly|daily|weekly|monthly|yearly)\b"
)
QUERY_UNITS = frozenset(
    "queries query requests request questions question calls messages tickets chats".split()
)
# A count of people is not a volume: "our 25 people asking a handful each day" is not 25.
PEOPLE = frozenset(
    "people persons users staff employees agents colleagues customers members seats".split()
)


def parse_monthly_queries(text: str) -> int | None:
    """Queries a month ("2M", "200k a month", "5,000 a day" -> 152,083); None if unsure.

    No period means a month (the question asks per month). Zero or "none" gives None:
    a volume is what costs are priced at, so "no traffic yet" is better re-asked.
    """
    lowered = text.lower()
    period = _PERIOD.search(lowered)
    word = (period.group(1) or period.group(2)) if period else "month"
    word = {"hourly": "hour", "daily": "day", "weekly": "week", "yearly": "year"}.get(word, word)
    found = quantities(_PERIOD.sub(" ", lowered))  # "a month" is the period, not a count
    if not found:
        return None
    q = _pick(found, QUERY_UNITS)
    if q is None or q.value < 1 or q.unit in MS_PER_UNIT or q.unit in WEEKS_PER_UNIT:
        return None
    if q.unit in PEOPLE:
        return None
    return round(q.value * PER_MONTH.get(word, 1))
