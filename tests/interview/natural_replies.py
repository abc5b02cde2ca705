"""Natural replies to each interview question, with the value the interview should store.

Why a table: the parsers are keyword and number rules, and the only way to know they
read people the way people write is a collection of real-sounding replies, kept apart
from the code so anyone can add the phrasing that just failed in a demo. Each row is
(field, reply, expected). `expected` is the stored value, SKIP when the reply declines
(the field keeps its default and is marked skipped), or REASK when the reply cannot be
read safely and the question must be asked again. Hedges with a number in them
("probably around 500, not sure") are read at face value, because the interview says
the number back; hedges without one ("sort of", "partly") are asked again.

Choices documented here (and in the parsers):
- "a few seconds" is 3 s and "a couple of seconds" 2 s: a response-time budget is a
  loose upper limit, so a small count is safer than a re-ask; the same holds for "a few
  months" in a timeline. Vague counts of things ("a few hundred pages") stay REASK.
- "next quarter" / "by the end of next quarter" is 13 weeks: the parsers do not know
  today's date, and the end of next quarter is 13 to 26 weeks away, so the cautious
  (shorter) end is taken, like the lower bound of a range. "End of the year" depends on
  the date and is asked again.
- gigabytes of PDFs are not gigabytes of text: about 100 KB of PDF per page of ~500
  tokens, so 1 GB of PDFs is ~5M tokens (plain text would be ~250M).
- "quarterly" rounds to monthly (more frequent bucket, see parse_frequency).
"""

from __future__ import annotations

from typing import Any

SKIP = "<skip>"
REASK = "<re-ask>"

Row = tuple[str, str, Any]

USE_CASE: list[Row] = [
    ("use_case", "answer questions about our contracts", "document_qa"),
    ("use_case", "Document Q&A", "document_qa"),
    ("use_case", "search our policy documents and answer staff questions", "document_qa"),
    ("use_case", "a bot that answers customer emails", "customer_support"),
    ("use_case", "help our support agents reply to tickets faster", "customer_support"),
    ("use_case", "summarise long meeting transcripts", "summarization"),
    ("use_case", "pull invoice numbers and totals out of scanned invoices", "extraction"),
    ("use_case", "extract fields from insurance claims", "extraction"),
    ("use_case", "classify incoming tickets by product", "classification"),
    ("use_case", "route emails to the right team", "classification"),
    ("use_case", "write SQL from plain English questions", "code_generation"),
    ("use_case", "rewrite product descriptions in our brand voice", "style_rewrite"),
    ("use_case", "a general chatbot for our intranet", "conversational"),
    ("use_case", "something else entirely", "other"),
    ("use_case", "not sure yet", SKIP),
    ("use_case", "it's complicated", REASK),
]

GAPS: list[Row] = [
    ("gaps", "it makes up facts about our products", ["knowledge"]),
    ("gaps", "the JSON it returns is often malformed", ["format"]),
    ("gaps", "too formal, it doesn't sound like us", ["style"]),
    ("gaps", "it gets our licence terms wrong", ["knowledge"]),
    ("gaps", "it doesn't know our license terms", ["knowledge"]),
    ("gaps", "misuses medical jargon", ["terminology"]),
    ("gaps", "it's too slow and the answers are outdated", ["knowledge", "latency"]),
    ("gaps", "bad at multi-step calculations", ["reasoning"]),
    ("gaps", "none known", []),
    ("gaps", "nothing so far", []),
    ("gaps", "Output format, Tone or style", ["format", "style"]),
    ("gaps", "it ignores our template and rambles", ["format", "style"]),
    ("gaps", "the format is fine, but it invents policy details", ["knowledge"]),
    ("gaps", "it confuses our acronyms", ["terminology"]),
    ("gaps", "hallucinations, mostly", ["knowledge"]),
    ("gaps", "wrong prices", ["knowledge"]),
    ("gaps", "not sure", SKIP),
    ("gaps", "hard to say, it just feels off", REASK),
]

KNOWLEDGE_CHANGE: list[Row] = [
    ("knowledge_change", "every week", "weekly"),
    ("knowledge_change", "a few times a year", "yearly"),
    ("knowledge_change", "once or twice a year", "yearly"),
    ("knowledge_change", "a couple of times a year", "yearly"),
    ("knowledge_change", "every 6 months or so", "yearly"),
    ("knowledge_change", "Monthly", "monthly"),
    ("knowledge_change", "quarterly releases", "monthly"),
    ("knowledge_change", "new policies every couple of months", "monthly"),
    ("knowledge_change", "prices change every day", "daily"),
    ("knowledge_change", "constantly, it's live pricing data", "daily"),
    ("knowledge_change", "some of it weekly, most of it yearly", "weekly"),
    ("knowledge_change", "we update the knowledge base every sprint", "weekly"),
    ("knowledge_change", "hardly ever", "static"),
    ("knowledge_change", "not often", "static"),
    ("knowledge_change", "the docs are basically static", "static"),
    ("knowledge_change", "Rarely or never", "static"),
    ("knowledge_change", "no idea", SKIP),
    ("knowledge_change", "it depends", REASK),
]

CORPUS_TOKENS: list[Row] = [
    ("corpus_tokens", "about 2M tokens", 2_000_000),
    ("corpus_tokens", "300 pages", 150_000),
    ("corpus_tokens", "two hundred pages or so", 100_000),
    ("corpus_tokens", "our wiki, maybe 10,000 pages", 5_000_000),
    ("corpus_tokens", "roughly 60k words", 80_000),
    ("corpus_tokens", "1.2 million words", 1_600_000),
    ("corpus_tokens", "probably around 4 MB of text", 1_000_000),
    ("corpus_tokens", "maybe 2-3 GB of PDFs", 10_000_000),
    ("corpus_tokens", "~20k tokens", 20_000),
    ("corpus_tokens", "none", 0),
    ("corpus_tokens", "none yet", 0),
    # Issue #23: a reply that opens with "none" is none; the trace after it is not a size.
    (
        "corpus_tokens",
        "Not really any — everything the model needs is in the input line. At most … a few pages.",
        0,
    ),
    ("corpus_tokens", "500 documents", REASK),  # a count of files is not a size
    ("corpus_tokens", "a few hundred pages", REASK),
    ("corpus_tokens", "not much, a handful of FAQ pages", REASK),
    ("corpus_tokens", "no idea", SKIP),
]

LABELED_EXAMPLES: list[Row] = [
    ("labeled_examples", "~800", 800),
    ("labeled_examples", "probably around 500, not sure", 500),
    ("labeled_examples", "about twelve hundred pairs", 1200),
    ("labeled_examples", "1.5k, all reviewed by support leads", 1500),
    ("labeled_examples", "between 300 and 400", 300),
    ("labeled_examples", "about 2,000 tickets with agent replies", 2000),
    ("labeled_examples", "800 examples but only half are checked", 800),
    ("labeled_examples", "not many, maybe 50", 50),
    ("labeled_examples", "0", 0),
    ("labeled_examples", "none yet", 0),
    ("labeled_examples", "we haven't", 0),
    ("labeled_examples", "none, we'd have to write them", 0),
    ("labeled_examples", "a couple thousand", REASK),
    ("labeled_examples", "we have some", REASK),
    ("labeled_examples", "thousands", REASK),
    ("labeled_examples", "we haven't counted", REASK),
    ("labeled_examples", "no idea", SKIP),
]

EXAMPLES_REVIEWED: list[Row] = [
    ("examples_reviewed", "yes, reviewed by our lawyers", True),
    ("examples_reviewed", "Yes", True),
    ("examples_reviewed", "yep, every one was checked by a clinician", True),
    ("examples_reviewed", "they were written by our senior agents", True),
    ("examples_reviewed", "our QA team validated them", True),
    ("examples_reviewed", "No", False),
    ("examples_reviewed", "not yet", False),
    ("examples_reviewed", "nobody checked them", False),
    ("examples_reviewed", "they're raw exports from our ticket system", False),
    ("examples_reviewed", "no, they're synthetic", False),
    ("examples_reviewed", "the review is still in progress", False),
    ("examples_reviewed", "partly, about half of them", REASK),
    ("examples_reviewed", "I think so", REASK),
    ("examples_reviewed", "no idea", SKIP),
]

HAS_EVAL_SET: list[Row] = [
    ("has_eval_set", "yes, about 150 examples", True),
    ("has_eval_set", "we have a test set of 200 questions", True),
    ("has_eval_set", "yes we do", True),
    ("has_eval_set", "none yet", False),
    ("has_eval_set", "we haven't", False),
    ("has_eval_set", "No", False),
    ("has_eval_set", "nope", False),
    ("has_eval_set", "not really", False),
    ("has_eval_set", "working on it", False),
    ("has_eval_set", "kind of, a handful of spot checks", REASK),
    ("has_eval_set", "we use production logs", REASK),
    ("has_eval_set", "not sure", SKIP),
]

PROMPTING_TRIED: list[Row] = [
    ("prompting_tried", "yes, we measured 72% accuracy", True),
    ("prompting_tried", "yes, scored it on our test set", True),
    ("prompting_tried", "of course", True),
    ("prompting_tried", "No", False),
    ("prompting_tried", "nah", False),
    ("prompting_tried", "we haven't measured anything", False),
    ("prompting_tried", "we tried prompts but never measured", False),
    ("prompting_tried", "not formally", False),
    ("prompting_tried", "just playground experiments, no numbers", False),
    ("prompting_tried", "sort of, informally", REASK),
    ("prompting_tried", "dunno", SKIP),
]

BUDGET: list[Row] = [
    ("budget", "tight", "low"),
    ("budget", "pretty limited", "low"),
    ("budget", "not a lot", "low"),
    ("budget", "small, maybe $5k", "low"),
    ("budget", "about 10k euros", "low"),
    ("budget", "moderate", "medium"),
    ("budget", "medium I guess", "medium"),
    ("budget", "around $50k", "medium"),
    ("budget", "50k", "medium"),
    ("budget", "High", "high"),
    ("budget", "whatever it takes", "high"),
    ("budget", "we can spend 200 thousand dollars", "high"),
    ("budget", "$1M", "high"),
    ("budget", "depends on the results", REASK),
    ("budget", "not decided yet", REASK),
    ("budget", "not decided until 2025", REASK),
    ("budget", "5k", "low"),
    # Issue #23: a negation elsewhere in the reply ("won't buy hardware") is not "not medium".
    (
        "budget",
        "Medium, I'd say. We can spend some engineering time on it but we won't buy hardware.",
        "medium",
    ),
    ("budget", "it isn't high", REASK),
    ("budget", "no idea", SKIP),
]

GPU: list[Row] = [
    ("gpu", "No GPU", "none"),
    ("gpu", "none", "none"),
    ("gpu", "cpu only", "none"),
    ("gpu", "just laptops", "none"),
    ("gpu", "we have one A100", "single"),
    ("gpu", "a single RTX 4090", "single"),
    ("gpu", "one gpu on a workstation", "single"),
    ("gpu", "8 H100s", "multi"),
    ("gpu", "two A10Gs", "multi"),
    ("gpu", "a small cluster", "multi"),
    ("gpu", "Several GPUs", "multi"),
    ("gpu", "we rent them on demand", REASK),
    ("gpu", "not sure", SKIP),
]

SOURCE_COUNT: list[Row] = [
    ("source_count", "3", 3),
    ("source_count", "three: wiki, Jira and SharePoint", 3),
    ("source_count", "just one, our wiki", 1),
    ("source_count", "only one", 1),
    ("source_count", "about 5 systems", 5),
    ("source_count", "two", 2),
    ("source_count", "a dozen or so", 12),
    ("source_count", "a couple", REASK),
    ("source_count", "several", REASK),
    ("source_count", "no idea", SKIP),
]

NEEDS_CITATIONS: list[Row] = [
    ("needs_citations", "Yes", True),
    ("needs_citations", "we need sources cited", True),
    ("needs_citations", "citations are mandatory for us", True),
    ("needs_citations", "absolutely, for compliance", True),
    ("needs_citations", "audits require it", True),
    ("needs_citations", "legal requires every answer to link its source", True),
    ("needs_citations", "No", False),
    ("needs_citations", "no, not needed", False),
    ("needs_citations", "nope", False),
    ("needs_citations", "not really", False),
    ("needs_citations", "nice to have but not required", False),
    ("needs_citations", "it would help, but it's optional", False),
    ("needs_citations", "depends on the customer", REASK),
    ("needs_citations", "no idea", SKIP),
]

LATENCY: list[Row] = [
    ("latency_budget_ms", "under 200 ms", 200),
    ("latency_budget_ms", "2 seconds", 2000),
    ("latency_budget_ms", "a few seconds is fine", 3000),
    ("latency_budget_ms", "a couple of seconds", 2000),
    ("latency_budget_ms", "under a second", 1000),
    ("latency_budget_ms", "half a second", 500),
    ("latency_budget_ms", "within 5 seconds", 5000),
    ("latency_budget_ms", "around 1.5s", 1500),
    ("latency_budget_ms", "10 seconds max", 10_000),
    ("latency_budget_ms", "No requirement", None),
    ("latency_budget_ms", "doesn't matter", None),
    ("latency_budget_ms", "it runs overnight in batch", None),
    ("latency_budget_ms", "as fast as possible", REASK),
    ("latency_budget_ms", "instant", REASK),
    ("latency_budget_ms", "no idea", SKIP),
]

TIMELINE: list[Row] = [
    ("timeline_weeks", "6 weeks", 6),
    ("timeline_weeks", "3 months", 13),
    ("timeline_weeks", "6-8 weeks", 6),
    ("timeline_weeks", "in about two months", 9),
    ("timeline_weeks", "a few months", 13),
    ("timeline_weeks", "by the end of next quarter", 13),
    # Issue #23: two durations that say the same are one answer; two that differ are not.
    ("timeline_weeks", "By the end of next quarter, so about three months from now.", 13),
    ("timeline_weeks", "6 weeks, maybe two months", REASK),
    ("timeline_weeks", "next month", 4),
    ("timeline_weeks", "half a year", 26),
    ("timeline_weeks", "within a year", 52),
    ("timeline_weeks", "No deadline", None),
    ("timeline_weeks", "flexible", None),
    ("timeline_weeks", "ASAP", REASK),
    ("timeline_weeks", "end of the year", REASK),
    ("timeline_weeks", "by summer", REASK),
    ("timeline_weeks", "no idea", SKIP),
]

MONTHLY_QUERIES: list[Row] = [
    ("monthly_queries", "200k a month", 200_000),
    ("monthly_queries", "10k a month", 10_000),
    ("monthly_queries", "around 2M", 2_000_000),
    ("monthly_queries", "5,000 a day", 152_083),
    ("monthly_queries", "maybe 100 a day", 3042),
    ("monthly_queries", "about 50 tickets a day", 1521),
    ("monthly_queries", "1,000 queries per hour at peak", 730_000),
    ("monthly_queries", "between 10k and 20k a month", 10_000),
    ("monthly_queries", "a few thousand a week", REASK),
    ("monthly_queries", "none yet, we haven't launched", REASK),
    ("monthly_queries", "a lot", REASK),
    ("monthly_queries", "not sure", SKIP),
]

REPLIES: list[Row] = [
    *USE_CASE,
    *GAPS,
    *KNOWLEDGE_CHANGE,
    *CORPUS_TOKENS,
    *LABELED_EXAMPLES,
    *EXAMPLES_REVIEWED,
    *HAS_EVAL_SET,
    *PROMPTING_TRIED,
    *BUDGET,
    *GPU,
    *SOURCE_COUNT,
    *NEEDS_CITATIONS,
    *LATENCY,
    *TIMELINE,
    *MONTHLY_QUERIES,
]
