"""Chat latency under load, without and with a trial running; prints one JSON object.

Usage: python bench/load.py [--sessions 5 --seconds 60 --trials prompt,rag --url URL] [--cold]
       python bench/load.py --visitors 50,200   (a burst: see bench/burst.py)

Starts the app (unless --url names a running one), then N visitors chat at once through
`gradio_client` (one Client = one Gradio session), alternating interview answers and side
questions; side questions stream the model's answer. Phase 1 measures that alone for
--seconds; phase 2 measures it while one more visitor runs a trial on the sample
documents (the phase lasts as long as the trial). Reported per phase: first-token
latency (time from sending a message to the first update that is reply text rather than
the "…" placeholder), its p50/p95 for all replies and for side questions, and replies
per minute. Target on 2 cores with the default models: first token < 1 s during a trial.
`--cold` skips the warm-up and the quiet phase: visitors and the trial start as soon as a
freshly started app answers (what the first visitors after a restart see).

`--visitors 50,200` measures something else: that many visitors asking a side question at
the same moment, once per number (no trial); first-text p50/p95 and what each got
(a summary, or the quoted guidance with their place in the model's line).

Chat and trials use separate llama.cpp copies (registry `purpose="trial"`) but share the
two cores, so this is where a trial slows chat down, and what this benchmark is for.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.core.offline import enforce_offline  # noqa: E402

enforce_offline()  # gradio_client's telemetry too

from assistant.web.chat import THINKING  # noqa: E402
from tests.fakes.server import free_port, wait_for_page  # noqa: E402

# One visitor's script: interview answers (no model) alternate with side questions (the
# guidance Q&A, streamed from the chat model). A visitor who reaches the end starts over
# in a new session, so every reply is read against a fresh interview.
SCRIPT = [
    ("answer", "hello"),
    ("answer", "Document Q&A"),
    ("side", "What is retrieval-augmented generation?"),
    ("answer", "it makes up facts about our products"),
    ("side", "When is a good prompt enough?"),
    ("answer", "every week"),
    ("side", "How many examples does LoRA fine-tuning need?"),
    ("answer", "about 2M tokens"),
    ("side", "Why do citations matter for RAG answers?"),
    ("answer", "none"),
]
POLL_S = 0.01


@dataclass
class Reply:
    kind: str  # "answer" (interview, no model) or "side" (streamed model answer)
    sent: float  # monotonic time the message was sent
    first_s: float  # until the first update that is reply text
    total_s: float  # until the reply was complete
    during_trial: bool  # a trial was running when the message was sent


class Trial:
    """Whether a trial is running now, readable from the chat threads."""

    def __init__(self) -> None:
        self.running = threading.Event()


def reply_text(output: Any) -> str:
    """The last chat message's text from one /respond output (chatbot, box, panel, json)."""
    history = output[0] if isinstance(output, list | tuple) else []
    if not history:
        return ""
    content = history[-1].get("content")
    if isinstance(content, str):
        return content
    return "".join(p.get("text", "") for p in content or [] if isinstance(p, dict))


def send(client: Any, text: str, history: list) -> tuple[float, float, list]:
    """One chat message; (first-token s, total s, new history). Polls so no core spins."""
    start = time.monotonic()
    job = client.submit({"text": text, "files": []}, history, api_name="/respond")
    first = None
    while not job.done():
        outputs = job.outputs()
        if first is None and any(reply_text(o) not in ("", THINKING) for o in outputs):
            first = time.monotonic() - start
        time.sleep(POLL_S)
    final = job.result()
    total = time.monotonic() - start
    return (first if first is not None else total), total, final[0]


def visitor(url: str, stop: threading.Event, trial: Trial, out: list[Reply]) -> None:
    """Chat through SCRIPT, in a new session each time round, until `stop` is set."""
    from gradio_client import Client

    while not stop.is_set():
        client = Client(url, verbose=False, download_files=False)
        history: list = []
        try:
            for kind, text in SCRIPT:
                if stop.is_set():
                    break
                during = trial.running.is_set()
                sent = time.monotonic()
                first, total, history = send(client, text, history)
                out.append(Reply(kind, sent, first, total, during and trial.running.is_set()))
        finally:
            client.close()


def percentile(values: list[float], q: float) -> float | None:
    """Nearest-rank percentile (no interpolation: small samples stay honest)."""
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)], 3)


def summary(replies: list[Reply], seconds: float) -> dict[str, Any]:
    firsts = [r.first_s for r in replies]
    side = [r.first_s for r in replies if r.kind == "side"]
    answers = [r.first_s for r in replies if r.kind == "answer"]
    return {
        "replies": len(replies),
        "seconds": round(seconds, 1),
        "replies_per_min": round(len(replies) / seconds * 60, 1) if seconds else None,
        "first_token_p50_s": percentile(firsts, 50),
        "first_token_p95_s": percentile(firsts, 95),
        "side_question_first_token_p50_s": percentile(side, 50),
        "side_question_first_token_p95_s": percentile(side, 95),
        "side_question_total_p50_s": percentile(
            [r.total_s for r in replies if r.kind == "side"], 50
        ),
        "answer_p50_s": percentile(answers, 50),
        "answer_p95_s": percentile(answers, 95),
    }


def chat_phase(url: str, sessions: int, trial: Trial, until: threading.Event) -> list[Reply]:
    """N visitors chat until `until` is set; every reply they got."""
    replies: list[Reply] = []
    threads = [
        threading.Thread(target=visitor, args=(url, until, trial, replies), daemon=True)
        for _ in range(sessions)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return replies


def trial_client(url: str) -> Any:
    """A visitor with the sample documents and Q/A uploaded, ready to run a trial."""
    from gradio_client import Client, handle_file

    client = Client(url, verbose=False, download_files=False)
    docs = sorted((ROOT / "examples" / "sample_docs").iterdir())
    status = client.predict(
        [handle_file(str(p)) for p in docs], handle_file(str(ROOT / "examples" / "sample_qa.csv")),
        api_name="/on_upload",
    )  # fmt: skip
    status = status[0] if isinstance(status, (list, tuple)) else status  # (note, Evaluate on)
    if "chunks" not in status:
        raise SystemExit(f"upload failed: {status}")
    return client


def run_trial(client: Any, trials: list[str], trial: Trial) -> tuple[float, str]:
    """One trial with the default retrieval settings; (seconds, status first line)."""
    from eval.config import RetrievalConfig

    retrieval = RetrievalConfig()
    rows = {"headers": ["question", "answer", "source", "kind"], "data": [], "metadata": None}
    trial.running.set()
    start = time.monotonic()
    try:
        out = client.predict(  # chat, model, served name, adapter, trials, knobs, drill
            [], "", "", "", trials, retrieval.chunk_size, retrieval.top_k, 60, rows, 0,
            api_name="/run_knowledge",
        )  # fmt: skip
    finally:
        trial.running.clear()
    found = re.search(r"Run \*\*[^*]+\*\*[^\n]*", str(out[0]))  # after the plan line
    return time.monotonic() - start, found.group(0) if found else str(out[0])[:200]


@contextmanager
def app_at(url: str | None, data_dir: str | None) -> Iterator[str]:
    """The app at `url`, or a fresh one on a free port with its own data folder."""
    if url:
        yield url
        return
    data = data_dir or tempfile.mkdtemp(prefix="advisor-load-")
    port = free_port()
    log = Path(data) / "app.log"
    env = {**os.environ, "ADVISOR_DATA_DIR": data}
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "app.py", "--port", str(port)],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        started = f"http://127.0.0.1:{port}/"
        wait_for_page(started, proc)
        yield started
    finally:
        proc.terminate()
        proc.wait(timeout=60)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=5, help="concurrent chat visitors")
    parser.add_argument("--seconds", type=float, default=60, help="length of the no-trial phase")
    parser.add_argument("--trials", default="prompt,rag", help="trials the extra visitor runs")
    parser.add_argument("--url", help="a running app to load instead of starting one")
    parser.add_argument("--data-dir", help="data folder for the started app (default: temp)")
    parser.add_argument(
        "--visitors", help="comma-separated burst sizes, e.g. 50,200: that many visitors ask "
        "a side question at once (instead of the two phases)",
    )  # fmt: skip
    parser.add_argument(
        "--cold", action="store_true", help="no warm-up and no quiet phase: the trial and "
        "the visitors start as soon as the freshly started app answers",
    )  # fmt: skip
    args = parser.parse_args()
    if args.visitors:
        print(json.dumps(visitor_bursts(args), indent=2))
        return
    with app_at(args.url, args.data_dir) as url:
        trial = Trial()
        runner = trial_client(url)  # also loads the embedder before anything is timed
        alone, alone_s = [], 0.0
        if not args.cold:
            _warm_up(url)
            stop = threading.Event()
            timer = threading.Timer(args.seconds, stop.set)
            start = time.monotonic()
            timer.start()
            alone = chat_phase(url, args.sessions, trial, stop)
            alone_s = time.monotonic() - start

        stop = threading.Event()
        result: dict[str, Any] = {}

        def trial_then_stop() -> None:
            result["seconds"], result["status"] = run_trial(runner, args.trials.split(","), trial)
            stop.set()

        start = time.monotonic()
        worker = threading.Thread(target=trial_then_stop, daemon=True)
        worker.start()
        loaded = chat_phase(url, args.sessions, trial, stop)
        worker.join()
        runner.close()
        during = [r for r in loaded if r.during_trial]
        with_trial = summary(during, result["seconds"])
        with_trial |= {"trial_s": round(result["seconds"], 1), "trial_status": result["status"]}
        p95 = with_trial["first_token_p95_s"]
        out = {
            "sessions": args.sessions,
            "trials": args.trials,
            "cold_start": args.cold,
            "without_trial": summary(alone, alone_s),
            "with_trial": with_trial,
            "target_first_token_s": 1.0,
            "meets_target_p95": p95 is not None and p95 < 1.0,
            "meets_target_p50": (with_trial["first_token_p50_s"] or math.inf) < 1.0,
        }
    print(json.dumps(out, indent=2))


def visitor_bursts(args: argparse.Namespace) -> dict[str, Any]:
    """One burst per size in --visitors, against one app (warmed up first)."""
    from bench.burst import burst

    sizes = [int(n) for n in args.visitors.split(",") if n.strip()]
    with app_at(args.url, args.data_dir) as url:
        _warm_up(url)
        return {"bursts": [burst(url, n) for n in sizes], "cpu_cores": os.cpu_count()}


def _warm_up(url: str) -> None:
    """One side question, so model and guidance loading are not timed as latency."""
    from gradio_client import Client

    client = Client(url, verbose=False, download_files=False)
    try:
        history: list = []
        for text in ("hello", "What is RAG?"):
            history = send(client, text, history)[2]
    finally:
        client.close()


if __name__ == "__main__":
    main()
