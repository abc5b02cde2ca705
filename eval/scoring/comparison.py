"""Paired comparisons of approaches, as stored with every run and read by the advice.

`compare` measures every pair of approaches that scored the same items: the exact test
and interval that fit the scores (`eval.scoring.stats`), Holm's correction within each
family of pairs read together, the verdict (`eval.scoring.verdict.rule`) and the items
that would find a difference of the run's margin (`eval.scoring.power`). `Comparison`
is one stored row; rows stored before this rule existed read with safe defaults.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any

import numpy as np

from eval.scoring.intervals import bca_interval, tango_interval
from eval.scoring.power import items_for_difference, items_range, power_at
from eval.scoring.stats import (
    discordant,
    is_binary,
    mcnemar_exact_p,
    paired_diffs,
    sign_flip_pvalue,
)
from eval.scoring.verdict import FLIP, MARGIN, holm, rule

__all__ = ["Comparison", "compare", "measure", "read_together", "signed", "span"]

EXACT_MCNEMAR, SIGN_FLIP = "exact McNemar", "sign-flip"
TANGO, BCA, PERCENTILE = "Tango score", "BCa bootstrap", "percentile bootstrap"


@dataclass(frozen=True)
class Comparison:
    """One pair of approaches on one metric; `delta` and `ci95` are a minus b.

    `stored` is False for a run recorded before comparisons existed: then nothing but
    "inconclusive, unknown size" may be read from it. `items_needed` finds a difference
    of `margin` with 80% power at the observed spread; `items_range` from both ends of
    the spread's interval; `power` is that of these n items. `family` is how many pairs
    Holm's correction counted (`p_adjusted`).
    """

    a: str
    b: str
    metric: str
    n: int
    delta: float
    ci95: tuple[float, float]
    p_value: float
    verdict: str
    items_needed: int | None
    stored: bool = True
    p_adjusted: float | None = None  # None: not corrected (read as p_value)
    family: int = 1
    margin: float = 0.0  # 0: stored before margins existed (never "equivalent")
    test: str = ""
    interval: str = ""
    items_range: tuple[int, int] | None = None
    power: float | None = None
    mean_a: float | None = None
    mean_b: float | None = None
    differing: int | None = None  # items the two scored differently; None: not stored

    @property
    def identical(self) -> bool:
        """Did both score the same on every item, so there is no difference to test?

        Rows stored before `differing` was counted still tell when the means sit at the
        floor or the ceiling (headline scores lie in 0..1), or when the interval is a point.
        """
        if self.n <= 0:
            return False
        if self.differing is not None:
            return self.differing == 0
        at_edge = self.mean_a is not None and self.mean_a == self.mean_b in (0.0, 1.0)
        return at_edge or (self.delta == 0 and self.ci95 == (0.0, 0.0))

    def same_scores(self) -> str:
        """What happened when nothing differs, said instead of an interval and a verdict;
        "" when the two differ on some item.

        >>> Comparison("a", "b", "m", 20, 0.0, (-0.16, 0.16), 1.0, "inconclusive", None,
        ...            mean_a=0.0, mean_b=0.0, differing=0).same_scores()
        'both scored 0.00 on every item — no difference to test'
        """
        if not self.identical:
            return ""
        if self.mean_a is not None and self.mean_a == self.mean_b in (0.0, 1.0):
            return f"both scored {self.mean_a:.2f} on every item — no difference to test"
        return "both scored the same on every item — no difference to test"

    @property
    def p_holm(self) -> float:
        return self.p_value if self.p_adjusted is None else self.p_adjusted

    def to_dict(self) -> dict[str, Any]:
        row = asdict(self)
        row["ci95"] = list(self.ci95)
        row["p_adjusted"] = self.p_holm
        row["items_range"] = list(self.items_range) if self.items_range else None
        del row["stored"]
        return row

    @classmethod
    def from_dict(cls, row: dict[str, Any]) -> Comparison:
        """A stored comparison row (`compare` in the CLI JSON and DuckDB).

        A row stored before this rule (no `margin`) had its verdict from a bootstrap
        interval alone and its items from the observed gap; it is read again by today's
        rule (its p-value and interval must agree, no equivalence) without those items.
        """
        low, high = row.get("ci95") or (0.0, 0.0)
        span = row.get("items_range")
        current = "margin" in row
        needed = row.get("items_needed") if current else None
        found = cls(
            a=str(row["a"]), b=str(row["b"]), metric=str(row.get("metric", "")),
            n=int(row.get("n") or 0), delta=float(row.get("delta") or 0.0),
            ci95=(float(low), float(high)), p_value=float(row.get("p_value", 1.0)),
            verdict=str(row["verdict"]), items_needed=int(needed) if needed else None,
            p_adjusted=_number(row.get("p_adjusted")), family=int(row.get("family") or 1),
            margin=float(row.get("margin") or 0.0), test=str(row.get("test") or ""),
            interval=str(row.get("interval") or ("" if current else PERCENTILE)),
            items_range=(int(span[0]), int(span[1])) if span else None,
            power=_number(row.get("power")), mean_a=_number(row.get("mean_a")),
            mean_b=_number(row.get("mean_b")),
            differing=None if row.get("differing") is None else int(row["differing"]),
        )  # fmt: skip
        return found if current else found.reread(found.p_value, 1)

    def reread(self, p_adjusted: float, family: int) -> Comparison:
        """The same measurement read within a family of `family` pairs."""
        verdict = rule(self.ci95, p_adjusted, self.margin)
        return replace(self, p_adjusted=p_adjusted, family=family, verdict=verdict)

    def flipped(self) -> Comparison:
        """The same comparison read as b minus a."""
        low, high = self.ci95
        return replace(  # 0.0 - x, not -x: no "-0.00" in sentences
            self, a=self.b, b=self.a, delta=0.0 - self.delta, ci95=(0.0 - high, 0.0 - low),
            verdict=FLIP[self.verdict], mean_a=self.mean_b, mean_b=self.mean_a,
        )  # fmt: skip

    def winner_first(self) -> Comparison:
        """Read so a clear winner is named first ("worse" turned into "better")."""
        return self.flipped() if self.verdict == "worse" else self

    def p_text(self) -> str:
        """The p-value as shown next to every verdict, with Holm's correction when it applied.

        >>> Comparison("a", "b", "m", 60, 0.2, (0.1, 0.3), 0.0386, "better", None).p_text()
        'p = 0.039'
        >>> Comparison("a", "b", "m", 60, 0.2, (0.1, 0.3), 0.0386, "inconclusive", None,
        ...            p_adjusted=0.0771, family=2).p_text()
        'p = 0.039 (0.077 after Holm over 2 pairs)'
        """
        text = f"p = {_p(self.p_value)}"
        if self.family > 1:
            text += f" ({_p(self.p_holm)} after Holm over {self.family} pairs)"
        return text.replace("= <", "<")

    @property
    def extend_by(self) -> tuple[int, int] | None:
        """Held-out items to add so a difference of the margin would be found (a range).

        >>> Comparison("a", "b", "m", 30, 0.1, (-0.1, 0.3), 0.5, "inconclusive", 942,
        ...            margin=0.05, items_range=(524, 1504)).extend_by
        (494, 1474)
        """
        if not self.n or not (self.items_range or self.items_needed):
            return None
        few, many = self.items_range or (self.items_needed, self.items_needed)
        return max(few - self.n, 1), max(many - self.n, 1)


def signed(value: float) -> str:
    """A difference with its sign, never "-0.00": a tiny one gets a third decimal.

    >>> signed(0.25), signed(-0.0047), signed(-0.0001), signed(0.0)
    ('+0.25', '-0.005', '+0.00', '+0.00')
    """
    text = f"{value:+.2f}"
    if text in ("+0.00", "-0.00"):
        text = f"{value:+.3f}" if abs(value) >= 0.0005 else "+0.00"
    return text


def span(low: int, high: int) -> str:
    """'524 to 1,504', or one number when both ends agree."""
    return f"{low:,}" if low == high else f"{low:,} to {high:,}"


def _p(value: float) -> str:
    return "< 0.001" if value < 0.001 else f"{value:.3f}"


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


def measure(a: str, b: str, sa: Sequence[float], sb: Sequence[float], metric: str, *,
            margin: float = MARGIN, seed: int = 0) -> Comparison:  # fmt: skip
    """One pair, uncorrected: McNemar + Tango for 0/1 scores, sign-flip + BCa otherwise.

    Example: 4 wins, 0 losses among 30 items -> p = 0.125 -> inconclusive, although the
    interval (+0.005 to +0.297) leaves out zero: test and interval must agree.
    """
    n = len(sa)
    diffs = paired_diffs(sa, sb)
    if is_binary(sa, sb):
        wins, losses = discordant(sa, sb)
        p, test = mcnemar_exact_p(wins, losses), EXACT_MCNEMAR
        ci, interval = tango_interval(wins, losses, n), TANGO
    else:
        p, test = sign_flip_pvalue(sa, sb, seed=seed), SIGN_FLIP
        ci, interval = bca_interval(diffs, seed=seed), BCA
    spread = float(np.mean(np.square(diffs))) if n else 0.0
    return Comparison(
        a, b, metric, n, round(float(np.mean(diffs)), 4) if n else 0.0, ci, p,
        rule(ci, p, margin), items_for_difference(margin, spread), margin=margin, test=test,
        interval=interval, items_range=items_range(margin, spread, n),
        power=power_at(n, margin, spread), mean_a=_mean(sa), mean_b=_mean(sb),
        differing=int(np.count_nonzero(np.abs(diffs) > 1e-12)) if n else 0,
    )  # fmt: skip


def _mean(scores: Sequence[float]) -> float:
    return round(float(np.mean(scores)), 4) if len(scores) else 0.0


def read_together(family: Sequence[Comparison]) -> list[Comparison]:
    """The pairs one decision reads, each re-read with Holm's correction over all of them.

    >>> pairs = [Comparison("l", "f", "m", 60, 0.2, (0.1, 0.3), 0.03, "better", None),
    ...          Comparison("l", "r", "m", 60, 0.2, (0.1, 0.3), 0.02, "better", None)]
    >>> [(c.p_holm, c.verdict) for c in read_together(pairs)]
    [(0.04, 'better'), (0.04, 'better')]
    """
    adjusted = holm([c.p_value for c in family])
    return [c.reread(p, len(family)) for c, p in zip(family, adjusted, strict=True)]


def compare(
    scores: dict[str, list[float]], metric: str, *, margin: float = MARGIN, seed: int = 0,
    families: Sequence[Sequence[tuple[str, str]]] = (),
) -> list[Comparison]:  # fmt: skip
    """Every unordered pair of approaches, in dict order (a is the earlier key).

    Pairs whose score lists differ in length did not score the same items, so they
    cannot be paired and are skipped. Each of `families` (pairs a decision reads
    together, fixed before the run) is corrected on its own; every other pair joins one
    family of the rest, so the verdicts shown are corrected too.
    """
    names = list(scores)
    pairs = [
        measure(a, b, scores[a], scores[b], metric, margin=margin, seed=seed)
        for i, a in enumerate(names)
        for b in names[i + 1 :]
        if len(scores[a]) == len(scores[b])
    ]
    groups: dict[int, list[int]] = {}
    for index, pair in enumerate(pairs):
        group = next((k for k, fam in enumerate(families)
                      if any({pair.a, pair.b} == set(p) for p in fam)), len(families))  # fmt: skip
        groups.setdefault(group, []).append(index)
    out = list(pairs)
    for members in groups.values():
        for index, found in zip(members, read_together([pairs[i] for i in members]), strict=True):
            out[index] = found
    return out
