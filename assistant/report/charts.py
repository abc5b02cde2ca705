"""Report charts as PNG bytes: scores, latency and cost per trial.

Figures are built on matplotlib's Agg canvas directly (`Figure` + `FigureCanvasAgg`),
never through pyplot, so nothing touches pyplot's global figure registry or the
process-wide backend: safe from any thread of the web app, and nothing to leak.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from assistant.advice.costs import CostTable
from assistant.advice.money import count
from assistant.report.data import ReportData, scored_trials

# Scores charted per kind of run; the first of each is the headline and gets error bars.
SCORE_KEYS: dict[str, tuple[tuple[str, str], ...]] = {
    "knowledge": (("contains", "contains"), ("em", "EM"), ("f1", "F1"), ("rouge_l", "ROUGE-L")),
    "classification": (("accuracy", "accuracy"), ("macro_f1", "macro-F1"), ("exact_match", "EM")),
    "json": (("field_f1", "field F1"), ("valid_json", "valid JSON"), ("json_exact", "exact"),
             ("schema_match", "schema")),
    "generation": (("rouge_l", "ROUGE-L"), ("token_f1", "token F1"), ("exact_match", "EM")),
}  # fmt: skip
LATENCY_KEYS = (("latency_p50_s", "p50"), ("latency_p95_s", "p95"))
CHART_TITLES = {
    "scores": "Answer quality by trial",
    "latency": "Latency per question by trial",
    "cost": "Estimated cost per 1,000 queries by trial",
}
VOLUME_TITLE = "Monthly cost by query volume (first year)"
VOLUME_POINTS = 50
COLOURS = ("#2b6cb0", "#dd6b20", "#38a169", "#805ad5")
DPI = 144
CHART_SIZE = (6.4, 3.4)  # inches


def build_charts(data: ReportData) -> dict[str, bytes]:
    """{"scores", "latency", "cost"} → PNG bytes; {} without a run or a scored trial."""
    trials = scored_trials(data)
    if not trials:
        return {}
    names = list(trials)
    keys = score_keys(data)
    cost = [[_num(trials[n], "cost_per_1k_queries_usd") for n in names]]
    headline = keys[0][0]
    errors = [_interval(trials[n], headline) for n in names]
    return {
        "scores": _grouped(
            names,
            [[_num(trials[n], key) for n in names] for key, _ in keys],
            [label for _, label in keys],
            CHART_TITLES["scores"],
            "score (0-1); bars: 95% interval",
            ylim=(0.0, 1.0),
            errors=errors,
        ),
        "latency": _grouped(
            names,
            [[_num(trials[n], key) for n in names] for key, _ in LATENCY_KEYS],
            [label for _, label in LATENCY_KEYS],
            CHART_TITLES["latency"],
            "seconds",
        ),
        "cost": _grouped(names, cost, [], CHART_TITLES["cost"], "USD per 1,000 queries"),
    }


def score_keys(data: ReportData) -> tuple[tuple[str, str], ...]:
    """The scores that fit the run: knowledge metrics, or the behaviour task's own."""
    info = data.run_info
    kind = info.get("task") if info.get("kind") == "behaviour" else "knowledge"
    return SCORE_KEYS.get(kind or "knowledge", SCORE_KEYS["knowledge"])


def _interval(summary: dict, key: str) -> tuple[float, float] | None:
    """(below, above) distances from the mean to its 95% interval, for an error bar."""
    bounds = (summary.get("ci95") or {}).get(key)
    mean = summary.get(key)
    if not bounds or not isinstance(mean, int | float):
        return None
    return max(0.0, mean - bounds[0]), max(0.0, bounds[1] - mean)


def _num(summary: dict, key: str) -> float:
    value = summary.get(key)
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0


def _label(text: str) -> str:
    """Plain text for matplotlib: a `$` would otherwise start mathtext."""
    return str(text).replace("$", r"\$")


def _grouped(
    names: Sequence[str],
    series: Sequence[Sequence[float]],
    labels: Sequence[str],
    title: str,
    ylabel: str,
    ylim: tuple[float, float] | None = None,
    errors: Sequence[tuple[float, float] | None] = (),
) -> bytes:
    """Grouped bars: one group per trial, one bar per series; value printed on each bar.

    `errors` (one per trial) draws the first series' 95% interval as an error bar, so a
    gap that the data cannot support is visibly inside the whiskers.
    """
    fig = Figure(figsize=CHART_SIZE, dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    width = (0.8 if len(series) > 1 else 0.5) / len(series)
    for i, values in enumerate(series):
        offsets = [x + (i - (len(series) - 1) / 2) * width for x in range(len(names))]
        label = labels[i] if labels else None
        yerr = _yerr(errors) if i == 0 and any(errors) else None
        bars = ax.bar(
            offsets, values, width, label=label, color=COLOURS[i % len(COLOURS)],
            yerr=yerr, capsize=3, error_kw={"elinewidth": 0.8, "ecolor": "#333333"},
        )  # fmt: skip
        ax.bar_label(bars, fmt=_bar_format(values), fontsize=7, padding=2)
    ax.set_xticks(range(len(names)), [_label(n) for n in names])
    ax.set_title(title, fontsize=11)
    ax.set_ylabel(ylabel, fontsize=9)
    ax.tick_params(labelsize=9)
    ax.spines[["top", "right"]].set_visible(False)
    ax.margins(y=0.15)
    if ylim is not None:
        ax.set_ylim(ylim[0], ylim[1] * 1.08)
    if labels:
        fig.legend(fontsize=8, ncols=len(labels), loc="outside lower center", frameon=False)
    return _png(fig)


def volume_chart(costs: CostTable) -> bytes | None:
    """One line per approach: serving at each volume plus a twelfth of its fixed costs.

    The band is the fixed costs' range (curation and review hours); the dashed line is
    the team's own volume. Separate from `build_charts`, whose three charts the Trials
    tab shows one per slot. None when the table has nothing priced.
    """
    lines = [line for line in costs.lines if line.per_query_usd is not None]
    if not lines or not costs.monthly_queries:
        return None
    edges = [costs.monthly_queries * 2.0]
    edges += [(b.queries.high or 0.0) * 1.2 for b in costs.break_even]  # show the crossing
    volumes = [max(edges) * i / (VOLUME_POINTS - 1) for i in range(VOLUME_POINTS)]
    fig = Figure(figsize=CHART_SIZE, dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    for i, line in enumerate(lines):
        fixed = [line.one_off, line.yearly_upkeep]
        known = all(f.known for f in fixed)
        low = sum(f.low or 0.0 for f in fixed if f.known) / 12
        high = sum(f.high or 0.0 for f in fixed if f.known) / 12
        colour = COLOURS[i % len(COLOURS)]
        label = line.approach if known else f"{line.approach} (one-off unknown)"
        ys = [low + v * line.per_query_usd for v in volumes]  # type: ignore[operator]
        ax.plot(volumes, ys, color=colour, label=_label(label), linewidth=1.6)
        if high > low:
            top = [high + v * line.per_query_usd for v in volumes]  # type: ignore[operator]
            ax.fill_between(volumes, ys, top, color=colour, alpha=0.15, linewidth=0)
    ax.axvline(costs.monthly_queries, color="#555555", linestyle="--", linewidth=0.9)
    ax.xaxis.set_major_formatter(lambda v, _pos: count(v))
    ax.yaxis.set_major_formatter(lambda v, _pos: _label(f"${v:,.0f}"))
    ax.set_title(VOLUME_TITLE, fontsize=11)
    ax.set_xlabel("queries a month (dashed: yours)", fontsize=9)
    ax.set_ylabel("USD a month", fontsize=9)
    ax.tick_params(labelsize=9)
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_xlim(0, volumes[-1])
    ax.set_ylim(bottom=0)
    fig.legend(fontsize=8, ncols=min(len(lines), 4), loc="outside lower center", frameon=False)
    return _png(fig)


def _yerr(errors: Sequence[tuple[float, float] | None]) -> list[list[float]]:
    """matplotlib's 2×N (below, above) error array; no interval draws no whisker."""
    pairs = [e or (0.0, 0.0) for e in errors]
    return [[p[0] for p in pairs], [p[1] for p in pairs]]


def _bar_format(values: Sequence[float]) -> str:
    top = max(values, default=0.0)
    return "%.2f" if top >= 0.1 or top == 0 else "%.4f"


def _png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    try:
        fig.savefig(buffer, format="png", metadata={"Software": None})
    finally:
        fig.clear()  # drop the artists now; the figure itself was never registered
    return buffer.getvalue()
