"""Keyword parsers for descriptive answers: the use case and the gaps.

These answers are descriptions ("it makes up facts about our products and the JSON
is malformed"), not numbers or yes/no, so they are matched against keyword tables.
Each table row is one regular expression, easy to extend when a test finds a phrasing
we miss. Unreadable text gives None and the interview offers the choices instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.advice.profile import GAPS, USE_CASES


def norm(text: str) -> str:
    """Lower case, curly quotes straightened, punctuation other than a few kept marks dropped."""
    cleaned = re.sub(r"[^\w\s'&$€£+.,/-]", " ", text.lower().replace("’", "'"))
    return " ".join(cleaned.split())


def any_match(patterns: tuple[str, ...], text: str) -> bool:
    return any(re.search(p, text) for p in patterns)


# Ties go to the entry listed first, so specific use cases come before generic ones; a
# tie is still only a weak reading (see `read_use_case`).
USE_CASE_PATTERNS: dict[str, str] = {
    "customer_support": (
        r"customer (support|service|care|questions|queries)|support (bot|agent|team|desk|chat)"
        r"|help ?desk|answer(s|ing)? customers?|customer (e-?mails?|tickets|requests|complaints)"
        r"|(help|support|contact) (inbox|mailbox)|people who (write|e-?mail|call) in"
    ),
    "extraction": (
        r"extract|pull (out )?(fields|data|values)|structured data from|fill (in )?(forms|fields)"
        r"|\bentities\b|pars(e|ing) (invoices|forms)|\bpull\b.{1,60}\bout of\b"
        r"|\bfill (in )?(our|the|their) .{1,60}\bwith\b"
    ),
    "classification": (
        r"classif|categori|\btag(ging)?\b|triage|sentiment|rout(e|ing) (tickets|emails|requests)"
        r"|\bspam\b|\bsort(s|ing)? .{1,40}\b(by|into)\b"
    ),
    "summarization": r"summar|digest|\btl ?;? ?dr\b|condens|overview|\brecap|\bgist\b",
    "code_generation": (
        r"\bcoding\b|\bprogramm|\bsql\b|autocomplete|\bcode (generation|completion|review"
        r"|suggestions?)\b|\b(write|writes|writing|generate|generates|generating|complete"
        r"|refactor|fix|fixing|review|reviewing) (our |the |some |their |new )?code\b"
        r"|\bwrit(e|es|ing) (sql |database )?queries\b"
    ),
    "style_rewrite": (
        r"rewrit|rephras|paraphras|(brand|house|our) (voice|style)|copy ?edit|style rewrite"
        r"|marketing copy|\bsound (more |less )?\w+er\b|\bless (technical|formal|stiff)\b"
    ),
    "document_qa": (
        r"\bq ?& ?a\b|\bqa\b|question[- ]answering|answer(s|ing)? questions"
        r"|questions (about|on|over|from)|search (our|the|through)|knowledge base|look ?up"
        r"|ask (questions|about)|\banswers? (from|in|out of) (our|the|a|their)\b"
    ),
    "conversational": r"chat ?bot|\bchat\b|conversation|assistant|companion|dialog",
    "other": r"^other$|something else|none of (these|those|the above)",
}
CONVERSATIONAL_WORDS = (
    "chat ?bot", r"\bchat\b", "conversation", "assistant", "companion", r"\btalk (to|with)\b",
)  # fmt: skip
# Words that name a use case but turn up as often in replies about something else ("the
# licences that ship with our code", "code of conduct"). Alone they are weak evidence: half
# a point, and never enough to store the use case from a longer reply without asking.
AMBIGUOUS_WORDS: dict[str, str] = {"code_generation": r"\bcode\b"}
# A reply this short is a label, not a description: its one keyword is what it means.
SHORT_REPLY_WORDS = 3


@dataclass(frozen=True)
class Reading:
    """A descriptive answer as read: the value, whether it is safe to store, and the rivals.

    `sure` is False for a tie or a lone ambiguous keyword; the interview then says what
    it read and asks, offering the `rivals` (the other use cases that scored) as well.
    """

    value: str | None
    sure: bool = True
    rivals: tuple[str, ...] = ()


def read_use_case(text: str) -> Reading:
    """The use case with how firmly it was read.

    "Conversational" words (chat, assistant) appear in most descriptions, so they count
    half: "a customer support chatbot" is customer support, "a chatbot" conversational.
    An ambiguous keyword (see AMBIGUOUS_WORDS) also counts half, and decides a reply on
    its own only when the reply is a bare label ("code"). A tie is never sure.

    >>> read_use_case("We review the open-source licences that ship with our code")
    Reading(value='code_generation', sure=False, rivals=())
    >>> read_use_case("answer questions about the licences in our code")
    Reading(value='document_qa', sure=True, rivals=('code_generation',))
    """
    t = norm(text)
    exact = t.replace(" ", "_").replace("-", "_")
    if exact in USE_CASES:
        return Reading(exact)
    scores = {}
    for name, pattern in USE_CASE_PATTERNS.items():
        if name == "conversational":
            scores[name] = 0.5 * sum(bool(re.search(p, t)) for p in CONVERSATIONAL_WORDS)
        elif re.search(pattern, t):
            scores[name] = 1.0
        else:
            scores[name] = 0.5 * bool(re.search(AMBIGUOUS_WORDS.get(name, r"(?!)"), t))
    ranked = sorted((n for n in scores if scores[n] > 0), key=lambda n: -scores[n])
    if not ranked:
        return Reading(None)
    best, rivals = ranked[0], tuple(ranked[1:])
    tied = len(ranked) > 1 and scores[ranked[1]] == scores[best]
    keyword_only = best in AMBIGUOUS_WORDS and scores[best] < 1
    weak = tied or (keyword_only and len(t.split()) > SHORT_REPLY_WORDS)
    return Reading(best, not weak, rivals)


def parse_use_case(text: str) -> str | None:
    """The use case from a description or an exact value; None when nothing matches."""
    return read_use_case(text).value


# "Licence terms" are facts about the business (knowledge), not a terminology problem.
BUSINESS_TERMS = (
    "licence", "license", "contract", "contractual", "warranty", "payment", "service",
    "legal", "refund", "usage", "privacy", "delivery", "loan", "policy", "trading",
)  # fmt: skip
NOT_BUSINESS = "".join(rf"(?<!{word} )" for word in BUSINESS_TERMS)
GAP_PATTERNS: dict[str, str] = {
    "knowledge": (
        rf"\b({'|'.join(BUSINESS_TERMS)}) terms\b|"
        r"\bfacts?\b|\bmakes? (things |stuff )?up\b|\bmade up\b|hallucinat|\binvent(s|ing|ed)?\b"
        r"|(doesn't|does not|don't) know|\black(s)? (of )?(knowledge|context|information)"
        r"|out ?of ?date|outdated|\bstale\b|\b(not aware|unaware)\b|knowledge"
        r"|(wrong|incorrect|missing) (answers|information|info|details|data|prices)"
        r"|\bour (products?|policies|policy|docs|documentation|prices|pricing)\b"
        r"|(don't|doesn't|do not|does not) exist|non-?existent"
    ),
    "format": (
        r"format|\bjson\b|\bxml\b|\byaml\b|\bcsv\b|schema|malformed|structure|template"
        r"|\bfields?\b|markdown|layout|bullet|wall of text|\bheadings?\b|numbered list"
    ),
    "style": (
        r"\bstyle\b|\btone\b|\bvoice\b|\bbrand\b|verbose|wordy|rambl|waffl|\bregister\b|\bpersona\b"
        r"|too (formal|informal|casual|robotic|stiff|chatty)|\bsounds? (like|robotic)"
        # "too long" is about length only when it is the text: "way too long" after "it
        # answers in about a minute" is about time.
        r"|(answers|replies|responses|text|output|it) (are |is |gets |runs )?(way |far |much )?"
        r"too long\b(?! to)|long-winded"
    ),
    "terminology": (
        rf"terminolog|jargon|vocabular|(?<!in ){NOT_BUSINESS}\bterms?\b(?! of)|acronym|abbreviation"
        r"|nomenclature|(legal|medical|technical|billing) codes?|wrong words|shorthand|lingo"
    ),
    "latency": (
        r"\bslow|latency|response time|takes (too )?long|\bspeed\b"
        r"|too long to (answer|respond|reply)|(expensive|cost) per (request|call|query)"
        r"|\btakes? (\w+[ ,]+){0,3}(seconds|minutes)\b|give up waiting"
        r"|\b(answers?|replies|responds?|responses?) (in|after) (about |around |over )?"
        r"(a|an|one|two|few|several|\d+) (seconds?|minutes?|hours?)\b"
    ),
    "reasoning": (
        r"\breason|\blogic|\bmath|calculat|arithmetic|multi[- ]step|\binfer(s|ring|red)?\b"
        r"|deduc|judge?ment|\btotals?\b|\badd(s|ing)? up\b|\bwork (it |things )?out\b"
    ),
}
NO_GAPS = (
    r"((honestly|actually|really|to be honest),? )?"
    r"(none|nothing|no gaps?|(none|nothing) known|nothing yet|nothing specific|all good"
    r"|no problems?|it works( fine)?|works fine|(it )?(does|works|performs|is doing) "
    r"(fine|well|ok|okay))"
    r"( (so far|yet|really|for now|at the moment|right now))?"
)
# A clause saying something works is not a gap: "the format is fine, but ..."
OK_CLAUSE = (
    r"\b(is|are|seems?|looks?) (fine|ok|okay|good|great|perfect)\b",
    r"\b(no|not a|not an|isn't a|isn't an) (problem|issue)s?\b",
    r"\b(doesn't|does not|don't|do not|never|rarely|no longer) (\w+ )?"
    r"(make|makes|hallucinat\w*|invent\w*|struggle\w*)\b",
)


def parse_gaps(text: str) -> list[str] | None:
    """Every gap the text describes, in canonical order; [] for "none"; None if unreadable."""
    t = norm(text)
    if re.fullmatch(NO_GAPS, t.strip(" .!")):
        return []
    found: set[str] = set()
    for clause in re.split(r"[.;,]|\b(?:but|and|also|plus|although|while)\b", t):
        if any_match(OK_CLAUSE, clause):
            continue
        found |= {gap for gap, pattern in GAP_PATTERNS.items() if re.search(pattern, clause)}
    return [g for g in GAPS if g in found] or None
