"""recall@k counts a passage only when it holds the reference answer, and what is stored
and shown for a reader holds it too (issue #23).

Cause found on seven licence texts: recall@k read whole chunks (~800-1,000 characters)
but the run stored only each chunk's first 600, so on 6 of 29 counted items no stored
passage showed the answer, and the item browser's plain substring search disagreed with
the metric's reading of text ("14-day" holds "14 days"; "300" does not hold "30").
"""

from __future__ import annotations

from assistant.web.items import highlight, passage_line
from eval.runners.context import ItemResult
from eval.saving import SNIPPET_CHARS, item_row
from eval.scoring.metrics import answer_span, answer_window, recall_at_k

LONG = ("Definitions. " + "The Licensor grants rights under this licence. " * 14 +
        "Notices must be given within 30 days of the change.")  # fmt: skip


def test_recall_counts_only_passages_that_hold_the_answer():
    misses = ["We reply within 300 days.", "The notice period is 3 months.", "30-ish days"]
    assert recall_at_k(misses, "30 days") == 0.0
    assert recall_at_k([*misses, "Notices within 30 days."], "30 days") == 1.0
    assert recall_at_k(["a 14-day window"], "14 days") == 1.0  # the same normalised words


def test_an_answer_past_the_snippet_length_is_kept_in_view():
    assert len(LONG) > SNIPPET_CHARS and "30 days" not in LONG[:SNIPPET_CHARS]
    kept = answer_window(LONG, "30 days", SNIPPET_CHARS)
    assert "given within 30 days" in kept and len(kept) <= SNIPPET_CHARS
    assert kept.startswith("…Licensor")  # cut at a word, not inside one
    assert answer_window(LONG, "90 days", SNIPPET_CHARS) == LONG[:SNIPPET_CHARS]  # a miss


def test_a_stored_item_shows_the_answer_recall_counted():
    item = ItemResult(
        "How long for notices?", "30 days", "30 days", 0.1,
        retrieved=[{"id": "c1", "source": "terms.txt", "page": 0, "score": 0.8, "text": LONG},
                   {"id": "c2", "source": "faq.md", "page": 0, "score": 0.5, "text": "300 days"}],
    )  # fmt: skip
    assert recall_at_k([r["text"] for r in item.retrieved], item.reference) == 1.0
    stored = item_row(0, item)["retrieved"]
    lines = [passage_line(n, hit, item.reference) for n, hit in enumerate(stored, 1)]
    assert "**contains the answer**" in lines[0] and "**30 days**" in lines[0]
    assert "contains" not in lines[1]  # "300 days" does not hold "30 days"


def test_the_browser_marks_what_the_metric_counts():
    assert highlight("Returns within a 14-day window.", "14 days") == (
        "Returns within a **14-day** window.", True,
    )  # fmt: skip
    assert highlight("We keep 300 records.", "30")[1] is False
    assert answer_span("We keep 300 records.", "30") is None
