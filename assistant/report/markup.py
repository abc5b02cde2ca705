"""The downloadable report: Markdown, self-contained HTML and PDF from one `ReportData`.

    data = build_report_data(profile, store, run_id)
    render(data, "html")  # -> bytes; RENDERERS lists the formats

All three formats render the same blocks (`assistant.report.sections`); this module only
turns blocks into text. Every piece of text is escaped here, at the last moment, so user
text can never inject markup: HTML through `html.escape`, Markdown through `md_escape`.
"""

from __future__ import annotations

import base64
import html
import re

from assistant.report.blocks import Block, Bullets, Chart, Heading, Item, Para, Table
from assistant.report.charts import build_charts
from assistant.report.data import ReportData
from assistant.report.sections import TITLE, approach_label, report_blocks

# Backslash escapes (CommonMark: any ASCII punctuation) keep the file readable as plain
# text: "R&D <team>" stays "R&D \<team\>", never "R&amp;D &lt;team&gt;".
_MD_CHARS = str.maketrans({c: "\\" + c for c in "\\`*_[]|~<>"} | {"\r": ""})
# "&" is only special when it starts an entity ("&amp;", "&#58;"): escape just those.
_MD_ENTITY = re.compile(r"&(?=#?\w+;)")
# At a line start: "#" (heading), "- " / "+ " (list), "---" / "===" (rule or underline),
# "1. " (numbered list). Numbers such as "-5" or "0.41" are left alone.
_MD_LEADING = re.compile(r"^(\s*)(#|[+=-](?=\s|$|[=-]*\s*$))")
_MD_ORDERED = re.compile(r"^(\s*\d+)([.)])(?=\s|$)")


def blocks(data: ReportData) -> list[Block]:
    return report_blocks(data, build_charts(data))


# -- Markdown --------------------------------------------------------------------------


def md_escape(text: object, *, cell: bool = False) -> str:
    """Text that Markdown shows literally: no HTML, code, emphasis, links, tables or headings.

    In a table cell (`cell=True`) list markers are inert, so "1. Phase" stays as typed.
    """
    lines = _MD_ENTITY.sub(r"\\&", str(text).translate(_MD_CHARS)).split("\n")
    lines = [_MD_LEADING.sub(r"\1\\\2", line) for line in lines]
    if cell:  # a table row is one line: line breaks inside a cell become "; "
        return "; ".join(line.strip() for line in lines if line.strip())
    lines = [_MD_ORDERED.sub(r"\1\\\2", line) for line in lines]
    return "\\\n".join(lines)  # a backslash at the end of a line is a hard break


def render_markdown(data: ReportData) -> str:
    return "\n\n".join(_md_block(b) for b in blocks(data)) + "\n"


def _md_block(block: Block) -> str:
    if isinstance(block, Heading):
        return "#" * block.level + " " + md_escape(block.text)
    if isinstance(block, Para):
        text = md_escape(block.text)
        wrap = {"lead": "**{}**", "label": "**{}**", "note": "_{}_", "alert": "> **Note:** {}"}
        return wrap.get(block.style, "{}").format(text)
    if isinstance(block, Bullets):
        return "\n".join(_md_item(i, item, block.ordered) for i, item in enumerate(block.items, 1))
    if isinstance(block, Table):
        rule = "|" + "---|" * len(block.header)
        return "\n".join([_md_row(block.header), rule, *(_md_row(r) for r in block.rows)])
    if isinstance(block, Chart):
        return f"![{md_escape(block.title)}]({_data_uri(block.png)})"
    raise TypeError(f"not a report block: {block!r}")


def _md_item(i: int, item: Item, ordered: bool) -> str:
    marker = f"{i}." if ordered else "-"
    cite = f" _({md_escape(item.cite)})_" if item.cite else ""
    return f"{marker} {md_escape(item.text)}{cite}"


def _md_row(cells: tuple[str, ...]) -> str:
    return "| " + " | ".join(md_escape(c, cell=True) for c in cells) + " |"


# -- HTML ------------------------------------------------------------------------------

CSS = """
:root{--fg:#1a202c;--muted:#5a6473;--accent:#2b6cb0;--line:#d9dee5;--alert:#9b2c2c}
*{box-sizing:border-box}
body{margin:0;font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;
color:var(--fg);background:#f4f6f8}
main{max-width:56rem;margin:0 auto;padding:2rem 1.5rem 4rem;background:#fff}
h1{font-size:1.9rem;margin:0 0 .25rem;line-height:1.2}
h2{font-size:1.35rem;margin:2.2rem 0 .6rem;padding-bottom:.25rem;
border-bottom:2px solid var(--line)}
h3{font-size:1.08rem;margin:1.4rem 0 .4rem}
p{margin:.45rem 0}
p.lead{font-size:1.2rem;font-weight:600;color:var(--accent)}
p.label{font-weight:600;margin:1rem 0 .2rem}
p.note{color:var(--muted)}
p.alert{border-left:4px solid var(--alert);background:#fff5f5;padding:.5rem .75rem;
color:var(--alert)}
li{margin:.25rem 0}
.cite{display:block;font-size:.85rem;color:var(--muted)}
.table{overflow-x:auto;margin:.5rem 0 1rem}
table{border-collapse:collapse;width:100%;font-size:.95rem}
th,td{border:1px solid var(--line);padding:.35rem .55rem;text-align:left;vertical-align:top;
overflow-wrap:anywhere}
th{background:#edf2f7}
tbody tr:nth-child(even) td{background:#fafbfc}
figure{margin:1rem 0}
img{max-width:100%;height:auto;display:block}
figcaption{font-size:.85rem;color:var(--muted)}
@media (max-width:600px){body{font-size:15px}main{padding:1rem .75rem 3rem}h1{font-size:1.5rem}
th,td{padding:.3rem .4rem}}
@media print{body{background:#fff}main{max-width:none;padding:0}h2,h3{break-after:avoid}
figure,tr{break-inside:avoid}}
"""
_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"


def h(text: object) -> str:
    return html.escape(str(text), quote=True).replace("\r", "").replace("\n", "<br>")


def render_html(data: ReportData) -> str:
    title = f"{TITLE}: {approach_label(data.advice.recommendation.approach)}"
    body = "\n".join(_html_block(b) for b in blocks(data))
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">\n'
        f"<title>{h(title)}</title>\n<style>{CSS}</style>\n</head>\n"
        f"<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n"
    )


def _html_block(block: Block) -> str:
    if isinstance(block, Heading):
        anchor = f' id="{_slug(block.text)}"' if block.level == 2 else ""
        return f"<h{block.level}{anchor}>{h(block.text)}</h{block.level}>"
    if isinstance(block, Para):
        css = f' class="{block.style}"' if block.style else ""
        return f"<p{css}>{h(block.text)}</p>"
    if isinstance(block, Bullets):
        tag = "ol" if block.ordered else "ul"
        return f"<{tag}>" + "".join(_html_item(i) for i in block.items) + f"</{tag}>"
    if isinstance(block, Table):
        return _html_table(block)
    if isinstance(block, Chart):
        return (
            f'<figure><img src="{_data_uri(block.png)}" alt="{h(block.title)}">'
            f"<figcaption>{h(block.title)}</figcaption></figure>"
        )
    raise TypeError(f"not a report block: {block!r}")


def _html_item(item: Item) -> str:
    cite = f'<span class="cite">{h(item.cite)}</span>' if item.cite else ""
    return f"<li>{h(item.text)}{cite}</li>"


def _html_table(block: Table) -> str:
    head = "".join(f"<th>{h(c)}</th>" for c in block.header)
    rows = "".join("<tr>" + "".join(f"<td>{h(c)}</td>" for c in r) + "</tr>" for r in block.rows)
    return (
        f'<div class="table"><table><thead><tr>{head}</tr></thead>'
        f"<tbody>{rows}</tbody></table></div>"
    )


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")
