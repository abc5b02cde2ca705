"""Stand-in or the team's model: said first, and compared when both runs exist.

A run on the packaged 135M model compares approaches on the team's data, not the team's
model, so the report says so in its first paragraph, gives the exact steps to repeat the
trial on the team's model, and, once that run exists (the same kind of trial on the same
files), puts the two rankings side by side and says whether they agree.
"""

from __future__ import annotations

from typing import Any

from assistant.report.blocks import Block, Heading, Para, table
from eval.kinds import headline_metric, trial_label, usable

STAND_IN_FIRST = (
    "Every measured number in this report comes from run {run_id} on the packaged stand-in "
    "model (SmolLM2-135M-Instruct), not from your model. It compares the approaches on your "
    "data; a small model reads context and follows worked examples far worse than yours, "
    "so only RAG beating prompting on your own documents is allowed to decide the approach, "
    "and every other verdict only changes how sure the advice is."
)
CONFIRM = (
    'To confirm on your model: in the Trials tab open "Model for this run", enter your GGUF '
    "file, Hugging Face folder or OpenAI-compatible URL (with the served model's name) and "
    "run the same trial; or run `{command}`."
)
COMMANDS = {
    "knowledge": "app.py trial --docs YOUR_DOCS --qa YOUR_QA --model YOUR_MODEL --json",
    "behaviour": "app.py trial --examples YOUR_EXAMPLES --model YOUR_MODEL --json",
}
AGREE = "The two rankings agree: the stand-in's order of the approaches holds on your model."
DISAGREE = (
    "The two rankings disagree: trust the run on your model ({run_id}); the stand-in's "
    "order does not carry over here."
)


def stand_in(run: dict[str, Any] | None) -> bool:
    """Did this stored run answer on the packaged model (no model of the team's)?"""
    settings = ((run or {}).get("run") or {}).get("settings") or {}
    return settings.get("chat_backend", "llamacpp") == "llamacpp" and not settings.get("chat_model")


def counterpart(store: Any, run: dict[str, Any] | None, limit: int = 200) -> dict | None:
    """The newest usable run of the same kind on the same files, on the other kind of model."""
    if store is None or not run:
        return None
    row = run["run"]
    files = {f.get("sha256") for f in row.get("files") or []}
    for other in store.list_runs(limit=limit):
        same = other.get("kind") == row.get("kind") and other["run_id"] != row["run_id"]
        if not same or not usable(str(other.get("status"))):
            continue
        if {f.get("sha256") for f in other.get("files") or []} != files:
            continue
        found = store.get_run(other["run_id"])
        if found and stand_in(found) != stand_in(run):
            return found
    return None


def ranking(run: dict[str, Any]) -> list[tuple[str, float]]:
    """(trial, headline score), best first, over the trials that answered."""
    row = run["run"]
    metric = headline_metric(row.get("kind") or "knowledge", row.get("task") or "")
    scored = [
        (name, float(t["summary"][metric]))
        for name, t in run["trials"].items()
        if usable(str(t.get("status")))
        and isinstance((t.get("summary") or {}).get(metric), int | float)
    ]
    return sorted(scored, key=lambda pair: -pair[1])


def first_paragraph(run: dict[str, Any] | None) -> list[Block]:
    """The report's opening words on where its numbers came from (stand-in runs only)."""
    if not run or not stand_in(run):
        return []
    row = run["run"]
    command = COMMANDS.get(row.get("kind") or "knowledge", COMMANDS["knowledge"])
    return [
        Para(STAND_IN_FIRST.format(run_id=row.get("run_id", "")), "lead"),
        Para(CONFIRM.format(command=command)),
    ]


def side_by_side(run: dict[str, Any] | None, other: dict[str, Any] | None) -> list[Block]:
    """Both rankings in one table and whether they agree; nothing without both runs."""
    if not run or not other:
        return []
    small, ours = (run, other) if stand_in(run) else (other, run)
    a, b = ranking(small), ranking(ours)
    rank_a = {name: i + 1 for i, (name, _) in enumerate(a)}
    rank_b = {name: i + 1 for i, (name, _) in enumerate(b)}
    scores_a, scores_b = dict(a), dict(b)
    rows = [
        [trial_label(name), _cell(scores_a, rank_a, name), _cell(scores_b, rank_b, name)]
        for name in dict.fromkeys([n for n, _ in b] + [n for n, _ in a])
    ]
    common = [n for n, _ in b if n in rank_a]
    agree = [n for n, _ in a if n in common] == common
    ours_id = ours["run"]["run_id"]
    return [
        Heading(2, "Stand-in and your model"),
        table(
            ("Approach", f"Stand-in ({small['run']['run_id']})", f"Your model ({ours_id})"),
            rows,
            (2, 1, 1),
        ),
        Para(AGREE if agree else DISAGREE.format(run_id=ours_id)),
    ]


def _cell(scores: dict[str, float], ranks: dict[str, int], name: str) -> str:
    return f"{scores[name]:.2f} (#{ranks[name]})" if name in scores else "—"
