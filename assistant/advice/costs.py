"""Cost at the team's volume: what each trial approach would cost to run, from measurements.

Why a table apart from the plan: the plan's ranges are rules of thumb, while these
figures start from a trial's *measured* seconds (time per answer, LoRA training time),
priced at the team's `CostRates` (settings) and scaled to the team's own monthly
volume and example count. Every figure carries its basis, so a reader sees what was
measured, what was assumed, and can redo the sum at their own rates. Nothing is filled
in: without a measured run or a monthly volume the table is empty and says why.

    table = cost_table(profile, evidence)
    table.lines[0].monthly_serving.low   # USD a month at profile.monthly_queries
    table.break_even[0].sentence         # when the LoRA's cheaper serving pays back
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from assistant.advice.breakeven import BreakEven, break_evens
from assistant.advice.evidence import Evidence
from assistant.advice.money import CostLine, Figure, exact, money, total, unknown, usd
from assistant.advice.plan import (
    CURATION_MINUTES_PER_EXAMPLE,
    FINETUNE_EXAMPLES,
    LORA_RUN_GPU_HOURS,
    REVIEW_ROUND_HOURS,
)
from assistant.advice.profile import Profile
from assistant.core.rates import CostRates
from eval.kinds import ADAPTER_TRIALS

SECONDS_PER_HOUR = 3600
RETRIEVAL_TRIALS = ("rag", "retrieved-shots")  # need an index built before serving
NO_EVIDENCE = "No trial run with measured speed yet: run a trial to see costs at your volume."
NO_VOLUME = "Monthly query volume unknown: say how many queries a month to see costs."
NO_LATENCY = "Run {run_id} stored no answer times or token counts, so there is nothing to price."
PACKAGED_NOTE = (
    "Measured on {model}, a small model: a production model takes longer per answer and to "
    "train, so read the gaps between approaches, not the totals, as what carries over."
)
RATES_NOTE = (
    "Rates from the cost assumptions: CPU {cpu}/h, GPU {gpu}/h, expert {expert}/h, "
    "{updates:g} base-model updates a year. Engineering time and vector-store hosting are "
    "in the Plan."
)


@dataclass(frozen=True)
class CostTable:
    """Every approach of one run at the team's volume; empty with a `reason` otherwise."""

    monthly_queries: int | None = None
    run_id: str = ""
    model: str = ""
    lines: tuple[CostLine, ...] = ()
    break_even: tuple[BreakEven, ...] = ()
    reason: str = ""  # why there are no lines; "" when there are
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "monthly_queries": self.monthly_queries,
            "run_id": self.run_id,
            "model": self.model,
            "lines": [line.to_dict() for line in self.lines],
            "break_even": [b.to_dict() for b in self.break_even],
            "reason": self.reason,
            "notes": list(self.notes),
        }


def cost_table(
    profile: Profile, evidence: Sequence[Evidence], rates: CostRates = CostRates()
) -> CostTable:
    """The newest measured run's approaches priced at `profile.monthly_queries`.

    `rates` are the team's own (settings `ADVISOR_*_USD_PER_HOUR`, ...); they default to
    the plan's cost assumptions.
    """
    run = next((e for e in reversed(list(evidence)) if e.measures), None)
    if run is None:
        return CostTable(reason=NO_EVIDENCE)
    volume = profile.monthly_queries
    if volume is None:
        return CostTable(run_id=run.run_id, model=run.model, reason=NO_VOLUME)
    names = [n for n in run.measures if not n.endswith("-base")]  # controls are no option
    lines = tuple(_line(name, run, profile, volume, rates) for name in names)
    if all(line.per_query_usd is None for line in lines):
        reason = NO_LATENCY.format(run_id=run.run_id)
        return CostTable(volume, run.run_id, run.model, reason=reason)
    return CostTable(
        volume, run.run_id, run.model, lines, break_evens(lines, run, volume), "",
        _notes(run, rates),
    )  # fmt: skip


def _line(name: str, run: Evidence, profile: Profile, volume: int, rates: CostRates) -> CostLine:
    measured = run.measures[name]
    serving = per_query_tokens(measured, rates) if run.packaged else per_query(measured, rates)
    if serving is None:
        monthly = unknown("the trial stored no answer time")
        per = None
    else:
        per, basis = serving
        monthly = exact(per * volume, f"{basis}, × {volume:,} queries a month")
    train = training(name, run, profile, rates) if name in ADAPTER_TRIALS else None
    one_off, upkeep = _one_off(name, train, profile, rates), _upkeep(name, train, rates)
    return CostLine(name, per, monthly, one_off, upkeep)


def hourly_rate(measured: dict[str, Any], rates: CostRates = CostRates()) -> tuple[float, str]:
    """The team's serving rate for the hardware a trial ran on, and its name."""
    device = str(measured.get("device") or "cpu")
    return rates.serving_hour(device), "gpu" if device == "cuda" else "cpu"


def per_query(measured: dict[str, Any], rates: CostRates = CostRates()) -> tuple[float, str] | None:
    """USD per answer from measured seconds × the hourly rate; None without a time.

    The mean is what a bill adds up; a run stored before the mean was kept falls back to
    the median, and says so.
    """
    mean, p50 = measured.get("latency_mean_s"), measured.get("latency_p50_s")
    if _positive(mean):
        seconds = float(mean)
        what = f"measured mean answer time {seconds:.2f} s"
    elif _positive(p50):
        seconds, what = float(p50), f"measured p50 answer time {p50:.2f} s (no mean stored)"
    else:
        return None
    rate, hardware = hourly_rate(measured, rates)
    return seconds * rate / SECONDS_PER_HOUR, f"{what} on {hardware} at {usd(rate)}/h"


def per_query_tokens(measured: dict[str, Any], rates: CostRates) -> tuple[float, str] | None:
    """USD per answer from measured tokens × the team's per-token prices (stand-in runs).

    A stand-in's seconds say nothing about the team's hardware, but how many tokens an
    approach sends and receives per query carries over: a few-shot prompt stays long.
    """
    prompt = measured.get("prompt_tokens_mean") or measured.get("prompt_tokens_p50")
    completion = measured.get("completion_tokens_mean") or measured.get("completion_tokens_p50")
    if not _positive(prompt):
        return None
    completion = float(completion) if _positive(completion) else 0.0
    p_rate, c_rate = rates.prompt_usd_per_million_tokens, rates.completion_usd_per_million_tokens
    cost = (float(prompt) * p_rate + completion * c_rate) / 1_000_000
    basis = (
        f"measured {prompt:,.0f} prompt + {completion:,.0f} generated tokens a query at your "
        f"{usd(p_rate)} / {usd(c_rate)} per million"
    )
    return cost, basis


def team_examples(profile: Profile) -> tuple[int, int, str]:
    """(low, high) examples the team would train on, and how that count is known."""
    n = profile.labeled_examples
    if n > 0:
        return n, n, f"your {n:,} examples"
    low, high = FINETUNE_EXAMPLES
    return low, high, f"{low:,}-{high:,} examples (guidance; you have none yet)"


def training(name: str, run: Evidence, profile: Profile, rates: CostRates = CostRates()) -> Figure:
    """Compute for one full training run on the team's examples, from the trial's seconds.

    Scaled linearly: seconds per example stay the same at the same settings. A run its
    time budget cut short is first scaled up to all of its planned steps. A rag+lora
    trial reuses the LoRA trial's adapter, so it reads that trial's numbers.
    """
    if run.packaged:
        low_h, high_h = LORA_RUN_GPU_HOURS
        rate = rates.gpu_hour_usd
        basis = (
            f"one training run of {low_h}-{high_h} GPU hours at {usd(rate)}/h (the plan's "
            "range: CPU seconds on the stand-in do not scale to your model)"
        )
        return Figure(low_h * rate, high_h * rate, basis)
    measured = run.measures[name]
    if not _positive(measured.get("train_examples")) and "lora" in run.measures:
        measured = run.measures["lora"]
    seconds, examples = measured.get("train_seconds"), measured.get("train_examples")
    if not (_positive(seconds) and _positive(examples)):
        return unknown("the trial stored no training time and example count")
    full, cut = float(seconds), ""
    steps, planned = measured.get("steps"), measured.get("planned_steps")
    if _positive(steps) and _positive(planned) and steps < planned:
        full, cut = full * planned / steps, f" ({steps} of {planned} planned steps)"
    rate, hardware = hourly_rate(measured, rates)
    low_n, high_n, who = team_examples(profile)
    per_example_hours = full / examples / SECONDS_PER_HOUR
    basis = (
        f"measured {seconds:,.0f} s training on {examples:,} examples{cut} on {hardware}, "
        f"scaled to {who} at {usd(rate)}/h"
    )
    return Figure(low_n * per_example_hours * rate, high_n * per_example_hours * rate, basis)


def curation(profile: Profile, rates: CostRates = CostRates()) -> Figure:
    """Expert review of the training examples, at the guidance's minutes per example."""
    if profile.examples_reviewed:
        return exact(0.0, "your examples are already expert-reviewed")
    rate = rates.expert_hour_usd
    low_min, high_min = CURATION_MINUTES_PER_EXAMPLE
    low_n, high_n, who = team_examples(profile)
    basis = f"expert review of {who} at {low_min}-{high_min} min each, {usd(rate)}/h"
    return Figure(low_n * low_min / 60 * rate, high_n * high_min / 60 * rate, basis)


def _one_off(name: str, train: Figure | None, profile: Profile, rates: CostRates) -> Figure:
    if train is not None:
        return total(train, curation(profile, rates))
    if name in RETRIEVAL_TRIALS:
        return unknown("building the index was not measured by the trial")
    return exact(0.0, "nothing to train or curate")


def _upkeep(name: str, train: Figure | None, rates: CostRates) -> Figure:
    """Per base-model update: an adapter is re-trained and reviewed; the rest is re-tested."""
    updates = rates.base_model_updates_per_year
    if train is None:
        rebuild = "no re-index, " if name in RETRIEVAL_TRIALS else ""
        return exact(0.0, f"a new base model needs {rebuild}only a re-run of the held-out set")
    if not train.known:
        return unknown(train.basis)
    rate = rates.expert_hour_usd
    low_h, high_h = REVIEW_ROUND_HOURS
    low = updates * (train.low + low_h * rate)  # type: ignore[operator]
    high = updates * (train.high + high_h * rate)  # type: ignore[operator]
    basis = (
        f"{updates:g} base-model updates a year × (re-training {money(train)} + one "
        f"{low_h}-{high_h} h expert review round at {usd(rate)}/h)"
    )
    return Figure(low, high, basis)


def _notes(run: Evidence, rates: CostRates) -> tuple[str, ...]:
    a = rates
    rates = RATES_NOTE.format(
        cpu=usd(a.cpu_serving_hour_usd), gpu=usd(a.gpu_serving_hour_usd),
        expert=usd(a.expert_hour_usd), updates=a.base_model_updates_per_year,
    )  # fmt: skip
    if run.packaged:
        return (PACKAGED_NOTE.format(model=run.model or "the packaged model"), rates)
    return (rates,)


def _positive(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value > 0
