"""From a recommendation to a plan: phases with durations and costs, evaluation first.

Durations come from the guidance (prompting 1-2 days, RAG 2-4 weeks, fine-tuning 2-3
months, an evaluation set 2-4 weeks of expert time). Costs are not in the guidance as
dollar figures, so they are computed from the team's `CostRates` (assistant.core.rates)
and PHASE_INPUTS below; a team with different rates changes one number. The plan always
starts with evaluation, because without a held-out set no later phase can show it helped.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from assistant.advice.decide import Recommendation
from assistant.advice.phase_tasks import (
    EVAL_FROM_EXAMPLES_TASKS,
    EVAL_TASKS,
    PROMPT_TASKS,
    RAG_TASKS,
    finetune_tasks,
)
from assistant.advice.profile import Profile
from assistant.advice.rules import ACT_DROP, FINETUNE_APPROACHES, INVESTIGATE_DROP
from assistant.core.rates import CostRates

# One LoRA training run on a rented GPU (the plan budgets 5-20 of them): what a stand-in
# run's training is priced at, since CPU seconds on a 135M model do not scale to yours.
LORA_RUN_GPU_HOURS = (2, 8)
# Guidance ranges behind the LoRA phase's expert hours, also used by the cost table.
FINETUNE_EXAMPLES = (500, 2000)  # curated examples a LoRA usually needs
CURATION_MINUTES_PER_EXAMPLE = (5, 10)  # expert review time per example
REVIEW_ROUND_HOURS = (8, 16)  # one human evaluation round
# (low, high) inputs per phase: engineer days, expert hours, GPU hours, hosting months.
PHASE_INPUTS: dict[str, dict[str, tuple[float, float]]] = {
    # 100-200 pairs written and checked by experts over 2-4 weeks, plus tooling.
    "eval_set": {"engineer_days": (2, 4), "expert_hours": (20, 60)},
    # A team with 100+ reviewed examples sets 100-200 of them aside: days, not weeks.
    "eval_from_examples": {"engineer_days": (1, 2), "expert_hours": (2, 6)},
    "prompt": {"engineer_days": (1, 2)},
    # Ingestion, chunking, embeddings, vector store and retrieval tuning, one month hosted.
    "rag": {"engineer_days": (10, 20), "hosting_months": (1, 1)},
    # FINETUNE_EXAMPLES at CURATION_MINUTES_PER_EXAMPLE each, 2-3 REVIEW_ROUND_HOURS
    # rounds, 5-20 LoRA runs of 2-8 GPU hours, engineering for the whole project.
    "lora": {
        "engineer_days": (20, 40),
        "expert_hours": (58, 381),
        "gpu_hours": (10, 160),
    },
    # 5,000+ examples, and every run needs several GPUs for 10-24 hours.
    "full-finetune": {
        "engineer_days": (30, 60),
        "expert_hours": (433, 881),
        "gpu_hours": (400, 3840),
    },
    "deploy_finetune": {"engineer_days": (3, 5)},  # shadow deployment, versioning, alerts
    "deploy": {"engineer_days": (2, 3)},
}
LORA_START = {
    "method": "LoRA",
    "rank": 16,
    "alpha": 32,
    "learning_rate": 1e-4,
    "epochs": [3, 5],
    "target_modules": "all-linear",
}
WORKDAYS_PER_WEEK = 5


@dataclass(frozen=True)
class Phase:
    name: str
    duration: tuple[int, int]
    unit: str  # "days" or "weeks"
    cost_usd: tuple[int, int]
    tasks: list[str]

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "duration": {"min": self.duration[0], "max": self.duration[1], "unit": self.unit},
            "cost_usd": {"min": self.cost_usd[0], "max": self.cost_usd[1]},
            "tasks": list(self.tasks),
        }

    def weeks(self) -> tuple[float, float]:
        div = WORKDAYS_PER_WEEK if self.unit == "days" else 1
        return self.duration[0] / div, self.duration[1] / div


@dataclass(frozen=True)
class Monitoring:
    """Weekly held-out runs with two alert levels, measured against the deployed score."""

    cadence: str = "weekly"
    investigate_drop: float = INVESTIGATE_DROP
    act_drop: float = ACT_DROP
    action: str = ""
    tasks: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "cadence": self.cadence,
            "investigate_drop": self.investigate_drop,
            "act_drop": self.act_drop,
            "action": self.action,
            "tasks": list(self.tasks),
        }


@dataclass(frozen=True)
class Plan:
    approach: str
    phases: list[Phase]
    evaluation_first: list[str]
    lora_config: dict[str, Any] | None
    monitoring: Monitoring
    notes: list[str]
    rates: CostRates = field(default_factory=CostRates)

    @property
    def total_weeks(self) -> tuple[float, float]:
        return total_weeks(self.phases)

    @property
    def total_cost_usd(self) -> tuple[int, int]:
        return sum(p.cost_usd[0] for p in self.phases), sum(p.cost_usd[1] for p in self.phases)

    def to_list(self) -> list[dict[str, Any]]:
        """The phases only: the CLI's "plan" field."""
        return [p.to_dict() for p in self.phases]

    def to_dict(self) -> dict[str, Any]:
        return {
            "approach": self.approach,
            "phases": self.to_list(),
            "total_weeks": list(self.total_weeks),
            "total_cost_usd": list(self.total_cost_usd),
            "evaluation_first": list(self.evaluation_first),
            "lora_config": dict(self.lora_config) if self.lora_config else None,
            "monitoring": self.monitoring.to_dict(),
            "notes": list(self.notes),
            "cost_assumptions": self.rates.to_dict(),
        }


def phase_cost(key: str, rates: CostRates = CostRates()) -> tuple[int, int]:
    """(low, high) USD for a phase from PHASE_INPUTS at the team's rates."""
    inputs = PHASE_INPUTS[key]
    out = []
    for i, hosting in ((0, rates.hosting_month_usd_low), (1, rates.hosting_month_usd_high)):
        total = (
            inputs.get("engineer_days", (0, 0))[i] * rates.engineer_day_usd
            + inputs.get("expert_hours", (0, 0))[i] * rates.expert_hour_usd
            + inputs.get("gpu_hours", (0, 0))[i] * rates.gpu_hour_usd
            + inputs.get("hosting_months", (0, 0))[i] * hosting
        )
        out.append(int(round(total, -2)))  # to the nearest $100: these are estimates
    return out[0], out[1]


def total_weeks(phases: list[Phase]) -> tuple[float, float]:
    """Phases run one after another: evaluation first, each step measured before the next."""
    lows, highs = zip(*(p.weeks() for p in phases), strict=True)
    return round(sum(lows), 1), round(sum(highs), 1)


def build_plan(
    recommendation: Recommendation, profile: Profile, rates: CostRates = CostRates()
) -> Plan:
    """Phases in order (evaluation, prompting, retrieval, fine-tuning, deploy), priced at
    the team's rates."""
    approach = recommendation.approach

    def _phase(name: str, duration: tuple[int, int], unit: str, key: str, tasks: list[str]):
        return Phase(name, duration, unit, phase_cost(key, rates), list(tasks))

    finetune = approach in FINETUNE_APPROACHES
    phases = []
    if not profile.has_eval_set:
        phases.append(_phase(*_eval_phase(profile)))
    phases.append(_phase("Prompt engineering and baseline", (1, 2), "days", "prompt", PROMPT_TASKS))
    if approach in ("rag", "rag+lora"):
        phases.append(_phase("Retrieval pipeline (RAG)", (2, 4), "weeks", "rag", RAG_TASKS))
    if finetune:
        key = "full-finetune" if approach == "full-finetune" else "lora"
        name = "Full fine-tuning" if key == "full-finetune" else "Data curation and LoRA"
        phases.append(_phase(name, (8, 12), "weeks", key, finetune_tasks(approach)))
        phases.append(_phase("Shadow deploy and monitor", (1, 2), "weeks", "deploy_finetune", []))
    else:
        phases.append(_phase("Deploy and monitor", (2, 3), "days", "deploy", []))
    monitoring = _monitoring(approach)
    phases[-1] = replace(phases[-1], tasks=_deploy_tasks(finetune, monitoring))
    return Plan(
        approach=approach,
        phases=phases,
        evaluation_first=_evaluation_first(approach, profile),
        lora_config=_lora_config(approach, profile) if finetune else None,
        monitoring=monitoring,
        notes=_notes(approach, phases, profile),
        rates=rates,
    )


MIN_EXAMPLES_FOR_EVAL = 100  # enough reviewed examples to hold 100-200 out


def _has_reviewed_examples(profile: Profile) -> bool:
    return profile.examples_reviewed and profile.labeled_examples >= MIN_EXAMPLES_FOR_EVAL


def _eval_phase(profile: Profile) -> tuple[str, tuple[int, int], str, str, list[str]]:
    """Build an evaluation set, or set one aside from the team's reviewed examples."""
    if _has_reviewed_examples(profile):
        return (
            "Set aside the evaluation set from your reviewed examples", (2, 4), "days",
            "eval_from_examples", EVAL_FROM_EXAMPLES_TASKS,
        )  # fmt: skip
    return ("Build the evaluation set", (2, 4), "weeks", "eval_set", EVAL_TASKS)


def _deploy_tasks(finetune: bool, monitoring: Monitoring) -> list[str]:
    first = (
        "Shadow-deploy the candidate on copied traffic; promote only if it confirms the gains."
        if finetune
        else "Deploy and record the deployment score on the held-out set."
    )
    return [first, *monitoring.tasks]


def _monitoring(approach: str) -> Monitoring:
    if approach in FINETUNE_APPROACHES:
        action = "retrain with updated curated data or roll back to the RAG baseline"
    elif approach == "rag":
        action = "re-index changed documents and fix retrieval, or roll back to the last good index"
    else:
        action = "revise the prompt or roll back to the last good prompt version"
    return Monitoring(
        action=action,
        tasks=[
            "Run the held-out set against production every week and log the versions in use.",
            f"Investigate when the score falls {INVESTIGATE_DROP:.0%} below the deployed score.",
            f"At a {ACT_DROP:.0%} drop that persists for two weekly runs: {action}.",
        ],
    )


def _evaluation_first(approach: str, profile: Profile) -> list[str]:
    if profile.has_eval_set:
        first = "Keep the existing held-out set frozen and versioned."
    elif _has_reviewed_examples(profile):
        first = "Set aside 100-200 of your reviewed examples as the held-out set first."
    else:
        first = "Build a held-out set of 100-200 input/output pairs before anything else."
    steps = [
        first,
        "Record the prompt-only baseline on the held-out set.",
    ]
    if approach != "prompt":
        steps.append("Record the RAG-plus-prompting baseline on the same set.")
    if approach in FINETUNE_APPROACHES:
        steps += [
            "Set up a general-capability benchmark (MMLU, HellaSwag or custom probes).",
            "Book domain experts for 2-3 human evaluation rounds of 8-16 hours each.",
            "Store checkpoints, adapters, datasets and training configs under version control.",
        ]
    return steps


def _lora_config(approach: str, profile: Profile) -> dict[str, Any]:
    config = dict(LORA_START)
    config["quantize_base_4bit"] = profile.gpu != "multi"  # QLoRA fits big models on one GPU
    config["train_on"] = (
        "questions with retrieved passages (RAFT-style)"
        if approach == "rag+lora"
        else "expert-reviewed input/output examples"
    )
    return config


LOW_BUDGET_USD = 10_000  # a "low" budget rarely covers more than this without sign-off


def _notes(approach: str, phases: list[Phase], profile: Profile) -> list[str]:
    notes = [
        "Costs are estimates from the cost assumptions (engineer day, expert hour, GPU hour); "
        "change them to your rates."
    ]
    low_weeks = total_weeks(phases)[0]
    if profile.timeline_weeks is not None and low_weeks > profile.timeline_weeks:
        notes.append(
            f"The shortest path takes about {low_weeks:g} weeks, longer than your "
            f"{profile.timeline_weeks}-week timeline: cut scope or move the date."
        )
    if profile.budget == "low" and approach in FINETUNE_APPROACHES:
        notes.append("Fine-tuning on a low budget: spend it on data curation, not compute.")
    low, high = sum(p.cost_usd[0] for p in phases), sum(p.cost_usd[1] for p in phases)
    if profile.budget == "low" and low >= LOW_BUDGET_USD:
        notes.append(
            f"You said the budget is low, and this plan costs about ${low:,}-${high:,}: fund "
            f"the first phases ({phases[0].name.lower()}, then {phases[1].name.lower()}) and "
            "decide on the rest once they are measured."
        )
    return notes
