"""Report parts that diagnose a knowledge run: why each answer failed, what a document
change cost each approach ("When your documents change"), and the retrieval sweep.

Each reads what the run stored (the trial summaries' `attribution`, the run's `drill` and
`sweep`), the same records the Trials tab and the CLI JSON show, and words them with the
sentences those share (`eval.scoring.attribution`, `eval.drill.measure`, `eval.sweep`).
"""

from __future__ import annotations

from typing import Any

from assistant.report.blocks import Block, Bullets, Heading, Item, Para, cite, pct, table
from assistant.report.data import ReportData, scored_trials
from eval.drill.measure import ARM_LABELS, CORRECT_SHARE, usd
from eval.scoring.attribution import LABEL_NAMES
from eval.sweep import METRIC, sweep_lines

DRILL_TITLE = "When your documents change"
DRILL_SOURCE = ("knowledge/guidance/when-rag-wins.md",
                "Frequently changing knowledge and fast re-indexing")  # fmt: skip
ATTRIBUTION_NOTE = (
    "Every held-out answer that was not an exact match is labelled with the part that "
    "failed: a retrieval miss (no retrieved passage held the reference), a selection miss "
    "(a passage held it, but the sentences given to the model left it out), a "
    "reader miss (it was, and the answer is wrong), an unsupported answer (not grounded in "
    "that context), an abstention, or a form miss (the right content in the wrong form; "
    "still right on contains). Shares are of the misses, with Wilson 95% intervals."
)


def failure_blocks(data: ReportData) -> list[Block]:
    """'Why answers failed': per trial, the misses by kind and the one route to fix first."""
    rows, fixes = [], []
    for name, summary in scored_trials(data).items():
        found = summary.get("attribution") or {}
        if not found.get("n"):
            continue
        parts = [f"{LABEL_NAMES.get(label, label)} {c['n']} ({pct(c['share'])}, 95% "
                 f"{pct(c['ci95'][0])}–{pct(c['ci95'][1])})"
                 for label, c in found["counts"].items()]  # fmt: skip
        rows.append([name, f"{found['misses']} of {found['n']}", "; ".join(parts) or "none"])
        first = found.get("fix_first")
        if first:
            label = LABEL_NAMES.get(first["label"], first["label"])
            text = (f"{name}: fix first the {label} group ({first['n']} of "
                    f"{found['misses']} misses): {first['text']}.")  # fmt: skip
            fixes.append(Item(text, cite(first["source"], first["heading"])))
    if not rows:
        return []
    out: list[Block] = [
        Heading(3, "Why answers failed"),
        Para(ATTRIBUTION_NOTE, "note"),
        table(("Trial", "Misses", "By kind"), rows, (1, 1, 4)),
    ]
    return out + ([Bullets(tuple(fixes))] if fixes else [])


def drill_section(data: ReportData) -> list[Block]:
    """'When your documents change': the update drill's figures per arm and what changed."""
    drill = data.run_info.get("drill") or {}
    if not drill:
        return []
    out: list[Block] = [Heading(2, DRILL_TITLE)]
    if drill.get("error"):
        return [*out, Para(f"The update drill of this run failed: {drill['error']}", "alert")]
    model = (data.run_info.get("models") or {}).get("chat") or "the run's model"
    if drill.get("source") == "uploaded":
        out.append(Para(
            f"You uploaded new versions of {len(drill.get('files') or [])} document(s) with "
            f"the answers as they read now: {drill['changed']} held-out questions have another "
            f"answer. Each approach answered them on {model}; it counts as correct after its "
            f"update when it gives the new answer for at least {pct(CORRECT_SHARE)} of them; "
            "intervals are Wilson 95%."
        ))  # fmt: skip
    else:
        out.append(_changed_paragraph(drill, model))
    rows = [_arm_row(name, fig) for name, fig in (drill.get("arms") or {}).items()]
    if rows:
        header = ("Approach", "New value", "Old value", "Update", "Seconds to correct",
                  "Cost to correct")  # fmt: skip
        out.append(table(header, rows, (2.2, 1.4, 1, 2.2, 1, 1)))
    else:
        out.append(Para("No approach was measured.", "alert"))
    out.append(Bullets((Item(
        "Re-indexing touches only the changed files and needs no new model; a fine-tuned "
        "adapter keeps the old facts in its weights until it is retrained, evaluated and "
        "redeployed (the drill times only the compute of that retraining).",
        cite(*DRILL_SOURCE),
    ),)))  # fmt: skip
    changes = [[c["question"], c["old"], c["new"], c["source"]] for c in drill.get("changes") or []]
    if changes:
        header = ("Question", "Old answer", "New answer", "File")
        out += [Heading(3, "The facts that changed"), table(header, changes, (3, 1, 1, 1.4))]
    notes = list(drill.get("notes") or [])
    return out + ([Para("Notes: " + "; ".join(notes) + ".", "note")] if notes else [])


def _changed_paragraph(drill: dict[str, Any], model: str) -> Para:
    """What the drill changed, and why facts known before were changed first."""
    return Para(
        f"The facts behind {drill['changed']} of the held-out questions ({drill['percent']}% "
        f"asked for) were changed in {len(drill.get('files') or [])} document(s), each value "
        f"replaced by a plausible other and the reference answer with it; facts the run "
        f"answered right before the change were picked first "
        f"({drill.get('known_before', 0)} of {drill['changed']}), so the drill measures the "
        f"update rather than a reader that never found the fact. Each approach then "
        f"answered those questions on {model}. An approach counts as correct after its "
        f"update when it gives the new value for at least {pct(CORRECT_SHARE)} of them; "
        "intervals are Wilson 95%."
    )  # fmt: skip


def _arm_row(name: str, fig: dict[str, Any]) -> list[str]:
    n = fig["questions"]
    new_low, new_high = fig["new_value_ci95"]
    new = (
        f"{fig['new_value']} of {n} ({pct(fig['new_value_share'])}, {pct(new_low)}–{pct(new_high)})"
    )
    old = f"{fig['old_value']} of {n} ({pct(fig['old_value_share'])})"
    update = fig.get("update") or "none"
    if fig.get("update_seconds") is not None:
        update += f" ({fig['update_seconds']:g} s, {usd(fig['update_cost_usd'])})"
    seconds = fig.get("seconds_to_correct")
    to_correct = f"{seconds:g} s" if seconds is not None else "not correct"
    return [ARM_LABELS.get(name, name), new, old, update, to_correct,
            usd(fig.get("cost_to_correct_usd"))]  # fmt: skip


def sweep_blocks(data: ReportData) -> list[Block]:
    """The retrieval sweep's cells, best first, and its held-out check."""
    sweep = data.run_info.get("sweep") or {}
    if not sweep:
        return []
    out: list[Block] = [Heading(3, "Retrieval settings sweep")]
    if sweep.get("error"):
        return [*out, Para(f"The sweep failed: {sweep['error']}", "alert")]
    cells = sorted(sweep["cells"], key=lambda c: (-c[METRIC], -c["recall_at_k"]))
    rows = [[str(c["chunk_size"]), str(c["top_k"]),
             f"{c[METRIC]:.2f} [{c[f'{METRIC}_ci95'][0]:.2f}–{c[f'{METRIC}_ci95'][1]:.2f}]",
             f"{c['recall_at_k']:.2f}"] for c in cells]  # fmt: skip
    grid = table(("Chunk size", "Top-k", METRIC, "Recall@k"), rows, (1, 1, 1.6, 1))
    return [*out, grid, *(Para(line) for line in sweep_lines(sweep))]
