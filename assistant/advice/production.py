"""Rules on the team's own production scores (`Profile.measured`), never on trial runs.

These numbers come from the team's held-out set on its production system, so they
answer every question at once (target met? retrieval better? LoRA better?). They carry
no item-level data, so they are read as the team states them; trial runs on the small
packaged model go through `assistant.advice.trial_rules` and their verdicts instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.advice.draft import PRODUCTION, Draft
from assistant.advice.profile import Profile
from assistant.advice.rules import THRESHOLDS


@dataclass(frozen=True)
class Vetoes:
    """What the production scores say about fine-tuning: ruled out, or shown to win."""

    all: bool = False
    lora_wins: bool = False


def shortcut(p: Profile, d: Draft) -> str | None:
    """A production baseline that already meets the target ends the climb."""
    m, target = p.measured, p.measured.get("target")
    if target is None:
        return None
    if m.get("prompt", -1.0) >= target:
        d.why("prompt_meets_target", on=PRODUCTION)
        d.adjust("measured_agrees")
        return "prompt"
    if m.get("rag", -1.0) >= target:
        d.why("rag_meets_target", on=PRODUCTION)
        d.adjust("measured_agrees")
        return "rag"
    return None


def retrieval(p: Profile, d: Draft) -> bool | None:
    """Production RAG vs prompt: True/False when they decide, None to leave it to others."""
    m = p.measured
    if "rag" not in m or "prompt" not in m:
        return None
    if m["rag"] > m["prompt"] + THRESHOLDS["narrow_gap"]:
        d.why("rag_measured_better", on=PRODUCTION)
        d.adjust("measured_agrees")
        return True
    if m["rag"] <= m["prompt"]:
        d.why("rag_not_better", on=PRODUCTION)
        if "knowledge" in p.gaps:
            d.adjust("measured_disagrees")  # the gap is factual, so keep retrieval
            return None
        return False
    return None


def vetoes(p: Profile, d: Draft) -> Vetoes:
    """A narrow gap to target, or a LoRA that lost to a cheaper baseline, rule it out.

    A hybrid is ruled out too when LoRA lost: on the team's own held-out set the cheaper
    system was at least as good.
    """
    m, target = p.measured, p.measured.get("target")
    baselines = {k: m[k] for k in ("prompt", "rag") if k in m}
    if not baselines:
        return Vetoes()
    vetoed = False
    if target is not None and target - max(baselines.values()) <= THRESHOLDS["narrow_gap"]:
        d.why("narrow_gap", on=PRODUCTION, best=max(baselines.values()))
        vetoed = True
    if "lora" in m:
        name = "rag" if "rag" in baselines else "prompt"
        if m["lora"] <= baselines[name]:
            label = "RAG" if name == "rag" else "prompt-only"
            d.why("lora_loses", on=PRODUCTION, baseline=label, base=baselines[name])
            if "knowledge" in p.gaps:
                d.why("research_knowledge")
            vetoed = True
    if vetoed:
        d.adjust("measured_agrees")
        return Vetoes(all=True)
    return Vetoes(lora_wins="lora" in m and m["lora"] > max(baselines.values()))


def full_finetune_justified(p: Profile) -> bool:
    """The rare case: a reasoning gap where production LoRA plateaued, with the means to go on."""
    m, target = p.measured, p.measured.get("target")
    return (
        "reasoning" in p.gaps
        and p.gpu == "multi"
        and p.budget == "high"
        and p.labeled_examples >= THRESHOLDS["full_finetune_examples"]
        and "lora" in m
        and target is not None
        and m["lora"] < target - THRESHOLDS["narrow_gap"]
    )
