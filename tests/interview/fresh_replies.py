"""A held-out corpus of natural replies, written before the parser changes they measure.

Why a second table: `natural_replies.py` grew alongside the parsers, so every phrasing in
it was fixed the day it failed and its hit rate says little about the next team. These
replies were written fresh for issue #23, with their readings decided first and without
looking up the parsers' word lists; the hit rate on them (see `test_fresh_replies.py`) is
the honest estimate. Rows here are not fixed one by one: a miss is kept as a miss unless
a general rule reads it, so the number keeps meaning something.

`FRESH_2` was written the same way after the parser changes and is never tuned on: its
rate, measured once when it was written, is the estimate for replies nobody has seen.

Same row format as `natural_replies.py`: (field, reply, expected), with SKIP for a
declined answer, REASK for a reply that cannot be read safely, and CONFIRM for one that
is read only weakly (a lone keyword, a tie), where the interview must say what it read
and ask before storing anything.
"""

from __future__ import annotations

from typing import Any

SKIP = "<skip>"
REASK = "<re-ask>"
CONFIRM = "<confirm>"

Row = tuple[str, str, Any]

FRESH: list[Row] = [
    # --- use case -------------------------------------------------------------------------
    ("use_case", "Our paralegals need quick answers from a pile of supplier agreements, "
     "things like notice periods and liability caps", "document_qa"),
    ("use_case", "Draft first replies to people who write in to our help inbox about late "
     "parcels", "customer_support"),
    ("use_case", "Turn long incident post-mortems into a one-paragraph overview for "
     "management", "summarization"),
    ("use_case", "Read CVs and fill our applicant tracking system with name, years of "
     "experience and skills", "extraction"),
    ("use_case", "Sort incoming bug reports by component so they land with the right team",
     "classification"),
    ("use_case", "Help our data analysts write queries against the warehouse",
     "code_generation"),
    ("use_case", "Make our release notes sound friendlier and less technical",
     "style_rewrite"),
    ("use_case", "An internal helper people can talk to about anything, like a colleague",
     "conversational"),
    ("use_case", "Mostly Q&A over our engineering runbooks, though it would be nice if it "
     "could tidy up the code snippets in them too", "document_qa"),
    ("use_case", "We review the open-source licences that ship with our code", CONFIRM),
    ("use_case", "Hmm, a mix of things really", REASK),
    # --- gaps -----------------------------------------------------------------------------
    ("gaps", "It confidently quotes policy clauses that don't exist", ["knowledge"]),
    ("gaps", "The answers are right but come back as a wall of text when we need bullet "
     "points", ["format"]),
    ("gaps", "It sounds like a robot and our customers notice", ["style"]),
    ("gaps", "It misreads the shorthand our engineers use, like LGTM and WIP",
     ["terminology"]),
    ("gaps", "Replies take ten, fifteen seconds and people give up waiting", ["latency"]),
    ("gaps", "It can't work out totals across several line items correctly", ["reasoning"]),
    ("gaps", "Honestly it does fine so far", []),
    ("gaps", "Its facts are out of date and it ignores the ticket template we gave it",
     ["knowledge", "format"]),
    ("gaps", "It's just not great", REASK),
    # --- knowledge change -----------------------------------------------------------------
    ("knowledge_change", "Our price list is refreshed every Monday", "weekly"),
    ("knowledge_change", "Twice a year, when the regulator publishes new rules", "yearly"),
    ("knowledge_change", "Hardly at all, the licences are the licences", "static"),
    ("knowledge_change", "Several times a day, stock levels move all the time", "daily"),
    ("knowledge_change", "Roughly once a month after the board meeting", "monthly"),
    ("knowledge_change", "Depends on the product line", REASK),
    # --- reference material ---------------------------------------------------------------
    ("corpus_tokens", "About 40 pages of handbook", 20_000),
    ("corpus_tokens", "A wiki of maybe 3,000 pages", 1_500_000),
    ("corpus_tokens", "Around half a million words", 666_667),
    ("corpus_tokens", "Nothing beyond what the user types in", 0),
    ("corpus_tokens", "Roughly 15 MB of plain text", 3_750_000),
    ("corpus_tokens", "A couple hundred PDFs", REASK),
    ("corpus_tokens", "Quite a lot, honestly", REASK),
    # --- curated examples -----------------------------------------------------------------
    ("labeled_examples", "We've got around 300, all signed off by our senior counsel", 300),
    ("labeled_examples", "Zero so far", 0),
    ("labeled_examples", "Maybe fifteen hundred if you count last year's", 1500),
    ("labeled_examples", "A spreadsheet with 2,400 rows of question and ideal answer", 2400),
    ("labeled_examples", "Somewhere in the hundreds", REASK),
    ("labeled_examples", "We'd have to check", SKIP),
    # --- expert review --------------------------------------------------------------------
    ("examples_reviewed", "Every single one went past a senior solicitor", True),
    ("examples_reviewed", "Yes, two nurses went through all of them", True),
    ("examples_reviewed", "No, they came straight out of the logs", False),
    ("examples_reviewed", "Nobody has looked at them properly", False),
    ("examples_reviewed", "Some have been, most haven't", REASK),
    ("examples_reviewed", "Can't remember, honestly", SKIP),
    # --- held-out test set ----------------------------------------------------------------
    ("has_eval_set", "We keep 120 questions aside that we never train on", True),
    ("has_eval_set", "No, we've just been eyeballing outputs", False),
    ("has_eval_set", "Not at the moment", False),
    ("has_eval_set", "Yes, 180 of them with answers from our experts", True),
    ("has_eval_set", "Sort of, a few dozen favourite prompts we try by hand", REASK),
    # --- prompt baseline ------------------------------------------------------------------
    ("prompting_tried", "Yes, our best prompt got about 64% right on the test questions",
     True),
    ("prompting_tried", "Not in any systematic way", False),
    ("prompting_tried", "We've only played with it in ChatGPT", False),
    ("prompting_tried", "Yep, we ran it against the held-out set last sprint", True),
    ("prompting_tried", "Good question, I'll have to ask the team", SKIP),
    # --- budget ---------------------------------------------------------------------------
    ("budget", "Fairly modest; this is a side project", "low"),
    ("budget", "We've been given about £30k for the year", "medium"),
    ("budget", "The board approved a quarter of a million", "high"),
    ("budget", "Shoe-string, to be honest", "low"),
    ("budget", "Somewhere in the middle", "medium"),
    ("budget", "Still being negotiated with finance", REASK),
    # --- GPUs -----------------------------------------------------------------------------
    ("gpu", "Nothing on-prem, we're a CPU-only shop", "none"),
    ("gpu", "There's one RTX 3090 under a desk in the lab", "single"),
    ("gpu", "We can book a node with four A100s on the university cluster", "multi"),
    ("gpu", "Just our MacBooks", "none"),
    ("gpu", "We could rent cloud GPUs if needed", REASK),
    ("gpu", "No clue, IT handles that", SKIP),
    # --- sources --------------------------------------------------------------------------
    ("source_count", "Two, Confluence and a shared drive", 2),
    ("source_count", "Everything lives in SharePoint", 1),
    ("source_count", "Four or five", 4),
    ("source_count", "Lots of places, it's a mess", REASK),
    # --- citations ------------------------------------------------------------------------
    ("needs_citations", "Yes, our auditors will insist on it", True),
    ("needs_citations", "It's a hard requirement from compliance", True),
    ("needs_citations", "No, staff just want the answer", False),
    ("needs_citations", "Would be handy but we can live without it", False),
    ("needs_citations", "Only for some customers", REASK),
    # --- response time --------------------------------------------------------------------
    ("latency_budget_ms", "Under three seconds or people start refreshing", 3000),
    ("latency_budget_ms", "It's a nightly job, nobody's waiting on it", None),
    ("latency_budget_ms", "Quarter of a second at most, it sits in a search box", 250),
    ("latency_budget_ms", "Anything up to a minute is fine", 60_000),
    ("latency_budget_ms", "Quick", REASK),
    # --- timeline -------------------------------------------------------------------------
    ("timeline_weeks", "Within six weeks, ideally", 6),
    ("timeline_weeks", "We're aiming for two months from now", 9),
    ("timeline_weeks", "Nothing's fixed yet, we're exploring", None),
    ("timeline_weeks", "Around four months", 17),
    ("timeline_weeks", "Before the audit", REASK),
    # --- volume ---------------------------------------------------------------------------
    ("monthly_queries", "Around 300 a day", 9125),
    ("monthly_queries", "Half a million a month", 500_000),
    ("monthly_queries", "Maybe 40k per week at peak", 173_333),
    ("monthly_queries", "Our 25 people asking a handful each day", REASK),
    ("monthly_queries", "No idea until we launch", SKIP),
]  # fmt: skip

# Written after the parser changes of issue #23; measured, never fixed row by row.
FRESH_2: list[Row] = [
    ("use_case", "We want staff to be able to ask it where to find things in the employee "
     "handbook", "document_qa"),
    ("use_case", "Triage the warranty claims that come in by email so urgent ones are seen "
     "first", "classification"),
    ("use_case", "Give each sales call transcript a short write-up for the CRM",
     "summarization"),
    ("use_case", "Help our customers sort out billing problems without waiting for an agent",
     "customer_support"),
    ("use_case", "Suggest unit tests for our Python services", "code_generation"),
    ("use_case", "Pick out the dates, parties and amounts from each lease", "extraction"),
    ("use_case", "Something that keeps lonely elderly users company", "conversational"),
    ("gaps", "It just makes stuff up about our return policy", ["knowledge"]),
    ("gaps", "The dates come out in American format and our system rejects them",
     ["format"]),
    ("gaps", "It's far too chatty for a legal audience", ["style"]),
    ("gaps", "It answers in about a minute; way too long", ["latency"]),
    ("gaps", "It gets the steps of the calculation in the wrong order", ["reasoning"]),
    ("gaps", "No complaints so far", []),
    ("gaps", "Doesn't know our part numbers and writes everything as one huge paragraph",
     ["knowledge", "format"]),
    ("knowledge_change", "New products are added most weeks", "weekly"),
    ("knowledge_change", "It's updated at the start of every quarter", "monthly"),
    ("knowledge_change", "Once in a blue moon", "static"),
    ("knowledge_change", "Every few hours during trading", "daily"),
    ("knowledge_change", "Annually, with the new tax year", "yearly"),
    ("corpus_tokens", "Around 120 pages", 60_000),
    ("corpus_tokens", "A few thousand words", REASK),
    ("corpus_tokens", "About 800k tokens, give or take", 800_000),
    ("corpus_tokens", "There isn't any, it's all in the prompt", 0),
    ("corpus_tokens", "Two or three gigabytes of scanned PDFs", 10_000_000),
    ("labeled_examples", "Roughly 650 pairs", 650),
    ("labeled_examples", "We have 5,000 past tickets but nobody has curated them", 5000),
    ("labeled_examples", "None at all", 0),
    ("labeled_examples", "Not many", REASK),
    ("examples_reviewed", "Yes, our compliance officers approved each one", True),
    ("examples_reviewed", "They're straight from production, unchecked", False),
    ("examples_reviewed", "Only a sample of them", REASK),
    ("examples_reviewed", "I'm not the right person to ask", SKIP),
    ("has_eval_set", "We've got 150 test cases with expected answers", True),
    ("has_eval_set", "Nope, nothing like that", False),
    ("has_eval_set", "We're putting one together now", False),
    ("prompting_tried", "We benchmarked GPT-4 with a tuned prompt: 58% exact match", True),
    ("prompting_tried", "No, we went straight to asking you", False),
    ("prompting_tried", "Only anecdotally", False),
    ("budget", "Around 75 grand", "medium"),
    ("budget", "Very limited, it's coming out of our team's discretionary spend", "low"),
    ("budget", "Big, it's a strategic priority", "high"),
    ("budget", "Haven't been told", SKIP),
    ("gpu", "A pair of L4s in our own rack", "multi"),
    ("gpu", "Just one T4 on a cloud VM", "single"),
    ("gpu", "None, we only have laptops", "none"),
    ("gpu", "Whatever AWS gives us", REASK),
    ("source_count", "Three: Zendesk, Notion and a Postgres database", 3),
    ("source_count", "Only the one wiki", 1),
    ("source_count", "A handful", REASK),
    ("needs_citations", "Definitely, regulators will ask", True),
    ("needs_citations", "Not necessary for internal use", False),
    ("needs_citations", "Preferably, but it's not a must", False),
    ("latency_budget_ms", "Users will wait up to 8 seconds", 8000),
    ("latency_budget_ms", "Results are emailed the next morning", None),
    ("latency_budget_ms", "Fast enough that it feels live", REASK),
    ("timeline_weeks", "In roughly ten weeks", 10),
    ("timeline_weeks", "Q3 next year", REASK),
    ("timeline_weeks", "Six months at the latest", 26),
    ("timeline_weeks", "There's no rush", None),
    ("monthly_queries", "About 2,000 a week", 8667),
    ("monthly_queries", "Maybe a million a year", 83_333),
    ("monthly_queries", "Tens of thousands", REASK),
    ("monthly_queries", "Roughly 12k tickets monthly", 12_000),
]  # fmt: skip
