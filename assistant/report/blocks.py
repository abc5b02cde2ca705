"""The report as a list of plain blocks (headings, paragraphs, lists, tables, charts).

Sections build blocks from raw, unescaped text; each renderer escapes for its own format
in one place. That split is what keeps user text (profile answers, questions, model
answers, file names, errors) from ever reaching HTML or Markdown unescaped.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Heading:
    level: int  # 1 = report title, 2 = section, 3 = subsection
    text: str


@dataclass(frozen=True)
class Para:
    text: str
    style: str = ""  # "", "lead" (emphasised), "label" (bold), "note" (muted), "alert"


@dataclass(frozen=True)
class Item:
    text: str
    cite: str = ""  # "file — heading" of the guidance note behind the sentence


@dataclass(frozen=True)
class Bullets:
    items: tuple[Item, ...]
    ordered: bool = False


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...] = ()  # relative column widths (PDF); empty = equal


@dataclass(frozen=True)
class Chart:
    png: bytes
    title: str


Block = Heading | Para | Bullets | Table | Chart


def bullets(texts: list[str] | tuple[str, ...], ordered: bool = False) -> Bullets:
    return Bullets(tuple(Item(t) for t in texts), ordered)


def table(header: tuple[str, ...], rows: list[list[str]], widths: tuple[float, ...] = ()) -> Table:
    return Table(header, tuple(tuple(r) for r in rows), widths)


def cite(source: str, heading: str) -> str:
    return f"{source} — {heading}"


# -- number formatting shared by every section ---------------------------------------------


def is_num(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def score(value: Any) -> str:
    return f"{value:.3f}" if is_num(value) else "—"


def pct(value: Any, digits: int = 0) -> str:
    return f"{value:.{digits}%}" if is_num(value) else "—"


def seconds(value: Any) -> str:
    return f"{value:.2f} s" if is_num(value) else "—"


def usd(value: Any) -> str:
    if not is_num(value):
        return "—"
    return f"${value:,.0f}" if abs(value) >= 100 else f"${value:,.4g}"


def usd_range(low: float, high: float) -> str:
    return f"${low:,.0f}–${high:,.0f}"


def num_range(low: float, high: float, unit: str) -> str:
    return f"{low:g}–{high:g} {unit}" if low != high else f"{low:g} {unit}"


def plain(value: Any) -> str:
    """Any settings/model value as short text."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {plain(v)}" for k, v in value.items()) or "—"
    if isinstance(value, list | tuple):
        return ", ".join(plain(v) for v in value) or "—"
    return str(value)
