"""What a knowledge run in the Trials tab is scored on: one visible, explicit choice.

A session can hold both an uploaded Q/A file and a table of reviewed generated pairs.
Which one a run uses used to be decided silently (the table won), so a user who uploaded
counsel's 48 pairs got the generated pairs' numbers with the file's name on them. Now
the tab shows "Evaluate on", set to whichever the user touched last (uploading a Q/A
file picks the file, generating pairs picks the pairs), and the run takes that set alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from assistant.core.errors import AdvisorError
from assistant.web.session import SessionState
from eval.data.evalset import describe
from eval.data.pairs import EvalPair

FILE, PAIRS = "file", "pairs"
LABELS = {FILE: "Your uploaded Q/A file", PAIRS: "The reviewed generated pairs"}
EVAL_HINT = (
    "The run scores every approach on this set only. Uploading a Q/A file selects it; "
    "generating pairs selects them."
)


def eval_choices(session: SessionState) -> list[tuple[str, str]]:
    """(label, value) for the "Evaluate on" control; the file's label names the file."""
    name = Path(session.qa_file).name if session.qa_file else ""
    file_label = f"{LABELS[FILE]} ({name})" if name else LABELS[FILE]
    return [(file_label, FILE), (LABELS[PAIRS], PAIRS)]


def current_choice(session: SessionState) -> str | None:
    """The set the user touched last; with none touched, the Q/A file when there is one."""
    if session.eval_set in LABELS:
        return session.eval_set
    return FILE if session.qa_file else None


def evaluation_inputs(
    session: SessionState, choice: str | None, reviewed: Sequence[EvalPair]
) -> tuple[Path | None, list[EvalPair] | None]:
    """(Q/A file, reviewed pairs) for the run: exactly one of them, or neither.

    Neither means no set was uploaded or generated: the run generates its own pairs and
    says so. A choice whose set is missing is refused rather than quietly swapped.
    """
    choice = choice or current_choice(session) or (PAIRS if reviewed else None)
    if choice == FILE:
        if not session.qa_file:
            raise AdvisorError("no Q/A file uploaded yet: upload one, or choose the reviewed "
                               "generated pairs under Evaluate on")  # fmt: skip
        return Path(session.qa_file), None
    if choice == PAIRS:
        if not reviewed:
            raise AdvisorError("no reviewed pairs to evaluate on: generate them first, or "
                               "choose your Q/A file under Evaluate on")  # fmt: skip
        return None, list(reviewed)
    return None, None


def evaluated_line(eval_set: dict[str, Any] | None) -> str:
    """'Evaluated on your file qa.jsonl: 48 pairs, 28 train / 20 held-out.' ('' if unknown)."""
    text = describe(eval_set)
    return f"Evaluated on {text}." if text else ""
