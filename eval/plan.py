"""A run's plan before it starts: how long each approach should take, and whether the LoRA
time budget fits the steps it is meant to train.

A behaviour run of four approaches on 100 examples took 25 minutes and its LoRA stopped at
8 of 35 steps, and nothing said so beforehand. `plan_run` is pure arithmetic on a
`Workload` (items and prompt sizes, `eval.workload`) and a `Timing` (`eval.timing`); the
stages it lists carry the names the runners report progress under, so `eval.eta` can
turn progress into time left. When the budget cannot fit the planned steps, the plan
offers settings that do, each checked by planning again with it, and names them for the
surface the user is on (`eval.controls`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any

from eval.controls import WEB_LIMITS, control
from eval.timing import Timing
from eval.workload import Workload

SAFETY = 1.15  # a budget must beat the expected training time by this much to "fit"
PROBE_PROMPT, PROBE_ANSWER = 30, 8  # one forgetting-probe question, in tokens
PAIR_PROMPT, PAIR_ANSWER = 320, 40  # one generated question
SHORT = {"prompt": "zero-shot", "few-shot": "few-shot", "retrieved-shots": "retrieved",
         "rag": "RAG", "lora": "LoRA", "rag+lora": "RAG+LoRA"}  # fmt: skip
ANSWER_STAGES = {
    ("behaviour", "prompt"): "zero-shot answers", ("knowledge", "prompt"): "prompt-only answers",
    ("behaviour", "few-shot"): "few-shot answers",
    ("behaviour", "retrieved-shots"): "retrieved-shot answers",
    ("knowledge", "rag"): "RAG answers", ("knowledge", "rag+lora"): "RAG+LoRA answers",
}  # fmt: skip
SOURCES = {"earlier runs": "from this model's earlier runs",
           "measured": "from a timing probe of this model",
           "default": "a first guess from the packaged model's speed"}  # fmt: skip


@dataclass(frozen=True)
class Stage:
    """One step as the runners name it in progress, with its expected seconds; `count`
    items or steps; a training stage stops at `cap_s` (the time budget)."""

    name: str
    seconds: float
    kind: str = "answer"  # answer | train | other
    count: int = 0
    cap_s: float = 0.0


@dataclass(frozen=True)
class ArmPlan:
    trial: str
    stages: tuple[Stage, ...]

    @property
    def seconds(self) -> float:
        return sum(s.seconds for s in self.stages)


@dataclass(frozen=True)
class LoraFit:
    """The LoRA's planned steps (epochs × examples / batch, capped) against its budget."""

    planned_steps: int
    step_s: float
    budget_s: float

    @property
    def fits(self) -> bool:
        return self.planned_steps * self.step_s * SAFETY <= self.budget_s

    @property
    def steps_in_budget(self) -> int:
        return min(self.planned_steps, int(self.budget_s // self.step_s))

    @property
    def train_s(self) -> float:
        return min(self.planned_steps * self.step_s, self.budget_s)


@dataclass(frozen=True)
class Choice:
    """A setting that makes the LoRA fit: `option` (a config field) set to `value`."""

    option: str
    value: float

    def text(self, surface: str) -> str:
        shown = f"{self.value:g}"
        if surface == "cli":
            return f"`{control(self.option, 'cli').strip('`')} {shown}`"
        return f"{control(self.option, 'web')} at {shown} or more"


@dataclass(frozen=True)
class RunPlan:
    kind: str
    n_train: int
    n_heldout: int
    arms: tuple[ArmPlan, ...]
    before: tuple[Stage, ...] = ()  # pair generation, ahead of every arm
    lora: LoraFit | None = None
    choices: tuple[Choice, ...] = ()
    source: str = "default"

    @property
    def total_s(self) -> float:
        return sum(s.seconds for s in self.before) + sum(a.seconds for a in self.arms)

    def stages(self) -> list[Stage]:
        return [*self.before, *(s for arm in self.arms for s in arm.stages)]

    def line(self, surface: str = "cli") -> str:
        """'Expected about 9 min (zero-shot 1 min, …, LoRA 4 min: 35 steps fit the 300 s
        budget).' plus, when they do not fit, what would."""
        parts = [f"{SHORT.get(a.trial, a.trial)} {span(a.seconds)}" + self._clause(a)
                 for a in self.arms]  # fmt: skip
        if self.before:
            parts.insert(0, f"writing questions {span(sum(s.seconds for s in self.before))}")
        text = f"Expected about {span(self.total_s)} ({', '.join(parts)}); {SOURCES[self.source]}."
        return text + self.advice(surface)

    def _clause(self, arm: ArmPlan) -> str:
        """The budget against the steps, said once, by the arm that trains."""
        if self.lora is None or not any(s.kind == "train" for s in arm.stages):
            return ""
        return _lora_clause(self.lora)

    def advice(self, surface: str) -> str:
        if self.lora is None or self.lora.fits:
            return ""
        fit = self.lora
        said = [c.text(surface) for c in self.choices if _offered(c, surface)]
        head = (f" The LoRA would stop early (about {fit.steps_in_budget} of "
                f"{fit.planned_steps} steps) and the run would be partial.")  # fmt: skip
        if not said:
            return head + (" Nothing in this tab fits the planned steps: use a smaller "
                           "examples file, or leave LoRA out.")  # fmt: skip
        return head + " To train every step: " + ", or ".join(said) + "."


def _offered(choice: Choice, surface: str) -> bool:
    """A choice is offered only where a control can set it, within the control's range."""
    if not control(choice.option, surface):
        return False
    low, high = WEB_LIMITS.get(choice.option, (0, math.inf)) if surface == "web" else (0, math.inf)
    return low <= choice.value <= high


def _lora_clause(fit: LoraFit) -> str:
    if fit.fits:
        return f": {fit.planned_steps} steps fit the {fit.budget_s:g} s budget"
    return (f": the {fit.budget_s:g} s budget fits about {fit.steps_in_budget} of "
            f"{fit.planned_steps} steps")  # fmt: skip


def span(seconds: float) -> str:
    """'about 40 s' style figures without the 'about': '40 s', '3 min'.

    >>> span(4), span(44), span(185)
    ('5 s', '45 s', '3 min')
    """
    if seconds < 90:
        return f"{max(5, 5 * round(seconds / 5))} s"
    return f"{round(seconds / 60)} min"


def lora_fit(lora: Any, work: Workload, timing: Timing) -> LoraFit:
    """Steps as `eval.runners.lora.load.train_adapter` plans them."""
    planned = min(lora.max_steps, math.ceil(lora.epochs * work.lora_examples / lora.batch_size))
    scale = lora.batch_size * lora.max_length / (4 * 256)  # the step figure is at 4 × 256
    return LoraFit(planned, timing.lora_step_s * max(scale, 0.25), lora.time_budget_s)


def plan_run(config: Any, work: Workload, timing: Timing, served: bool = False) -> RunPlan:
    """The plan for `config` on `work` at `timing`; `served` = the LoRA arm is an adapter
    a server already serves (nothing is trained)."""
    kind = "knowledge" if hasattr(config, "retrieval") else "behaviour"
    fit = lora_fit(config.lora, work, timing) if _trains(config, served) else None
    arms = tuple(_arm(name, kind, config, work, timing, fit) for name in config.trials)
    before = ()
    if work.generate_pairs:
        each = timing.answer_s(PAIR_PROMPT, PAIR_ANSWER)
        n = work.generate_pairs
        before = (Stage("writing questions", n * each, "answer", n),)
    plan = RunPlan(kind, work.n_train, work.n_heldout, arms, before, fit, (), timing.source)
    if fit is None or fit.fits:
        return plan
    return replace(plan, choices=tuple(fitting_choices(config.lora, work, timing)))


def _trains(config: Any, served: bool) -> bool:
    return not served and bool({"lora", "rag+lora"} & set(config.trials))


def _answers(name: str, work: Workload, timing: Timing, stage: str) -> Stage:
    answer = work.answer_by_trial.get(name, work.answer_tokens)
    each = timing.answer_s(work.prompt_tokens.get(name, 0), answer)
    return Stage(stage, work.n_heldout * each, "answer", work.n_heldout)


def _arm(name: str, kind: str, config: Any, work: Workload, timing: Timing,
         fit: LoraFit | None) -> ArmPlan:  # fmt: skip
    if name not in ("lora", "rag+lora"):
        return ArmPlan(name, (_answers(name, work, timing, ANSWER_STAGES[(kind, name)]),))
    answers = _answers(name, work, timing, ANSWER_STAGES.get((kind, name), "LoRA answers"))
    probe_s = 2 * config.probe_questions * timing.answer_s(PROBE_PROMPT, PROBE_ANSWER)
    probe = Stage("forgetting probe", probe_s, "answer", 2)
    shared = name == "rag+lora" and "lora" in config.trials
    if fit is None or shared:
        return ArmPlan(name, (answers, probe))
    train = Stage("LoRA training", fit.train_s, "train", fit.planned_steps, fit.budget_s)
    setup = Stage("loading model for LoRA", timing.lora_setup_s, "other")
    stages = [setup, train, answers, probe]
    if kind == "behaviour":
        seed_answers = replace(answers, name="LoRA answers, seed")
        stages += [train, seed_answers] * replicas(config.lora, fit)
    return ArmPlan(name, tuple(stages))


def replicas(lora: Any, fit: LoraFit) -> int:
    """Extra seeds trained after the first, as `eval.runners.lora.load.replicas_that_fit`."""
    if lora.seeds <= 1 or not fit.fits:
        return 0
    left = fit.budget_s - fit.train_s
    return min(lora.seeds - 1, int(left // (fit.train_s * 1.1)))


def fitting_choices(lora: Any, work: Workload, timing: Timing) -> list[Choice]:
    """A longer budget, fewer epochs or fewer steps, each kept only if planning again with
    it fits (so a choice shown is a choice that works)."""
    fit = lora_fit(lora, work, timing)
    need = math.ceil(fit.planned_steps * fit.step_s * SAFETY / 10) * 10
    steps_ok = int(lora.time_budget_s // (fit.step_s * SAFETY))
    epochs = math.floor(10 * steps_ok * lora.batch_size / max(work.lora_examples, 1)) / 10
    candidates = [Choice("time_budget_s", need), Choice("epochs", epochs),
                  Choice("max_steps", steps_ok)]  # fmt: skip
    fields = {"time_budget_s": float, "epochs": float, "max_steps": int}
    out = []
    for choice in candidates:
        if choice.value <= 0:
            continue
        changed = replace(lora, **{choice.option: fields[choice.option](choice.value)})
        if lora_fit(changed, work, timing).fits:
            out.append(choice)
    return out


def plan_job(job: Any, store: Any = None, chat: Any = None) -> RunPlan:
    """The plan of a checked `eval.run.TrialJob`, at the best timing figure there is
    (`eval.timing.timing_for`: earlier runs in `store`, a kept figure, a probe of `chat`)."""
    from eval.timing import timing_for
    from eval.workload import workload_of

    timing = timing_for(job.settings, store, chat)
    served = job.settings.chat_backend == "openai"
    return plan_run(job.config, workload_of(job), timing, served)
