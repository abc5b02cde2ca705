"""Escaping for text the web app shows as Markdown."""

from __future__ import annotations

import html
from typing import Any


def esc(text: Any) -> str:
    """User- or model-supplied text shown in Markdown: HTML-escaped, never markup."""
    return html.escape(str(text), quote=False)
