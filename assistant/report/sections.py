"""The report's sections, in order, as blocks: summary, situation, results, plan, etc.

Measured results and the appendix live in `assistant.report.results`; this module holds
the parts every report has, even one built from a profile alone.
"""

from __future__ import annotations

from typing import Any

from assistant.advice.caveats import RISK_NOTES
from assistant.advice.labels import APPROACH_LABELS, APPROACH_PLAIN
from assistant.advice.profile import field_names
from assistant.report.blocks import (
    Block,
    Bullets,
    Heading,
    Item,
    Para,
    bullets,
    cite,
    num_range,
    pct,
    score,
    table,
    usd_range,
)
from assistant.report.confirm import first_paragraph, side_by_side
from assistant.report.costs import cost_section
from assistant.report.data import ReportData
from assistant.report.diagnosis import drill_section
from assistant.report.results import appendix_section, forgetting_sentence, results_section

TITLE = "Adaptation Advisor report"
TOP_REASONS = 3
PROFILE_LABELS = {
    "use_case": "Use case",
    "gaps": "What goes wrong today",
    "knowledge_change": "How often the knowledge changes",
    "corpus_tokens": "Size of the knowledge",
    "source_count": "Data sources",
    "needs_citations": "Answers must cite sources",
    "labeled_examples": "Curated examples",
    "examples_reviewed": "Examples reviewed by experts",
    "latency_budget_ms": "Response-time budget",
    "has_eval_set": "Held-out evaluation set",
    "prompting_tried": "Prompt baseline measured",
    "budget": "Budget",
    "timeline_weeks": "Timeline",
    "gpu": "Training hardware",
    "monthly_queries": "Queries a month",
    "measured": "Your production scores",
}
GPU_WORDS = {"none": "no GPU", "single": "one GPU", "multi": "several GPUs"}


def report_blocks(data: ReportData, charts: dict[str, bytes]) -> list[Block]:
    """The whole report, top to bottom."""
    return [
        Heading(1, TITLE),
        Para(f"Generated {data.generated_at} by Adaptation Advisor {data.app_version}", "note"),
        *summary_section(data),
        *situation_section(data),
        *results_section(data, charts),
        *side_by_side(data.run, data.counterpart),
        *drill_section(data),
        *plan_section(data),
        *cost_section(data),
        *prerequisites_section(data),
        *risks_section(data),
        *monitoring_section(data),
        *appendix_section(data),
    ]


def approach_label(approach: str) -> str:
    return APPROACH_LABELS.get(approach, approach)


def summary_section(data: ReportData) -> list[Block]:
    rec, plan = data.advice.recommendation, data.advice.plan
    weeks, cost = plan.total_weeks, plan.total_cost_usd
    basis = (rec.basis or "Based on your answers only.") + run_story(data)
    ask = LEVEL_WORDS[rec.strength.level]
    out: list[Block] = [
        Heading(2, "Executive summary"),
        *first_paragraph(data.run),
        Para(f"Recommended approach: {approach_label(rec.approach)}", "lead"),
        Para(APPROACH_PLAIN.get(rec.approach, "")),
        Para(f"Strength of evidence: {rec.strength.describe()}. {ask}{basis}"),
        Para(
            f"Estimated timeline {num_range(*weeks, 'weeks')}, estimated cost "
            f"{usd_range(*cost)} (see Plan)."
        ),
        *left_out_blocks(data),
        Heading(3, "Why"),
        _reasons(rec.reasons[:TOP_REASONS]),
    ]
    if len(rec.reasons) > TOP_REASONS:
        out += [Heading(3, "Further considerations"), _reasons(rec.reasons[TOP_REASONS:])]
    return out


def run_story(data: ReportData) -> str:
    """Which run the report's numbers come from, said once, in the summary.

    The picked run is the only one shown and priced; another run the chat weighed is
    named, so no sentence of the advice rests on a run the reader cannot find.
    """
    run_id = data.run_info.get("run_id", "")
    if not data.run:
        return " No trial run on your data is included."
    if data.picked is None:
        text = f" Trial run {run_id} gave no usable evidence."
    else:
        status = data.run_info.get("status", "")
        text = f" Measured results, costs and verdicts below come from trial run {run_id} "
        text += f"({status})."
    others = [f"{e.run_id} ({e.kind})" for e in data.others]
    if others:
        text += (f" The advice also weighs run {', '.join(others)} from the chat; its measured "
                 "results are in its own report.")  # fmt: skip
    return text


def left_out_blocks(data: ReportData) -> list[Block]:
    """The picked run's unfinished trials, named with what it would take to finish them."""
    sentences = data.picked.left_out() if data.picked else []
    return [Para(text, "alert") for text in sentences]


def _reasons(reasons: list[Any]) -> Bullets:
    return Bullets(tuple(Item(r.text, cite(r.source, r.heading)) for r in reasons))


# What each level asks of the reader (the level is a heuristic reading, not a probability).
LEVEL_WORDS = {
    "strong": "",
    "moderate": "A trial on your own data would firm it up. ",
    "weak": "Answer the open questions or run a trial before committing. ",
}


def situation_section(data: ReportData) -> list[Block]:
    profile = data.profile.to_dict()
    rows = [
        [PROFILE_LABELS.get(name, name), _profile_value(name, profile)] for name in field_names()
    ]
    return [Heading(2, "Your situation"), table(("Question", "Your answer"), rows, (2, 3))]


def _profile_value(name: str, profile: dict[str, Any]) -> str:
    value = profile[name]
    special = {
        "use_case": lambda v: "document Q&A" if v == "document_qa" else v.replace("_", " "),
        "gaps": lambda v: ", ".join(v) or "none known",
        "corpus_tokens": lambda v: f"{v:,} tokens" if v else "none",
        "latency_budget_ms": lambda v: "no budget" if v is None else f"{v:,} ms",
        "timeline_weeks": lambda v: "open" if v is None else f"{v} weeks",
        "gpu": lambda v: GPU_WORDS.get(v, v),
        "monthly_queries": lambda v: "unknown" if v is None else f"{v:,}",
        "measured": lambda v: ", ".join(f"{k} {score(s)}" for k, s in v.items()) or "none yet",
    }
    if name in special:
        return special[name](value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return f"{value:,}" if isinstance(value, int) else str(value)


def plan_section(data: ReportData) -> list[Block]:
    plan = data.advice.plan
    rows = [
        [f"{i}. {p.name}", num_range(*p.duration, p.unit), usd_range(*p.cost_usd)]
        for i, p in enumerate(plan.phases, 1)
    ]
    rows.append(["Total", num_range(*plan.total_weeks, "weeks"), usd_range(*plan.total_cost_usd)])
    out: list[Block] = [
        Heading(2, "Plan"),
        Para("Phases run one after another; each is measured before the next starts."),
        table(("Phase", "Duration", "Cost (USD)"), rows, (3, 1.4, 1.6)),
        Heading(3, "Evaluation first"),
        bullets(plan.evaluation_first, ordered=True),
        Heading(3, "What each phase involves"),
    ]
    for i, phase in enumerate(plan.phases, 1):
        out += [Para(f"{i}. {phase.name}", "label"), bullets(phase.tasks)]
    if plan.lora_config:
        config = [[key.replace("_", " "), _config_value(v)] for key, v in plan.lora_config.items()]
        out += [Heading(3, "LoRA starting configuration"), table(("Setting", "Value"), config)]
    if plan.notes:
        out += [Heading(3, "Notes"), bullets(plan.notes)]
    return out


def _config_value(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return "–".join(str(v) for v in value)
    return f"{value:g}" if isinstance(value, float) else str(value)


def prerequisites_section(data: ReportData) -> list[Block]:
    ids = data.advice.recommendation.prerequisites
    if not ids:
        return [
            Heading(2, "Prerequisites"),
            Para("None missing: nothing needs to happen before the first phase of the plan."),
        ]
    notes = data.advice.recommendation.prerequisite_notes  # with the team's numbers
    items = tuple(Item(n.text, cite(n.source, n.heading)) for n in notes)
    return [Heading(2, "Prerequisites"), Bullets(items)]


def risks_section(data: ReportData) -> list[Block]:
    rec = data.advice.recommendation
    items = []
    for rid in rec.risks:
        note = RISK_NOTES[rid]
        numbers = rec.risk_numbers.get(rid)
        text = f"{note.text} Measured: {numbers}." if numbers else note.text
        items.append(Item(text, cite(note.source, note.heading)))
    measured = forgetting_sentence(data)
    if measured:
        items.append(Item(measured, "measured in this report's trial run"))
    if not items:
        return [Heading(2, "Risks"), Para("No specific risks were flagged for this approach.")]
    return [Heading(2, "Risks"), Bullets(tuple(items))]


def monitoring_section(data: ReportData) -> list[Block]:
    plan, rec = data.advice.plan, data.advice.recommendation
    mon = plan.monitoring
    out: list[Block] = [
        Heading(2, "Monitoring plan"),
        Para(
            f"Run the held-out set {mon.cadence} against production. Investigate at a "
            f"{pct(mon.investigate_drop)} drop below the deployed score; at a "
            f"{pct(mon.act_drop)} drop, {mon.action}."
        ),
        bullets(mon.tasks),
    ]
    deployed = data.profile.measured.get(rec.approach)
    if deployed is not None:
        out.append(
            Para(
                f"In your production scores, {approach_label(rec.approach)} scored "
                f"{score(deployed)}: "
                f"investigate below {score(deployed - mon.investigate_drop)}, act below "
                f"{score(deployed - mon.act_drop)} (re-measure at deployment first).",
                "note",
            )
        )
    return out
