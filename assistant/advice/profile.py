"""The team profile: the one public contract shared by the interview, CLI, UI and tests.

A profile describes a use case in plain facts (what goes wrong today, how big and how
fresh the knowledge is, which examples and evaluation data exist, what budget and
hardware are available). The decision engine reads nothing else, so every field is
validated here once: wrong types, negative numbers, unknown choices and answers that
contradict each other raise `ProfileError` naming the field, instead of quietly
producing a recommendation built on a typo.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields, replace
from typing import Any

from assistant.core.errors import ProfileError

USE_CASES = (
    "document_qa",
    "customer_support",
    "summarization",
    "extraction",
    "classification",
    "code_generation",
    "conversational",
    "style_rewrite",
    "other",
)
GAPS = ("knowledge", "format", "style", "terminology", "latency", "reasoning")
KNOWLEDGE_CHANGES = ("static", "yearly", "monthly", "weekly", "daily")
BUDGETS = ("low", "medium", "high")
GPUS = ("none", "single", "multi")
MEASURED_KEYS = ("prompt", "rag", "lora", "target")
CHOICES: dict[str, tuple[str, ...]] = {
    "use_case": USE_CASES,
    "knowledge_change": KNOWLEDGE_CHANGES,
    "budget": BUDGETS,
    "gpu": GPUS,
}
MAX_INT = 10**12  # tokens, examples, queries a month, ms or weeks: none is ever larger
_INT_FIELDS = ("corpus_tokens", "source_count", "labeled_examples")
_OPTIONAL_INT_FIELDS = ("latency_budget_ms", "timeline_weeks", "monthly_queries")
_BOOL_FIELDS = ("needs_citations", "examples_reviewed", "has_eval_set", "prompting_tried")


def _f(default: Any, doc: str) -> Any:
    """A field with its documentation attached (a test checks every field has one)."""
    return field(default=default, metadata={"doc": doc})


_GAPS_DOC = f"What the base model gets wrong today (any of {', '.join(GAPS)}); empty = none known."
_MEASURED_DOC = (
    "Your production scores 0..1 on your own held-out set (not trial runs), any of: "
    "prompt, rag, lora, target (the score you need)."
)


@dataclass(frozen=True)
class Profile:
    """What we know about a team's use case; defaults describe "nothing known yet"."""

    use_case: str = _f("other", "What the model is for: " + ", ".join(USE_CASES) + ".")
    gaps: list[str] = field(default_factory=list, metadata={"doc": _GAPS_DOC})
    knowledge_change: str = _f(
        "static", "How often the knowledge answers depend on changes: static .. daily."
    )
    corpus_tokens: int = _f(0, "Size of the knowledge answers depend on, in tokens; 0 = none.")
    source_count: int = _f(1, "Distinct data sources that knowledge comes from.")
    needs_citations: bool = _f(False, "Answers must show their source (audit, compliance).")
    labeled_examples: int = _f(0, "Curated input/output example pairs available.")
    examples_reviewed: bool = _f(False, "Those examples were reviewed by domain experts.")
    latency_budget_ms: int | None = _f(None, "Response-time budget in ms; null = none.")
    has_eval_set: bool = _f(False, "A held-out set of 100-200 input/output pairs exists.")
    prompting_tried: bool = _f(False, "A prompt-engineering baseline was measured.")
    budget: str = _f("medium", "Money available for the project: low, medium or high.")
    timeline_weeks: int | None = _f(None, "Weeks until it must be in production; null = open.")
    gpu: str = _f("none", "Training hardware: none, single or multi (several GPUs).")
    monthly_queries: int | None = _f(
        None, "Queries the system will answer per month, for costs at your volume; null = unknown."
    )
    measured: dict[str, float] = field(default_factory=dict, metadata={"doc": _MEASURED_DOC})

    def __post_init__(self) -> None:
        # Normalise JSON-ish input (integral floats, tuples) before checking, so a
        # profile built directly and one built by from_dict behave the same.
        for name in (*_INT_FIELDS, *_OPTIONAL_INT_FIELDS):
            value = getattr(self, name)
            if isinstance(value, float) and value.is_integer():
                object.__setattr__(self, name, int(value))
        if isinstance(self.gaps, tuple):
            object.__setattr__(self, "gaps", list(self.gaps))
        problems = _problems(self)
        if problems:
            name, message = problems[0]
            raise ProfileError(name, message, [m for _, m in problems])

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Profile:
        """A profile from JSON data; unknown fields are errors, missing ones take defaults."""
        if not isinstance(data, dict):
            raise ProfileError("profile", f"a profile must be a JSON object, got {data!r}")
        known = field_names()
        for key in data:
            if key not in known:
                raise ProfileError(
                    str(key), f"unknown profile field {key!r}; known fields: {', '.join(known)}"
                )
        return cls(**data)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data with every field (copies, so callers cannot mutate us)."""
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["gaps"] = list(self.gaps)
        data["measured"] = dict(self.measured)
        return data

    def with_(self, **changes: Any) -> Profile:
        """A copy with some fields changed, validated again."""
        return replace(self, **changes)


def field_names() -> tuple[str, ...]:
    return tuple(f.name for f in fields(Profile))


def _problems(p: Profile) -> list[tuple[str, str]]:
    """Every problem as (field, message); type problems first so later checks are safe."""
    out: list[tuple[str, str]] = []
    for name, choices in CHOICES.items():
        value = getattr(p, name)
        if value not in choices:
            out.append((name, f"{name} must be one of {', '.join(choices)}; got {value!r}"))
    for name in _INT_FIELDS:
        out += _check_int(name, getattr(p, name), optional=False)
    for name in _OPTIONAL_INT_FIELDS:
        out += _check_int(name, getattr(p, name), optional=True, minimum=1)
    for name in _BOOL_FIELDS:
        value = getattr(p, name)
        if not isinstance(value, bool):
            out.append((name, f"{name} must be true or false; got {value!r}"))
    out += _check_gaps(p.gaps)
    out += _check_measured(p.measured)
    if out:
        return out
    return _contradictions(p)


def _check_int(name: str, value: Any, *, optional: bool, minimum: int = 0) -> list[tuple[str, str]]:
    if optional and value is None:
        return []
    kind = "a whole number or null" if optional else "a whole number"
    if isinstance(value, bool) or not isinstance(value, int):
        return [(name, f"{name} must be {kind}; got {value!r}")]
    if value < minimum:
        return [(name, f"{name} must be >= {minimum}; got {value}")]
    if value > MAX_INT:  # no real team has more; huge values only break the arithmetic
        return [(name, f"{name} must be at most {MAX_INT:,}; got a {len(str(value))}-digit number")]
    return []


def _check_gaps(gaps: Any) -> list[tuple[str, str]]:
    allowed = ", ".join(GAPS)
    if not isinstance(gaps, list):
        return [("gaps", f"gaps must be a list drawn from {allowed}; got {gaps!r}")]
    for gap in gaps:
        if gap not in GAPS:
            return [("gaps", f"gaps may only contain {allowed}; got {gap!r}")]
    if len(set(gaps)) != len(gaps):
        return [("gaps", f"gaps lists a value more than once: {gaps!r}")]
    return []


def _check_measured(measured: Any) -> list[tuple[str, str]]:
    keys = ", ".join(MEASURED_KEYS)
    if not isinstance(measured, dict):
        return [("measured", f"measured must be an object with keys from {keys}")]
    out = []
    for key, value in measured.items():
        if key not in MEASURED_KEYS:
            out.append(("measured", f"measured has unknown key {key!r}; allowed: {keys}"))
        elif isinstance(value, bool) or not isinstance(value, int | float):
            out.append(("measured", f"measured.{key} must be a number 0..1; got {value!r}"))
        elif math.isnan(value) or not 0.0 <= value <= 1.0:
            out.append(("measured", f"measured.{key} must be between 0 and 1; got {value!r}"))
    return out


def _contradictions(p: Profile) -> list[tuple[str, str]]:
    """Answers that cannot all be true; each message says which answer to change."""
    out = []
    if p.examples_reviewed and p.labeled_examples == 0:
        out.append(
            (
                "examples_reviewed",
                "examples_reviewed is true but labeled_examples is 0: "
                "reviewed examples need examples (set labeled_examples or examples_reviewed)",
            )
        )
    if "prompt" in p.measured and not p.prompting_tried:
        out.append(
            (
                "prompting_tried",
                "measured.prompt is given but prompting_tried is false: "
                "a measured prompt score means prompting was tried",
            )
        )
    return out
