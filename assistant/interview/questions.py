"""What the interview asks, how it reads each answer, and how it says an answer back.

One row per profile field keeps the conversation easy to change: the plain-language
question, quick-reply choices (each choice parses back to its value, a test checks
it), the expected form named in a re-ask, the reader, and the words a user might use
to name the field in a correction ("change budget to high").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from assistant.advice.profile import USE_CASES
from assistant.interview import parsers as p

# Asked first; after these the user gets a preliminary recommendation.
CORE_FIELDS = (
    "use_case",
    "gaps",
    "knowledge_change",
    "corpus_tokens",
    "labeled_examples",
    "examples_reviewed",
    "has_eval_set",
    "prompting_tried",
    "budget",
    "gpu",
)
# Asked afterwards to sharpen the recommendation.
EXTRA_FIELDS = (
    "source_count",
    "needs_citations",
    "latency_budget_ms",
    "timeline_weeks",
    "monthly_queries",
)
FIELD_ORDER = CORE_FIELDS + EXTRA_FIELDS
# Only matter when answers depend on reference knowledge.
KNOWLEDGE_FIELDS = ("knowledge_change", "corpus_tokens", "source_count", "needs_citations")
YES_NO = ("Yes", "No")


@dataclass(frozen=True)
class Question:
    """One question; `choices` are quick-reply buttons whose text the parser accepts."""

    field: str
    text: str
    hint: str
    choices: tuple[str, ...] = ()
    multi: bool = False  # several choices may be combined in one reply

    def to_dict(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "text": self.text,
            "hint": self.hint,
            "choices": list(self.choices),
            "multi": self.multi,
        }


def _q(field: str, text: str, hint: str, choices: tuple[str, ...] = (), multi: bool = False):
    return Question(field, text, hint, choices, multi)


QUESTIONS: dict[str, Question] = {
    "use_case": _q(
        "use_case",
        "What will the model do for you? Describe it in a sentence or pick one.",
        "a short description such as 'answer questions about our contracts', or a choice",
        (
            "Document Q&A",
            "Customer support",
            "Summarization",
            "Extraction",
            "Classification",
            "Code generation",
            "Conversational assistant",
            "Style rewrite",
            "Other",
        ),
    ),
    "gaps": _q(
        "gaps",
        "What does the model get wrong today? For example: it makes up facts, breaks the "
        "output format, has the wrong tone, misuses terminology, is too slow, reasons badly.",
        "what goes wrong, e.g. 'it makes up facts and the JSON is malformed', or 'none known'",
        (
            "Wrong or missing facts",
            "Output format",
            "Tone or style",
            "Domain terminology",
            "Too slow",
            "Reasoning",
            "None known",
        ),
        multi=True,
    ),
    "knowledge_change": _q(
        "knowledge_change",
        "How often does the information behind the answers change?",
        "how often, e.g. 'every week', 'monthly' or 'rarely'",
        ("Daily", "Weekly", "Monthly", "Yearly", "Rarely or never"),
    ),
    "corpus_tokens": _q(
        "corpus_tokens",
        "Roughly how much reference material do the answers depend on? Tokens, words or "
        "pages are all fine.",
        "a size like '2M tokens', '300 pages' or '50k words', or 'none'",
    ),
    "labeled_examples": _q(
        "labeled_examples",
        "How many curated examples do you have, each a request paired with the ideal answer?",
        "a number like '800' or 'none'",
    ),
    "examples_reviewed": _q(
        "examples_reviewed",
        "Were those examples checked by domain experts (lawyers, clinicians, senior agents)?",
        "yes or no",
        YES_NO,
    ),
    "has_eval_set": _q(
        "has_eval_set",
        "Do you have a held-out test set of about 100-200 requests with known good answers?",
        "yes or no",
        YES_NO,
    ),
    "prompting_tried": _q(
        "prompting_tried",
        "Have you measured how well a carefully written prompt does on its own?",
        "yes or no",
        YES_NO,
    ),
    "budget": _q(
        "budget",
        "What budget do you have for this: low, medium or high? A dollar amount works too.",
        "low, medium, high, or an amount like '$50k'",
        ("Low", "Medium", "High"),
    ),
    "gpu": _q(
        "gpu",
        "What GPUs could you train on: none, a single GPU, or several?",
        "'no GPU', 'one GPU' or 'several GPUs'",
        ("No GPU", "One GPU", "Several GPUs"),
    ),
    "source_count": _q(
        "source_count",
        "How many separate systems does that material come from (wiki, ticket system, "
        "shared drive...)?",
        "a number such as '3'",
    ),
    "needs_citations": _q(
        "needs_citations",
        "Must each answer show which document it came from, for audits or compliance?",
        "yes or no",
        YES_NO,
    ),
    "latency_budget_ms": _q(
        "latency_budget_ms",
        "How fast must an answer come back?",
        "a time like '200 ms' or '2 seconds', or 'no requirement'",
        ("Under 100 ms", "Under 1 second", "5 seconds is fine", "No requirement"),
    ),
    "timeline_weeks": _q(
        "timeline_weeks",
        "When does this need to be in production?",
        "a time like '6 weeks' or '3 months', or 'no deadline'",
        ("4 weeks", "3 months", "6 months", "No deadline"),
    ),
    "monthly_queries": _q(
        "monthly_queries",
        "Roughly how many queries a month will it answer? This prices each approach at your "
        "volume; 'not sure' is fine.",
        "a volume like '200k a month', '2M' or '5,000 a day'",
        ("10k a month", "100k a month", "1M a month", "10M a month"),
    ),
}

EXAMPLE_UNITS = frozenset("example examples pairs pair samples sample rows items".split())
SOURCE_UNITS = frozenset("source sources systems system repositories tools databases".split())


def _or_none(says_none: Callable[[str], bool], parse: Callable[[str], Any]):
    """A reader where "no requirement" is a valid answer meaning None."""

    def read(text: str) -> tuple[bool, Any]:
        if says_none(text):
            return True, None
        value = parse(text)
        return value is not None, value

    return read


def _plain(parse: Callable[[str], Any]):
    def read(text: str) -> tuple[bool, Any]:
        value = parse(text)
        return value is not None, value

    return read


READERS: dict[str, Callable[[str], tuple[bool, Any]]] = {
    "use_case": _plain(p.parse_use_case),
    "gaps": _plain(p.parse_gaps),
    "knowledge_change": _plain(p.parse_frequency),
    "corpus_tokens": _plain(p.parse_tokens),
    "source_count": _plain(lambda t: p.parse_sources(t, SOURCE_UNITS)),
    "needs_citations": _plain(p.parse_citations),
    "labeled_examples": _plain(lambda t: p.parse_count(t, EXAMPLE_UNITS)),
    "examples_reviewed": _plain(p.parse_reviewed),
    "has_eval_set": _plain(p.parse_eval_set),
    "prompting_tried": _plain(p.parse_measured),
    "budget": _plain(p.parse_budget),
    "gpu": _plain(p.parse_gpu),
    "latency_budget_ms": _or_none(p.says_no_requirement, p.parse_latency_ms),
    "timeline_weeks": _or_none(p.says_no_deadline, p.parse_weeks),
    "monthly_queries": _plain(p.parse_monthly_queries),
}


def _use_case_doubt(text: str) -> tuple[str, ...] | None:
    reading = p.read_use_case(text)
    return None if reading.sure else reading.rivals


# Readers that can tell a weak reading from a firm one: for a weak one the doubt is the
# rival values (maybe none), and the interview says what it read and asks before storing
# (`assistant.interview.confirm`). A field missing here is always read firmly.
DOUBTS: dict[str, Callable[[str], tuple[Any, ...] | None]] = {"use_case": _use_case_doubt}

# Words naming a field in "change X to Y", "go back to X" or "actually ... X".
FIELD_WORDS: dict[str, tuple[str, ...]] = {
    "use_case": ("use case", "use-case", "usecase", "task"),
    "gaps": ("gaps", "gap", "problems", "what goes wrong"),
    "knowledge_change": ("how often", "update frequency", "change frequency", "frequency"),
    "corpus_tokens": ("tokens", "corpus", "material", "pages", "words"),
    "source_count": ("sources", "source count", "systems"),
    "needs_citations": ("citations", "citation", "attribution", "audit"),
    "labeled_examples": ("examples", "labeled examples", "labelled examples", "training data"),
    "examples_reviewed": ("reviewed", "review", "checked by"),
    "has_eval_set": ("eval set", "evaluation set", "test set", "held-out", "held out"),
    "prompting_tried": ("prompting", "prompt baseline", "baseline", "prompt"),
    "budget": ("budget",),
    "gpu": ("gpu", "gpus", "hardware"),
    "latency_budget_ms": ("latency", "response time", "how fast"),
    "timeline_weeks": ("timeline", "deadline"),
    "monthly_queries": ("volume", "queries a month", "monthly queries", "traffic"),
}
LABELS = {
    "use_case": "use case",
    "gaps": "gaps",
    "knowledge_change": "how often the knowledge changes",
    "corpus_tokens": "amount of reference material",
    "source_count": "number of sources",
    "needs_citations": "citations needed",
    "labeled_examples": "curated examples",
    "examples_reviewed": "examples reviewed by experts",
    "has_eval_set": "held-out test set",
    "prompting_tried": "prompt baseline measured",
    "budget": "budget",
    "gpu": "GPUs",
    "latency_budget_ms": "response-time budget",
    "timeline_weeks": "timeline",
    "monthly_queries": "queries a month",
}
GPU_TEXT = {"none": "no GPU", "single": "one GPU", "multi": "several GPUs"}


def field_named(text: str) -> str | None:
    """The field a phrase names; the longest matching word wins ("held-out pairs")."""
    t = p.norm(text)
    best, best_len = None, 0
    for name, words in FIELD_WORDS.items():
        for word in words:
            if re.search(rf"\b{re.escape(word)}\b", t) and len(word) > best_len:
                best, best_len = name, len(word)
    return best


def describe(field: str, value: Any) -> str:
    """An answer said back in words, so a misread is visible to the user at once."""
    return f"{LABELS[field]}: {value_text(field, value)}"


def value_text(field: str, value: Any) -> str:
    """A stored value in words: "Document Q&A", "about 20,000 tokens", "no fixed deadline"."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if field == "gaps":
        return ", ".join(value) if value else "none known"
    if field == "use_case":
        return dict(zip(USE_CASES, QUESTIONS["use_case"].choices, strict=True))[value]
    if field == "corpus_tokens":
        return f"about {value:,} tokens" if value else "none"
    if field == "latency_budget_ms":
        return "no requirement" if value is None else f"{value:,} ms"
    if field == "timeline_weeks":
        return "no fixed deadline" if value is None else f"{value} weeks"
    if field == "monthly_queries":
        return "unknown" if value is None else f"about {value:,}"
    if field == "gpu":
        return GPU_TEXT[value]
    return f"{value:,}" if isinstance(value, int) else str(value)
