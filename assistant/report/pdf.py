"""The report as a PDF (fpdf2), with the DejaVu fonts that ship inside matplotlib.

DejaVu covers Latin, Greek and Cyrillic plus the dashes, arrows and bullets the report
uses, so user text in those scripts prints as typed; no font has to be installed.
"""

from __future__ import annotations

import io
import math
import re
from pathlib import Path

import matplotlib
from fpdf import FPDF, FontFace

from assistant.report.blocks import Block, Bullets, Chart, Heading, Para, Table
from assistant.report.charts import CHART_SIZE, build_charts
from assistant.report.data import ReportData
from assistant.report.sections import TITLE, report_blocks

FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
FONT = "DejaVu"
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf", "I": "DejaVuSans-Oblique.ttf"}
TEXT, MUTED, ACCENT, ALERT = (26, 32, 44), (90, 100, 115), (43, 108, 176), (155, 44, 44)
HEADINGS = {1: (19, 0.0), 2: (14, 6.0), 3: (11.5, 3.0)}  # level: (size pt, space before mm)
PARA_STYLES = {  # style: (font style, size, colour)
    "": ("", 10, TEXT),
    "lead": ("B", 12.5, ACCENT),
    "label": ("B", 10, TEXT),
    "note": ("I", 9.5, MUTED),
    "alert": ("B", 10, ALERT),
}
LINE = 5.0  # mm per line of body text
TABLE_LINE, TABLE_PAD = 4.6, 1.2  # mm
CHART_RATIO = CHART_SIZE[1] / CHART_SIZE[0]
NEXT_LINE = {"new_x": "LMARGIN", "new_y": "NEXT"}  # after a cell: start of the next line
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class _ReportPDF(FPDF):
    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, "", 8)
        self.set_text_color(*MUTED)
        self.cell(0, 6, f"{TITLE} · page {self.page_no()} of {{nb}}", align="C")


def render_pdf(data: ReportData) -> bytes:
    pdf = _new_pdf(data)
    blocks = report_blocks(data, build_charts(data))
    for i, block in enumerate(blocks):
        if _is_lead_in(block):
            _keep_with_next(pdf, blocks[i + 1 : i + 4])
        _draw(pdf, block)
    return bytes(pdf.output())


def _is_lead_in(block: Block) -> bool:
    """Headings and labels introduce what follows and must not end a page."""
    return isinstance(block, Heading) or (isinstance(block, Para) and block.style == "label")


def _keep_with_next(pdf: FPDF, following: list[Block]) -> None:
    """Start a new page rather than leave a heading alone at the bottom of one."""
    need = 16.0
    for block in following:
        if _is_lead_in(block):
            need += 12.0
            continue
        if isinstance(block, Table):
            height = _table_height(pdf, block)
            need += height if height < pdf.eph * 0.6 else 30.0
        elif isinstance(block, Chart):
            need += _chart_width(pdf) * CHART_RATIO + 8
        else:
            need += 22.0
        break
    if pdf.get_y() > pdf.t_margin + 1 and pdf.will_page_break(need):
        pdf.add_page()


def _new_pdf(data: ReportData) -> _ReportPDF:
    pdf = _ReportPDF(format="A4")
    for style, name in FONT_FILES.items():
        pdf.add_font(FONT, style, str(FONT_DIR / name))
    pdf.set_margins(18, 16, 18)
    pdf.set_auto_page_break(True, margin=18)
    pdf.set_title(TITLE)
    pdf.set_creator(f"Adaptation Advisor {data.app_version}")
    pdf.add_page()
    return pdf


def clean(text: object) -> str:
    """Printable text: tabs as spaces, other control characters dropped."""
    return _CONTROL.sub("", str(text).replace("\t", "    ").replace("\r", ""))


def _draw(pdf: FPDF, block: Block) -> None:
    if isinstance(block, Heading):
        _heading(pdf, block)
    elif isinstance(block, Para):
        _para(pdf, block)
    elif isinstance(block, Bullets):
        _bullets(pdf, block)
    elif isinstance(block, Table):
        _table(pdf, block)
    elif isinstance(block, Chart):
        _chart(pdf, block)


def _heading(pdf: FPDF, block: Heading) -> None:
    size, space = HEADINGS.get(block.level, HEADINGS[3])
    if pdf.get_y() > pdf.t_margin + 1:
        pdf.ln(space)
    pdf.set_font(FONT, "B", size)
    pdf.set_text_color(*(ACCENT if block.level == 2 else TEXT))
    pdf.multi_cell(0, size * 0.5, clean(block.text), **NEXT_LINE)
    if block.level == 2:
        pdf.set_draw_color(217, 222, 229)
        pdf.line(pdf.l_margin, pdf.get_y() + 1, pdf.w - pdf.r_margin, pdf.get_y() + 1)
        pdf.ln(2.5)
    pdf.ln(1)


def _para(pdf: FPDF, block: Para) -> None:
    style, size, colour = PARA_STYLES.get(block.style, PARA_STYLES[""])
    pdf.set_font(FONT, style, size)
    pdf.set_text_color(*colour)
    fill = block.style == "alert"
    if fill:
        pdf.set_fill_color(255, 245, 245)
    pdf.multi_cell(0, LINE, clean(block.text), align="L", fill=fill, padding=(1, 2), **NEXT_LINE)
    pdf.ln(1)


def _bullets(pdf: FPDF, block: Bullets) -> None:
    indent = 7.0
    width = pdf.epw - indent
    for i, item in enumerate(block.items, 1):
        pdf.set_font(FONT, "", 10)
        pdf.set_text_color(*TEXT)
        if pdf.will_page_break(LINE * 2):
            pdf.add_page()
        pdf.set_x(pdf.l_margin + 1)
        pdf.cell(indent - 1, LINE, f"{i}." if block.ordered else "•")
        pdf.multi_cell(width, LINE, clean(item.text), **NEXT_LINE, align="L")
        if item.cite:
            pdf.set_font(FONT, "I", 8.5)
            pdf.set_text_color(*MUTED)
            pdf.set_x(pdf.l_margin + indent)
            pdf.multi_cell(width, 4.2, clean(item.cite), **NEXT_LINE)
        pdf.ln(1)
    pdf.ln(1)


def _table(pdf: FPDF, block: Table) -> None:
    pdf.set_font(FONT, "", 9)
    pdf.set_text_color(*TEXT)
    pdf.set_draw_color(200, 206, 214)
    height = _table_height(pdf, block)
    if height < pdf.eph * 0.6 and pdf.will_page_break(height):
        pdf.add_page()  # a short table reads better on one page
    headings = FontFace(emphasis="BOLD", fill_color=(237, 242, 247))
    with pdf.table(
        col_widths=block.widths or None,
        width=pdf.epw,
        text_align="LEFT",
        line_height=TABLE_LINE,
        padding=TABLE_PAD,
        headings_style=headings,
        repeat_headings=1,
    ) as grid:
        for row in (block.header, *block.rows):
            cells = grid.row()
            for value in row:
                cells.cell(clean(value))
    pdf.ln(3)


def _table_height(pdf: FPDF, block: Table) -> float:
    """Roughly how tall the table will be (mm), from each cell's text width."""
    pdf.set_font(FONT, "", 9)
    widths = block.widths or (1.0,) * len(block.header)
    columns = [pdf.epw * w / sum(widths) - 2 * TABLE_PAD for w in widths]
    height = 0.0
    for row in (block.header, *block.rows):
        lines = max(
            math.ceil(pdf.get_string_width(clean(text)) / width) or 1
            for text, width in zip(row, columns, strict=False)
        )
        height += lines * TABLE_LINE + 2 * TABLE_PAD
    return height


def _chart(pdf: FPDF, block: Chart) -> None:
    width = _chart_width(pdf)
    if pdf.will_page_break(width * CHART_RATIO + 8):
        pdf.add_page()
    pdf.image(io.BytesIO(block.png), x=pdf.l_margin + (pdf.epw - width) / 2, w=width)
    pdf.set_font(FONT, "I", 8.5)
    pdf.set_text_color(*MUTED)
    pdf.cell(0, 5, clean(block.title), align="C", **NEXT_LINE)
    pdf.ln(3)


def _chart_width(pdf: FPDF) -> float:
    return pdf.epw * 0.92
