"""Deterministic parsers for interview replies: one function per kind of answer.

Each parser returns the value it is sure of, or None. None is not a failure: the
interview turns it into a friendly re-ask naming the expected form, so a reply we
cannot read never becomes a silent wrong value. No model is involved, so parsing is
instant, testable and identical for every user. By job: `numbers` (counts, sizes),
`times` (durations, volumes), `words` (use case, gaps), `answers` (yes/no, review,
citations), `choices` (frequency, GPU, budget), `control` (skip, finish, side questions).
"""

from assistant.interview.parsers.answers import (
    parse_citations,
    parse_confirmation,
    parse_eval_set,
    parse_measured,
    parse_reviewed,
    parse_yes_no,
    review_mentioned,
)
from assistant.interview.parsers.choices import (
    parse_budget,
    parse_frequency,
    parse_gpu,
    rules_out_hardware,
)
from assistant.interview.parsers.control import (
    asks_for_recommendation,
    declines,
    is_skip,
    mentions_batch,
    says_no_deadline,
    says_no_requirement,
    starts_with_question_word,
    wants_to_finish,
)
from assistant.interview.parsers.numbers import (
    parse_count,
    parse_sources,
    parse_tokens,
    quantities,
)
from assistant.interview.parsers.times import parse_latency_ms, parse_monthly_queries, parse_weeks
from assistant.interview.parsers.words import (
    Reading,
    any_match,
    norm,
    parse_gaps,
    parse_use_case,
    read_use_case,
)

__all__ = [
    "Reading",
    "any_match",
    "asks_for_recommendation",
    "declines",
    "is_skip",
    "mentions_batch",
    "norm",
    "parse_budget",
    "parse_citations",
    "parse_confirmation",
    "parse_count",
    "parse_eval_set",
    "parse_frequency",
    "parse_gaps",
    "parse_gpu",
    "parse_latency_ms",
    "parse_measured",
    "parse_monthly_queries",
    "parse_reviewed",
    "parse_sources",
    "parse_tokens",
    "parse_use_case",
    "parse_weeks",
    "parse_yes_no",
    "quantities",
    "read_use_case",
    "review_mentioned",
    "rules_out_hardware",
    "says_no_deadline",
    "says_no_requirement",
    "starts_with_question_word",
    "wants_to_finish",
]
