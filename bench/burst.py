"""N visitors ask a side question at the same moment (`bench/load.py --visitors N`).

Each visitor is one `gradio_client` session that has said hello (untimed); then all send
a side question at once, behind a barrier. Per visitor: the first text (the first update
that is not the "…" placeholder: the quoted guidance, or the note that the model is
busy), the whole reply, and what the reply was: a summary ("In short:"), the quoted
guidance with a place in line ("yours would be number N"), or guidance alone. The model
line (`max_waiting_answers`) decides how many wait for a summary.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

QUESTIONS = [
    "What is retrieval-augmented generation?",
    "When is a good prompt enough?",
    "How many examples does LoRA fine-tuning need?",
    "Why do citations matter for RAG answers?",
]
START_TIMEOUT_S = 600.0  # for every visitor to connect and say hello
CONNECTING_AT_ONCE = 8  # connecting is setup, not the burst: 200 at once time out
CONNECT_TRIES = 5
# A browser waits for the app however long it takes; httpx's default 5 s would count a slow
# reply as a lost visitor (it did, for 122 of 200, with the client on the same 2 cores).
WAIT = {"timeout": 900.0}
# 200 client threads polling every 10 ms (bench.load's rate) took a core from the server
# they measure; a tenth of a second is fine resolution for waits of seconds.
BURST_POLL_S = 0.1
KINDS = ("summary", "told place", "guidance only", "no reply")


@dataclass
class Answer:
    first_s: float
    total_s: float
    kind: str  # "summary", "told place", "guidance only", "no reply"
    told_s: float  # first sign on screen: text, or Gradio's place-in-queue with its estimate


def kind_of(text: str) -> str:
    if "In short:" in text:
        return "summary"
    if "in line" in text:
        return "told place"
    return "guidance only" if text.startswith("From the guidance") else "no reply"


def burst(url: str, visitors: int) -> dict[str, Any]:
    """All visitors ask at once; first-text and total percentiles, and what they got."""
    from gradio_client import Client

    from bench.load import percentile, send

    barrier = threading.Barrier(visitors + 1, timeout=START_TIMEOUT_S)
    answers: list[Answer] = []
    lock, connecting = threading.Lock(), threading.Semaphore(CONNECTING_AT_ONCE)

    def one(i: int) -> None:
        try:
            with connecting:
                client = _connect(Client, url)
                history = send(client, "hello", [])[2]
        except Exception:
            barrier.abort()  # one visitor that cannot join ends the run at once
            raise
        try:
            barrier.wait()
            first, total, history, told = _ask(client, QUESTIONS[i % len(QUESTIONS)], history)
            text = history[-1].get("content") if history else ""
            if not isinstance(text, str):
                text = "".join(p.get("text", "") for p in text or [] if isinstance(p, dict))
            with lock:
                answers.append(Answer(first, total, kind_of(text), told))
        finally:
            client.close()

    threads = [threading.Thread(target=one, args=(i,), daemon=True) for i in range(visitors)]
    for thread in threads:
        thread.start()
    try:
        barrier.wait()  # everyone has said hello: go
    except threading.BrokenBarrierError:
        raise SystemExit(f"burst of {visitors}: a visitor could not connect") from None
    start = time.monotonic()
    for thread in threads:
        thread.join()
    kinds = {k: sum(a.kind == k for a in answers) for k in KINDS}
    firsts, totals = [a.first_s for a in answers], [a.total_s for a in answers]
    told = [a.told_s for a in answers]
    return {
        "visitors": visitors,
        "answered": len(answers),
        "seconds": round(time.monotonic() - start, 1),
        "told_place_or_text_p50_s": percentile(told, 50),
        "told_place_or_text_p95_s": percentile(told, 95),
        "first_text_p50_s": percentile(firsts, 50),
        "first_text_p95_s": percentile(firsts, 95),
        "first_text_max_s": percentile(firsts, 100),
        "total_p50_s": percentile(totals, 50),
        "total_p95_s": percentile(totals, 95),
        "replies": kinds,
    }


def _connect(client_class: Any, url: str) -> Any:
    """A gradio_client session, retried: the app answers slowly while others connect."""
    for attempt in range(CONNECT_TRIES):
        try:
            return client_class(url, verbose=False, download_files=False, httpx_kwargs=WAIT)
        except Exception:
            if attempt == CONNECT_TRIES - 1:
                raise
            time.sleep(2.0 * (attempt + 1))
    raise AssertionError("unreachable")


def _ask(client: Any, text: str, history: list) -> tuple[float, float, list, float]:
    """`bench.load.send`, plus when the visitor first saw anything: the reply's first text
    or Gradio's queue status with a place (what its page shows while a slot is busy)."""
    from gradio_client.utils import Status

    from bench.load import THINKING, reply_text

    start = time.monotonic()
    job = client.submit({"text": text, "files": []}, history, api_name="/respond")
    first = told = None
    while not job.done():
        now = time.monotonic() - start
        if first is None and any(reply_text(o) not in ("", THINKING) for o in job.outputs()):
            first = now
        status = job.status()
        if told is None and status.code == Status.IN_QUEUE and status.rank is not None:
            told = now
        time.sleep(BURST_POLL_S)
    final, total = job.result(), time.monotonic() - start
    first = first if first is not None else total
    return first, total, final[0], min(first, told if told is not None else first)
