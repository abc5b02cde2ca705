"""A cost figure with its basis: (low, high) USD, or unknown, and where it comes from.

Why ranges: measured seconds give one number, but the guidance gives ranges (5-10
expert minutes per example, 8-16 hour review rounds), and a single midpoint would
claim a precision nobody has. Why an explicit unknown: a cost that was not measured
must read "unknown" with its reason, never silently as $0.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Figure:
    low: float | None  # None = unknown (then `basis` says why)
    high: float | None
    basis: str

    @property
    def known(self) -> bool:
        return self.low is not None and self.high is not None

    def to_dict(self) -> dict[str, Any]:
        return {"low": self.low, "high": self.high, "basis": self.basis}


def exact(value: float, basis: str) -> Figure:
    return Figure(value, value, basis)


def unknown(basis: str) -> Figure:
    return Figure(None, None, basis)


def total(*parts: Figure) -> Figure:
    """The sum of figures; unknown when any part is (a partial sum would understate)."""
    basis = "; ".join(p.basis for p in parts)
    if not all(p.known for p in parts):
        return unknown(basis)
    low = sum(p.low for p in parts)  # type: ignore[misc]
    high = sum(p.high for p in parts)  # type: ignore[misc]
    return Figure(low, high, basis)


def usd(value: float) -> str:
    """Dollars as a reader wants them: whole above $100, cents below, "<$0.01" for dust."""
    if value == 0:
        return "$0"
    if abs(value) >= 100:
        return f"${value:,.0f}"
    if abs(value) >= 0.01:
        return f"${value:,.2f}"
    return "<$0.01"


def money(figure: Figure) -> str:
    """ "$1,200", "$1,200–$2,400" or "unknown"."""
    if not figure.known:
        return "unknown"
    low, high = usd(figure.low), usd(figure.high)  # type: ignore[arg-type]
    return low if low == high else f"{low}–{high}"


def count(value: float) -> str:
    """A query volume in short form: 950, 12,000, 480k, 4.8M."""
    if value >= 1_000_000:
        return f"{value / 1_000_000:.3g}M"
    if value >= 100_000:
        return f"{value / 1000:.0f}k"
    return f"{value:,.0f}"


@dataclass(frozen=True)
class CostLine:
    """One approach: serving per query and per month, one-off cost, yearly upkeep."""

    approach: str
    per_query_usd: float | None  # None when the trial stored no answer time
    monthly_serving: Figure
    one_off: Figure
    yearly_upkeep: Figure

    def to_dict(self) -> dict[str, Any]:
        return {
            "approach": self.approach,
            "per_query_usd": self.per_query_usd,
            "monthly_serving": self.monthly_serving.to_dict(),
            "one_off": self.one_off.to_dict(),
            "yearly_upkeep": self.yearly_upkeep.to_dict(),
        }
