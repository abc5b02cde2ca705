"""The per-item browser of a run: each held-out item with every trial's answer, its scores
and the passages it retrieved, made inert for display (all of it is user or model text)."""

from __future__ import annotations

from typing import Any

from assistant.web.safe import inert
from assistant.web.services import Services
from assistant.web.session import SessionState
from eval.scoring.attribution import LABEL_NAMES
from eval.scoring.metrics import answer_span


def load_items(services: Services, run_id: str) -> dict[str, list[dict[str, Any]]]:
    store = services.store()
    run = store.get_run(run_id) or {"trials": {}}
    items = {name: store.get_items(run_id, name) for name in run["trials"]}
    return {name: rows for name, rows in items.items() if rows}


def question_labels(items: dict[str, list[dict[str, Any]]]) -> list[str]:
    first = next(iter(items.values()), [])
    return [f"{i + 1}. {item['question'][:90]}" for i, item in enumerate(first)]


def question_view(services: Services, session: SessionState, label: str | None) -> str:
    if not label or not session.last_run:
        return ""
    return question_detail(load_items(services, session.last_run), label)


def question_detail(items: dict[str, list[dict[str, Any]]], label: str) -> str:
    """Markdown for one held-out item: reference, each trial's answer and its passages.

    All of it is document, Q/A-file or model text, so it goes through `inert`; each line
    of an answer is quoted, so a multi-line answer cannot step out of its quote.
    """
    if not label or not items:
        return ""
    idx = int(label.split(".", 1)[0]) - 1
    first = next(iter(items.values()))
    reference = first[idx]["reference"]
    lines = [f"**Question / input:** {inert(first[idx]['question'])}\n",
             f"**Reference:** {inert(reference)}"]  # fmt: skip
    for trial, rows in items.items():
        item = rows[idx]
        scores = ", ".join(f"{k} {v:.2f}" for k, v in item["scores"].items())
        lines.append(
            f"\n**{inert(trial)}**{failure_tag(item.get('failure'))} ({scores}, "
            f"{item['latency_s']:.2f} s)\n\n> " + "\n> ".join(inert(item["prediction"]).split("\n"))
        )
        passages = item.get("retrieved") or []
        if passages:
            lines.append(f"\nRetrieved passages ({len(passages)}), best first:")
            lines += [passage_line(n, hit, reference) for n, hit in enumerate(passages, 1)]
    return "\n".join(lines)


def failure_tag(label: str | None) -> str:
    """' — *reader miss*': why the answer failed, as the run labelled it ('' for none).

    The label was stored with the item by the run (`eval.scoring.attribution`), so the
    browser, the report and the CLI JSON all show the same verdict on the same answer.
    """
    if not label:
        return ""
    return f" — *{inert(LABEL_NAMES.get(label, label))}*"


def passage_line(n: int, hit: dict[str, Any], reference: str) -> str:
    """'1. faq.md p.2 · score 0.71 · contains the answer — "…the **14 days** refund…"'.

    Citations are only proof if people can check them: the passage, where it is, how
    close it was, and whether the reference answer is in it (highlighted when it is).
    """
    where = inert(hit.get("source", "")) + (f" p.{hit['page']}" if hit.get("page") else "")
    score = f" · score {hit['score']:.2f}" if isinstance(hit.get("score"), int | float) else ""
    snippet, found = highlight(str(hit.get("text", "")), reference)
    mark = " · **contains the answer**" if found else ""
    return f"{n}. {where}{score}{mark} — “{snippet}”"


def highlight(text: str, answer: str, width: int = 240) -> tuple[str, bool]:
    """A window of the passage around the answer (bolded when found), made inert.

    "Found" is what recall@k counts (`answer_span`, as `contains` reads it), so the mark
    and the score agree: "14-day" holds "14 days", "300" does not hold "30".
    """
    flat = " ".join(text.split())
    span = answer_span(flat, answer)
    if span is None:
        return inert(flat[:width]) + ("…" if len(flat) > width else ""), False
    at, stop = span
    start, end = max(0, at - width // 3), min(len(flat), stop + width // 2)
    before, hit, after = flat[start:at], flat[at:stop], flat[stop:end]
    prefix, suffix = ("…" if start else ""), ("…" if end < len(flat) else "")
    return f"{prefix}{inert(before)}**{inert(hit)}**{inert(after)}{suffix}", True
