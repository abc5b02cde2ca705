"""The Trials tab's diagnosis of a knowledge run: why answers failed and what to fix first,
the update drill (offered when the interview says the knowledge changes monthly or
faster) and the retrieval sweep (offered when retrieval misses dominate).

Pure functions of the session and the stored run, worded by the same sentences the CLI
and the report use; everything user- or model-written goes through `inert`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from assistant.core.errors import LeftLine, describe_error
from assistant.web.safe import inert
from assistant.web.services import Services
from assistant.web.session import SessionState
from assistant.web.turns import SWEEP_S, trial_turn
from eval.drill.measure import drill_lines
from eval.scoring.attribution import fix_first_line
from eval.sweep import sweep_lines

FAST_CHANGES = ("monthly", "weekly", "daily")  # the interview's answers that offer the drill
OFFERED_DRILL = 20  # percent of held-out questions, the drill's default when offered
DRILL_HINT = (
    "Your knowledge changes **{change}**: the update drill changes the facts behind this "
    "share of held-out questions and measures what catching up costs RAG (re-indexing) "
    "and a LoRA (stale, then retrained within the budget)."
)
DRILL_IDLE = "Optional: measure what a document update costs each approach (0 = no drill)."


def drill_offer(session: SessionState) -> tuple[int, str]:
    """(slider value, hint): the drill is offered at 20% when knowledge changes monthly+.

    >>> drill_offer(SessionState())[0]
    0
    """
    change = session.profile.knowledge_change
    if change in FAST_CHANGES:
        return OFFERED_DRILL, DRILL_HINT.format(change=change)
    return 0, DRILL_IDLE


def retrieval_misses_dominate(trials: dict[str, dict[str, Any]]) -> bool:
    """The RAG arm's largest group of misses is retrieval misses: the sweep is worth it."""
    summary = (trials.get("rag") or {}).get("summary") or {}
    first = (summary.get("attribution") or {}).get("fix_first") or {}
    return first.get("label") == "retrieval_miss"


def diagnosis_lines(run: dict[str, Any]) -> list[str]:
    """Markdown lines for the results area: fix-first per trial, the drill, the sweep."""
    lines = []
    for name, trial in (run.get("trials") or {}).items():
        line = fix_first_line(name, trial.get("summary") or {})
        first = ((trial.get("summary") or {}).get("attribution") or {}).get("fix_first")
        if line:
            cited = f" ({first['source']}, “{first['heading']}”)" if first else ""
            lines.append(f"- {inert(line)}{inert(cited)}")
    row = run.get("run") or {}
    drill = [f"- {inert(text)}" for text in drill_lines(row.get("drill") or {})]
    if drill:
        lines += ["\n**When your documents change**", *drill]
    sweep = [f"- {inert(text)}" for text in sweep_lines(row.get("sweep") or {})]
    if sweep:
        lines += ["\n**Retrieval sweep**", *sweep]
    return lines


def best_setting(sweep: dict[str, Any]) -> tuple[int, int] | None:
    """(chunk size, top-k) the sweep offers (its best cell when that was ahead on the
    held-out questions too, else the run's own), to put on the sliders."""
    offered = (sweep or {}).get("offered")
    return (int(offered["chunk_size"]), int(offered["top_k"])) if offered else None


def run_sweep(
    services: Services, session: SessionState, progress: Any = None
) -> tuple[str, tuple[int, int] | None]:
    """Sweep chunk size x top-k for the session's last knowledge run; (markdown, best).

    Waits its turn in the trial line (the sweep asks the same model on the same two
    cores) and honours the session's Cancel button; the result is stored with the run.
    """
    from eval.config import KnowledgeConfig, trial_settings
    from eval.sweep import sweep_stored

    store = services.store()
    run = store.get_run(session.last_run) if session.last_run else None
    if not run or (run["run"].get("kind") or "knowledge") != "knowledge":
        return "Run a knowledge trial with RAG first.", None
    if "rag" not in run["trials"]:
        return "The last run has no RAG trial to tune.", None
    docs = [Path(p) for p in session.documents]
    cancel = services.cancel_flag(session.session_id)
    try:
        with trial_turn(services.trial_queue, session.session_id, "sweep", SWEEP_S, cancel,
                        progress):  # fmt: skip
            config = KnowledgeConfig.from_dict(run["run"].get("config") or {})
            settings = trial_settings(services.settings, config)
            found = sweep_stored(
                run, store, docs, session.workspace, settings, services.trial_chat(settings),
                services.embedder(), progress, cancel,
            )  # fmt: skip
            store.set_sweep(session.last_run, found)
    except LeftLine as err:
        return str(err), None
    except Exception as err:  # cancel included: one line, nothing half-shown
        return f"**No sweep:** {inert(describe_error(err))}", None
    lines = [f"- {inert(text)}" for text in sweep_lines(found)]
    return "\n".join(lines), best_setting(found)
