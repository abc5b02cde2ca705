"""Visible text of an HTML page, using only the standard library's html.parser.

Saved web pages carry scripts, styles and metadata that would pollute the index (and
could smuggle markup into answers), so only the text a reader would see is kept,
with block elements turned into line breaks so paragraphs survive chunking.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from knowledge.reading.decode import normalize_text

# Elements whose content is never visible text.
_HIDDEN = frozenset({"script", "style", "noscript", "template", "head", "svg", "iframe", "object"})
_BLOCKS = frozenset(
    {"address", "article", "aside", "blockquote", "caption", "dd", "details", "div", "dl"}
    | {"dt", "fieldset", "figcaption", "figure", "footer", "form", "header", "li", "main"}
    | {"nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "thead", "tfoot"}
    | {"tr", "ul", "h1", "h2", "h3", "h4", "h5", "h6"}
)
_BREAKS = frozenset({"br", "hr"})
_CELLS = frozenset({"td", "th"})
_WHITESPACE = re.compile(r"\s+")
_SPACES = re.compile(r"[ \t\u00a0]+")
_BLANK_LINES = re.compile(r"\n{3,}")


class _TextExtractor(HTMLParser):
    """Collects text outside hidden elements; the <title> is kept even though it is in <head>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)  # entities such as &amp; arrive unescaped
        self.title: list[str] = []
        self.parts: list[str] = []
        self._hidden: list[str] = []
        self._in_title = False
        self._in_pre = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body" and "head" in self._hidden:
            self._close_hidden("head")  # <head> left unclosed: the body is still visible
        if tag == "title":
            self._in_title = set(self._hidden) <= {"head"}  # not an <svg><title>
        elif tag in _HIDDEN:
            self._hidden.append(tag)
        elif tag in _BLOCKS or tag in _BREAKS:
            self.parts.append("\n")
            if tag == "pre":
                self._in_pre += 1
        elif tag in _CELLS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        elif tag in self._hidden:
            self._close_hidden(tag)
        elif tag in _BLOCKS:
            self.parts.append("\n")
            if tag == "pre" and self._in_pre:
                self._in_pre -= 1

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title.append(data)
        elif not self._hidden:
            # Source line breaks are just spaces in HTML, except inside <pre>.
            self.parts.append(data if self._in_pre else _WHITESPACE.sub(" ", data))

    def _close_hidden(self, tag: str) -> None:
        """Pop back to the matching opening tag, tolerating unclosed inner elements."""
        while self._hidden and self._hidden.pop() != tag:
            pass


def html_to_text(html: str) -> str:
    """Title plus visible body text, one line per block element, whitespace collapsed."""
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    title = " ".join("".join(parser.title).split())
    body = "".join(parser.parts)
    lines = [_SPACES.sub(" ", line).strip() for line in normalize_text(body).split("\n")]
    text = _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
    if title and not text.startswith(title):
        text = f"{title}\n\n{text}" if text else title
    return text
