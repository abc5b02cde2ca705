"""Parsers for choice answers: how often knowledge changes, GPUs, budget.

Each returns the value it is sure of, or None, which makes the interview ask again.
"""

from __future__ import annotations

import re

from assistant.interview.parsers.numbers import quantities
from assistant.interview.parsers.words import any_match, norm

# --- Knowledge change frequency ----------------------------------------------------------
# Phrases map to a typical interval in days; the interval picks the bucket. Anything
# between buckets is rounded to the MORE frequent one (quarterly -> monthly, every two
# weeks -> weekly), because underestimating change leads to stale answers, the costlier
# mistake. "Rarely" and "never" mean static.
FREQUENCY_PHRASES = (
    (
        r"\b(daily|every day|each day|per day|hourly|every hour|real[- ]time|realtime|"
        r"constantly|continuously|all the time|live)\b",
        1,
    ),
    (
        r"\b(weekly|every week|each week|per week|once a week|biweekly|fortnightly|"
        r"every other week|every sprint|each sprint|per sprint)\b"
        r"|\b(every|each|on) (monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?\b",
        7,
    ),
    (
        r"\b(monthly|every month|each month|per month|once a month|quarterly|every quarter|"
        r"each quarter|per quarter)\b",
        30,
    ),
    (r"\b(yearly|annually|annual|every year|each year|per year|once a year)\b", 365),
    (
        r"\b(never|rarely|seldom|infrequently|static|hardly ever|almost never|stable|fixed|frozen|"
        r"hardly at all|barely|"
        r"not (very |that |too )?often|(doesn't|does not|don't|do not) change)\b",
        10_000,
    ),
)
UNIT_DAYS = {"day": 1, "week": 7, "month": 30, "quarter": 91, "year": 365}
TIMES = {"once": 1, "twice": 2, "several": 3, "multiple": 3, "a few": 3, "few": 3}
TIMES |= dict.fromkeys(("couple", "a couple", "couple of", "a couple of"), 2)
HOW_MANY = r"(a few|(?:a )?couple(?: of)?|\w+)"  # "every couple of months", "a few times"
BUCKETS = ((2, "daily"), (14, "weekly"), (120, "monthly"), (400, "yearly"))


def _bucket(days: float) -> str:
    return next((name for limit, name in BUCKETS if days <= limit), "static")


def parse_frequency(text: str) -> str | None:
    """How often the knowledge changes: static, yearly, monthly, weekly or daily."""
    t = norm(text)
    if t in ("static", "yearly", "monthly", "weekly", "daily"):
        return t
    intervals = []
    unit = r"(day|week|month|quarter|year)s?"
    for m in re.finditer(r"\bevery " + HOW_MANY + " " + unit, t):  # "every two weeks"
        count = _amount(m.group(1))
        if count:
            intervals.append(UNIT_DAYS[m.group(2)] * count)
    times = r"\b(?:" + HOW_MANY + r" times?|(once|twice)) (?:a|an|per|each) "
    for m in re.finditer(times + unit, t):  # "twice a year", "3 times a week"
        count = _amount(m.group(1) or m.group(2))
        if count:
            intervals.append(UNIT_DAYS[m.group(3)] / count)
    intervals += [days for pattern, days in FREQUENCY_PHRASES if re.search(pattern, t)]
    return _bucket(min(intervals)) if intervals else None


def _amount(word: str) -> float | None:
    if word in TIMES:
        return TIMES[word]
    found = quantities(word)
    return found[0].value if found else None


# --- Enumerations ------------------------------------------------------------------------
GPU_WORDS = (
    r"(gpus?|cards?|a100s?|h100s?|h200s?|v100s?|a10g?s?|l4s?|l40s?|t4s?|rtx|"
    r"3090s?|4090s?|mi300s?|tpus?)\b"
)
NO_GPU = (
    r"\bno " + GPU_WORDS,
    r"\b(without|zero|0) " + GPU_WORDS,
    r"\b(don't|do not) have (a |any )?" + GPU_WORDS,
    r"\bcpus? only\b|\bcpu-only\b",
    r"\b(only|just) (a |our |some )?(cpus?|laptops?|macbooks?|notebooks?|desktops?|pcs)\b",
    r"^(no|nope|none)$",
)
MULTI_GPU = r"\b(cluster|multi|multiple|several|many|nodes?|pod|dgx)\b"
ONE_GPU = r"\b(single|one|a|an) (rented |cloud |nvidia |amd )?" + GPU_WORDS


def parse_gpu(text: str) -> str | None:
    """Training hardware: none ("no GPU", "CPU only"), single ("one A100"), multi ("8 H100s")."""
    t = norm(text)
    if t in ("none", "single", "multi"):
        return t
    if any_match(NO_GPU, t):
        return "none"
    counts = []
    for m in re.finditer(r"\b(\d+|[a-z]+) ?x? ?(?:nvidia |amd )?" + GPU_WORDS, t):
        counts += [q.value for q in quantities(m.group(1)) or []]
    if re.search(MULTI_GPU, t) or any(c >= 2 for c in counts):
        return "multi"
    if any(c == 1 for c in counts) or re.search(ONE_GPU, t):
        return "single"
    return None


BUDGET_WORDS = {
    "low": r"\b(low|tight|small|limited|shoe[- ]?string|minimal|little|modest|cheap|not much|"
    r"no budget|zero budget|not (a |very )?(big|large|high|huge|lot))\b",
    "medium": r"\b(medium|moderate|mid|middle|middling|in between|average|reasonable|decent|"
    r"normal|some budget)\b",
    "high": r"\b(high|large|big|generous|plenty|lots|deep pockets|unlimited|whatever it takes|"
    r"significant|substantial)\b",
}
BUDGET_USD = ((20_000, "low"), (100_000, "medium"))  # below each limit -> that level
# Without a currency, "50k" or "80,000" can only be money; "3" or "in 2025" is no budget.
BARE_AMOUNT_MIN = 10_000


def _level(amount: float) -> str:
    return next((level for limit, level in BUDGET_USD if amount < limit), "high")


def parse_budget(text: str) -> str | None:
    """low / medium / high from words ("tight") or amounts ("$50k": < 20k low, < 100k medium).

    >>> parse_budget("Medium, I'd say, but we won't buy hardware"), parse_budget("not small")
    ('medium', None)
    """
    t = norm(text)
    if re.search(r"[$€£]|\b(usd|dollars?|eur|euros?|gbp|pounds?)\b", t):
        found = quantities(t.replace("$", " ").replace("€", " ").replace("£", " "))
        return _level(found[0].value) if found and len(found) == 1 else None
    hits = [level for level, pattern in BUDGET_WORDS.items() if re.search(pattern, t)]
    if not hits:
        found = quantities(t)
        amount = found[0] if found and len(found) == 1 else None
        if amount is None or (amount.scale == 1 and amount.value < BARE_AMOUNT_MIN):
            return None
        return _level(amount.value)
    if "low" in hits and re.search(r"\bnot (a |very )?(big|large|high|huge|lot)\b", t):
        return "low"
    if len(hits) != 1 or _negated(t, BUDGET_WORDS[hits[0]]):
        return None
    return hits[0]


NEGATION = re.compile(r"\b(?:not|never|no)\b|n't\b")


def _negated(text: str, pattern: str) -> bool:
    """A negation in the three words before the budget word ("not small", "isn't high").

    Only there: "Medium, I'd say, but we won't buy hardware" is a medium budget.
    """
    hit = re.search(pattern, text)
    before = " ".join(text[: hit.start()].split()[-3:]) if hit else ""
    return bool(NEGATION.search(before))


# "We won't buy hardware" in a budget reply: the GPU question then counts what they have.
NO_HARDWARE = (
    r"\b(?:won't|will not|can't|cannot|not going to|no money to|not allowed to) "
    r"(?:buy|purchase|get|invest in|pay for) (?:any )?(?:new |more |extra )?"
    r"(?:hardware|gpus?|servers?|machines?)\b",
    r"\bno (?:new )?(?:hardware|gpus?|servers?) (?:purchases?|spend\w*|budget)\b",
)


def rules_out_hardware(text: str) -> bool:
    """The reply says no hardware will be bought ("we won't buy hardware")."""
    return any_match(NO_HARDWARE, norm(text))
