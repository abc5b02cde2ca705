"""When a LoRA's cheaper serving pays back its one-off cost and upkeep, if ever.

An adapter can answer with a short prompt where few-shot prompting or retrieval sends a
long one, so each query may cost less; training, curation and re-training at every
base-model update cost more. The break-even is the monthly volume at which a year of
per-query savings covers that extra: (adapter one-off + a year's upkeep − the
baseline's) / (12 × saving per query). It is compared against the best-scoring approach
without an adapter, because that is what the team would run instead. When the adapter
is not cheaper per query it never pays back (None), whatever the volume.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from assistant.advice.evidence import Evidence
from assistant.advice.money import CostLine, Figure, count, money, unknown, usd
from eval.kinds import ADAPTER_TRIALS, TRIAL_LABELS

MONTHS = 12
PER_MILLION = 1_000_000
PAYS = (
    "{a} pays back against {b} from about {volume} queries a month: its one-off cost and a "
    "year's upkeep ({fixed} more) come back through serving {saving} cheaper per million "
    "queries. At your {yours} a month it {verdict}."
)
RANGE = (
    "On the stand-in's token counts and your per-token prices, {a} would pay back against {b} "
    "from about {volume} queries a month (one-off cost and a year's upkeep of {fixed}, "
    "recovered by serving {saving} cheaper per million queries). That is a range on stated "
    "assumptions, not a verdict: a break-even is stated only for a run on your own model."
)
VERDICTS = {
    "yes": "pays back within the first year",
    "no": "does not pay back within the first year",
    "maybe": "pays back only if costs land at the low end of their ranges",
}
NEVER = (
    "{a} never pays back against {b}: it costs {pa} per million queries against {pb}, "
    "so there is no serving saving to recover its one-off cost and upkeep."
)
UNKNOWN = "Whether {a} pays back against {b} is unknown: {reason}."
NOT_COUNTED = " {b}'s own one-off cost is not subtracted: {reason}."
QUALITY = " On quality, {a} vs {b}: {verdict} on {metric} ({p})."
ENGINES = " The adapter ran on {ea} and {b} on {eb}, so part of the speed gap is the engine"
TOKENS = " (prompt tokens p50: {ta:,.0f} vs {tb:,.0f})"


@dataclass(frozen=True)
class BreakEven:
    adapter: str
    baseline: str
    queries: Figure  # monthly volume (low, high); unknown when it never pays back
    sentence: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "adapter": self.adapter,
            "baseline": self.baseline,
            "queries_per_month": self.queries.to_dict(),
            "sentence": self.sentence,
        }


def break_evens(lines: Sequence[CostLine], run: Evidence, volume: int) -> tuple[BreakEven, ...]:
    """One break-even per adapter trial against the best approach without an adapter."""
    base = baseline(lines, run)
    if base is None:
        return ()
    return tuple(
        _break_even(line, base, run, volume)
        for line in lines
        if line.approach in ADAPTER_TRIALS and line.per_query_usd is not None
    )


def baseline(lines: Sequence[CostLine], run: Evidence) -> CostLine | None:
    """The best-scoring priced approach without an adapter; the cheaper one on a tie."""
    options = [
        line
        for line in lines
        if line.approach not in ADAPTER_TRIALS and line.per_query_usd is not None
    ]
    if not options:
        return None
    return max(options, key=lambda ln: (run.scores.get(ln.approach, -1.0), -ln.per_query_usd))


def _break_even(adapter: CostLine, base: CostLine, run: Evidence, volume: int) -> BreakEven:
    names = {"a": label(adapter.approach, first=True), "b": label(base.approach)}
    saving = base.per_query_usd - adapter.per_query_usd  # type: ignore[operator]
    extra = _extra_fixed(adapter, base)
    if saving <= 0:
        per = {"pa": usd(adapter.per_query_usd * PER_MILLION)}  # type: ignore[operator]
        per["pb"] = usd(base.per_query_usd * PER_MILLION)  # type: ignore[operator]
        queries, text = unknown("no serving saving"), NEVER.format(**names, **per)
    elif not extra.known:
        queries, text = extra, UNKNOWN.format(**names, reason=extra.basis)
    else:
        queries = _queries(extra, saving)
        text = (RANGE if run.packaged else PAYS).format(
            **names, volume=_span(queries), fixed=money(extra),
            saving=usd(saving * PER_MILLION), yours=count(volume),
            verdict=VERDICTS[_verdict(queries, volume)],
        )  # fmt: skip
    if extra.known and saving > 0 and not base.one_off.known:
        text += NOT_COUNTED.format(b=label(base.approach, first=True), reason=base.one_off.basis)
    text += _quality(run, adapter.approach, base.approach) + _engines(run, adapter, base)
    return BreakEven(adapter.approach, base.approach, queries, text)


def _extra_fixed(adapter: CostLine, base: CostLine) -> Figure:
    """The adapter's one-off + a year's upkeep, minus the baseline's where it is known."""
    parts = (adapter.one_off, adapter.yearly_upkeep)
    missing = [p.basis for p in parts if not p.known]
    if missing:
        return unknown(missing[0])
    own = [(f.low or 0.0) if f.known else 0.0 for f in (base.one_off, base.yearly_upkeep)]
    low = sum(p.low for p in parts) - sum(own)  # type: ignore[misc]
    high = sum(p.high for p in parts) - sum(own)  # type: ignore[misc]
    return Figure(max(low, 0.0), max(high, 0.0), "one-off + one year's upkeep")


def _queries(extra: Figure, saving: float) -> Figure:
    per_month = MONTHS * saving
    # Rounded before the ceiling so float dust (4,800,600.000001) does not add a query.
    low = math.ceil(round(extra.low / per_month, 6))  # type: ignore[operator]
    high = math.ceil(round(extra.high / per_month, 6))  # type: ignore[operator]
    return Figure(low, high, f"({money(extra)}) / (12 × {usd(saving * PER_MILLION)} per 1M)")


def _verdict(queries: Figure, volume: int) -> str:
    if volume >= queries.high:  # type: ignore[operator]
        return "yes"
    return "no" if volume < queries.low else "maybe"  # type: ignore[operator]


def _span(queries: Figure) -> str:
    low, high = count(queries.low), count(queries.high)  # type: ignore[arg-type]
    return low if low == high else f"{low}–{high}"


def _quality(run: Evidence, adapter: str, base: str) -> str:
    compared = run.compared(adapter, base)
    if compared is None or not compared.stored:  # no verdict stored: say nothing
        return ""
    return QUALITY.format(
        a=label(adapter), b=label(base), verdict=compared.verdict, metric=compared.metric,
        p=compared.p_text(),
    )  # fmt: skip


def _engines(run: Evidence, adapter: CostLine, base: CostLine) -> str:
    a, b = run.measures[adapter.approach], run.measures[base.approach]
    if not a.get("engine") or not b.get("engine") or a["engine"] == b["engine"]:
        return ""
    text = ENGINES.format(ea=a["engine"], eb=b["engine"], b=label(base.approach))
    ta, tb = a.get("prompt_tokens_p50"), b.get("prompt_tokens_p50")
    if isinstance(ta, int | float) and isinstance(tb, int | float):
        text += TOKENS.format(ta=ta, tb=tb)  # the engine-free part of the difference
    return text + "."


def label(approach: str, first: bool = False) -> str:
    """A trial's name in a sentence ("the LoRA adapter"); capitalised to start one."""
    text = TRIAL_LABELS.get(approach, approach)
    return text[:1].upper() + text[1:] if first else text
