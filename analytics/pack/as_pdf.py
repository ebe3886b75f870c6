"""The meeting pack as an A4 PDF (fpdf2, DejaVu fonts): a cover listing the findings, then one per page."""

from __future__ import annotations

import io
import math
from collections.abc import Mapping
from concurrent.futures import Future
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from analytics import formatting as fmt
from analytics import i18n
from analytics.i18n import t
from analytics.meeting.model import Finding, KeyNumber, Meeting
from analytics.pack.parts import IMAGE_WIDTH, notes, numeric_columns, shown_table, stamp

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONTS = {
    ("dejavu", ""): "DejaVuSans.ttf",
    ("dejavu", "B"): "DejaVuSans-Bold.ttf",
    ("dejavu", "I"): "DejaVuSans-Oblique.ttf",
    ("condensed", ""): "DejaVuSansCondensed.ttf",
    ("condensed", "B"): "DejaVuSansCondensed-Bold.ttf",
}
BLUE, RED, GREEN, GREY, INK = (31, 78, 121), (192, 57, 43), (46, 139, 87), (110, 110, 110), (30, 30, 30)
PALE = (238, 243, 248)


class _Pack(FPDF):
    """A4 portrait with a running header (period, demo flag) and a numbered footer."""

    def __init__(self, meeting: Meeting) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.meeting = meeting
        for (family, style), name in FONTS.items():
            self.add_font(family, style, str(FONT_DIR / name))
        self.set_margins(15, 16, 15)
        self.set_auto_page_break(True, margin=16)
        self.set_title(
            t("pack.doc_title", period=f"{fmt.tanggal(meeting.prev)} – {fmt.tanggal(meeting.cur)}")
        )
        self.set_author(t("pack.author"))
        self.set_lang(meeting.lang)

    def header(self) -> None:
        """Period on the left, DATA CONTOH on the right; on the cover, the blue band with the flag in it."""
        m = self.meeting
        if self.page_no() == 1:
            self.set_fill_color(*BLUE)
            self.rect(0, 0, self.w, 52, style="F")
            if m.is_demo:  # white on red, at the band's top right
                self.set_xy(self.l_margin, 8)
                self.set_font("dejavu", "B", 8)
                self.set_fill_color(*RED)
                self.set_text_color(255, 255, 255)
                flag = t("pack.demo_flag")
                w = self.get_string_width(flag) + 4
                self.set_x(self.w - self.r_margin - w)
                self.cell(w, 5, flag, align="C", fill=True)
            return
        flag_w = 0.0
        if m.is_demo:
            self.set_font("dejavu", "B", 8)
            self.set_text_color(*RED)
            flag_w = self.get_string_width(t("pack.demo_flag")) + 1
            self.cell(self.epw, 5, t("pack.demo_flag"), align="R", new_x=XPos.LMARGIN)
        period = f"{fmt.tanggal(m.prev)} → {fmt.tanggal(m.cur)}"
        self.set_text_color(*GREY)
        self.fit_cell(self.epw - flag_w - 3, 5, t("pack.running_header", period=period), "", 8)
        self.ln(9)

    def footer(self) -> None:
        """What the numbers are, and the page number."""
        self.set_y(-12)
        self.set_text_color(*GREY)
        self.set_font("dejavu", size=7.5)
        page = t("pack.page", page=self.page_no(), total="{nb}")
        page_w = self.get_string_width(t("pack.page", page=self.page_no(), total=99)) + 1
        self.cell(self.epw, 5, page, align="R", new_x=XPos.LMARGIN)
        self.fit_cell(self.epw - page_w - 3, 5, t("pack.not_bps") + " " + t("pack.author"), "", 7.5)

    def fit_cell(self, w: float, h: float, text: str, style: str, size: float, smallest: float = 5.5) -> None:
        """One line of text in w mm: the font shrunk (to `smallest` pt) until it fits, else wrapped."""
        while size > smallest:
            self.set_font("dejavu", style, size)
            if self.get_string_width(text) <= w:
                break
            size -= 0.5
        self.set_font("dejavu", style, size)
        x, y = self.get_x(), self.get_y()
        self.multi_cell(w, h if self.get_string_width(text) <= w else h * 0.7, text, align="L")
        self.set_xy(x, y)

    def para(
        self, size: float, line: str, style: str = "", color: tuple = INK, h: float | None = None
    ) -> None:
        """A left-aligned paragraph across the page."""
        self.set_font("dejavu", style, size)
        self.set_text_color(*color)
        self.multi_cell(self.epw, h or size * 0.5, line, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _cover(pdf: _Pack, meeting: Meeting, suppress: bool) -> None:
    pdf.add_page()  # the header paints the blue band (and the demo flag in it)
    pdf.set_xy(15, 14)
    pdf.para(11, t("pack.kicker"), "B", (255, 255, 255))
    pdf.para(20, t("pack.heading"), "B", (255, 255, 255), h=9)
    period = f"{fmt.tanggal(meeting.prev)} → {fmt.tanggal(meeting.cur)}"
    pdf.para(11, t("pack.since_last", period=period), color=(220, 230, 240), h=7)
    pdf.set_y(60)
    long = lambda d: fmt.tanggal(d, "d MMMM yyyy")  # noqa: E731
    dates = t("pack.cover_dates", prev=long(meeting.prev), cur=long(meeting.cur), target=long(meeting.target))
    pdf.para(10, dates, color=GREY, h=5)
    if meeting.is_demo:
        pdf.ln(3)
        pdf.set_fill_color(253, 236, 234)
        pdf.set_draw_color(*RED)
        pdf.set_font("dejavu", "B", 10)
        pdf.set_text_color(*RED)
        pdf.multi_cell(
            pdf.epw,
            6,
            t("pack.demo_long"),
            border=1,
            fill=True,
            padding=2,
            new_x=XPos.LMARGIN,
        )
    pdf.ln(6)
    pdf.para(14, t("pack.summary_heading"), "B", BLUE, h=8)
    pdf.ln(1)
    for i, f in enumerate(meeting.findings, 1):
        pdf.set_font("dejavu", "B", 10)
        pdf.set_text_color(*BLUE)
        pdf.cell(9, 6, f"{i}.")
        pdf.set_font("dejavu", "", 10)
        pdf.set_text_color(*INK)
        pdf.multi_cell(pdf.epw - 9, 5.5, f.title, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(1.5)
    for note in notes(meeting, suppress):
        pdf.ln(2)
        pdf.para(9, note, "I", GREY, h=5)
    pdf.ln(4)
    pdf.para(8.5, t("pack.made", stamp=stamp(), not_bps=t("pack.not_bps")), color=GREY, h=4.5)


CARD_GAP = 3  # mm between key-number boxes


def _shrunk(pdf: FPDF, text: str, style: str, size: float, width: float, smallest: float) -> float:
    """The largest font size up to `size` at which text's longest word fits width (words stay whole)."""
    words = text.split() or [""]
    while size > smallest:
        pdf.set_font("dejavu", style, size)
        if max(pdf.get_string_width(w) for w in words) <= width - 2 * pdf.c_margin:
            break
        size -= 0.5
    return size


def _numbers(pdf: _Pack, numbers: list[KeyNumber]) -> None:
    """A row of boxes: label, value, change (coloured by whether the change is good). Each text
    wraps inside its box (a word too wide gets a smaller font) and the boxes grow to the tallest."""
    if not numbers:
        return
    w = (pdf.epw - CARD_GAP * (len(numbers) - 1)) / len(numbers)
    inner = w - 5
    cards = []
    for k in numbers:
        good = None if not k.change or k.down_is_good is None else (k.change < 0) == k.down_is_good
        value_size = _shrunk(pdf, k.value, "B", 15 if len(k.value) < 12 else 12, inner, 8)
        parts = [
            (k.label, "", _shrunk(pdf, k.label, "", 7.5, inner, 5.5), GREY, 3.6),
            (k.value, "B", value_size, INK, value_size * 0.45),
        ]
        if k.delta:
            tone = GREY if good is None else GREEN if good else RED
            parts.append((k.delta, "", _shrunk(pdf, k.delta, "", 8, inner, 5.5), tone, 3.8))
        cards.append(parts)

    def lines(text: str, style: str, size: float) -> int:
        pdf.set_font("dejavu", style, size)
        return len(pdf.multi_cell(inner, 4, text, dry_run=True, output="LINES"))

    height = max(
        22.0,
        *(4 + sum(h * lines(text, st, size) + 1 for text, st, size, _, h in parts) for parts in cards),
    )
    if pdf.get_y() + height > pdf.page_break_trigger:
        pdf.add_page()
    top = pdf.get_y()
    pdf.set_fill_color(*PALE)
    for i in range(len(cards)):  # all boxes first, so no box is painted over another's text
        pdf.rect(pdf.l_margin + i * (w + CARD_GAP), top, w, height, style="F")
    for i, parts in enumerate(cards):
        pdf.set_xy(pdf.l_margin + i * (w + CARD_GAP) + 2.5, top + 2)
        for text, style, size, color, h in parts:
            pdf.set_font("dejavu", style, size)
            pdf.set_text_color(*color)
            pdf.multi_cell(inner, h, text, align="L", new_x=XPos.LEFT, new_y=YPos.NEXT)
            pdf.set_xy(pdf.get_x(), pdf.get_y() + 1)
    pdf.set_xy(pdf.l_margin, top + height + 3)


def _image(pdf: _Pack, png: bytes, fig: go.Figure, reserve: float) -> None:
    """The chart at full width, shrunk (to 60% at most) to leave `reserve` mm for the note and table."""
    w, ratio = pdf.epw, float(fig.layout.height or 500) / IMAGE_WIDTH
    room = pdf.h - pdf.b_margin - pdf.get_y() - reserve
    if w * ratio > room:
        w = max(room / ratio, pdf.epw * 0.6)
    pdf.image(io.BytesIO(png), x=pdf.l_margin + (pdf.epw - w) / 2, w=w)
    pdf.ln(2)


def table_look(pdf: FPDF, size: float = 7.5) -> FontFace:
    """Set the pack's table text (condensed, 7.5 pt unless a wide table needs less; ink, grey rules);
    the white-on-blue headings."""
    pdf.set_font("condensed", "", size)
    pdf.set_text_color(*INK)
    pdf.set_draw_color(200, 200, 200)
    return FontFace(family="condensed", emphasis="BOLD", color=(255, 255, 255), fill_color=BLUE)


def _table(pdf: _Pack, df: pd.DataFrame) -> None:
    """The table as the page shows it; text left, numbers right; headings repeat on a new page."""
    if df.empty:
        pdf.para(8.5, t("pack.no_rows"), "I", GREY)
        return
    cells = [[str(c) for c in df.columns], *[[str(v) for v in row] for row in df.itertuples(index=False)]]
    numeric = numeric_columns(df)
    widths, size, padding = _widths(pdf, cells)
    style = table_look(pdf, size)
    with pdf.table(
        width=pdf.epw,
        col_widths=widths,
        text_align=["RIGHT" if n else "LEFT" for n in numeric],
        headings_style=style,
        line_height=size * 0.53,
        padding=padding,
        cell_fill_color=(246, 248, 250),
        cell_fill_mode="ROWS",
        borders_layout="HORIZONTAL_LINES",
        repeat_headings=1,
    ) as table:
        for row in cells:
            r = table.row()
            for value in row:
                r.cell(value)
    pdf.ln(2)


# (font size in pt, cell padding in mm) tried in turn until a table's longest words fit side by side
FITS = [(7.5, 1.0), (7.0, 1.0), (6.5, 1.0), (6.0, 0.8), (5.5, 0.6), (5.5, 0.4)]


def _widths(pdf: _Pack, cells: list[list[str]]) -> tuple[list[float], float, float]:
    """Column widths in mm, the font size and the cell padding: each column's widest cell; when the
    table is wider than the page, the widest columns are narrowed (never below their longest word, so
    numbers and words do not break), and when even the longest words do not fit side by side the font
    gets smaller (7.5 pt down to 5.5 pt), then the padding (past that, fpdf breaks the longest words)."""
    cols = list(zip(*cells, strict=True))
    for size, padding in FITS:
        pad = 2 * padding + 0.6  # cell padding on both sides plus a little air

        def width(text: str, style: str = "") -> float:
            pdf.set_font("condensed", style, size)  # noqa: B023  (used within this pass only)
            return pdf.get_string_width(text) + pad  # noqa: B023

        header_words = [max(width(w, "B") for w in (col[0].split() or [""])) for col in cols]
        body_words = [max([width(w) for v in col[1:] for w in v.split()] or [0.0]) for col in cols]
        floor = [max(h, b) for h, b in zip(header_words, body_words, strict=True)]
        if sum(floor) <= pdf.epw:
            break
    natural = [max([width(v) for v in col[1:]] or [0.0]) for col in cols]
    need = [max(n, f) for n, f in zip(natural, floor, strict=True)]
    total = lambda cap: sum(max(f, min(n, cap)) for n, f in zip(need, floor, strict=True))  # noqa: E731
    if total(max(need)) > pdf.epw:
        low, high = 0.0, max(need)
        for _ in range(40):  # the widest cap that fits the page
            mid = (low + high) / 2
            low, high = (mid, high) if total(mid) <= pdf.epw else (low, mid)
        need = [max(f, min(n, low)) for n, f in zip(need, floor, strict=True)]
    pdf.set_font("condensed", "", size)
    return need, size, padding


def _finding(
    pdf: _Pack, i: int, n: int, f: Finding, png: bytes | None, fig, suppress: bool, details: bool
) -> None:
    pdf.add_page()
    pdf.para(8.5, t("meeting.position", i=i, n=n, topic=f.topic), "B", BLUE, h=5)
    pdf.ln(1)
    pdf.para(14, f.title, "B", INK, h=6.5)
    pdf.ln(3)
    _numbers(pdf, f.numbers)
    if png is not None:
        # keep the note, the table's headings and up to 10 rows (6 mm each) on the chart's page
        reserve = 28 + 6 * min(len(f.table), 10) + 4.2 * math.ceil(len(f.note) / 115)
        _image(pdf, png, fig, reserve)
    if f.note:
        pdf.para(8, f.note, "I", GREY, h=4)
        pdf.ln(2)
    _table(pdf, shown_table(f.table, suppress))
    if details and f.detail is not None:
        pdf.add_page()  # portrait like every page: a landscape page is cut when printed as A4 portrait
        pdf.para(9, t("pack.private", title=f.detail_title), "B", RED, h=5)
        pdf.ln(1)
        _table(pdf, shown_table(f.detail, suppress=False))


def pdf_bytes(
    meeting: Meeting,
    images: Mapping[str, bytes | Future[bytes]],
    figs: dict[str, go.Figure],
    suppress: bool,
    details: bool,
) -> bytes:
    """The whole PDF: cover with the findings' titles, then each finding with chart, note and table.

    An image may still be rendering (a Future): it is waited for when its page is laid out."""
    with i18n.using(meeting.lang):  # headers and footers are drawn as pages are added
        pdf = _Pack(meeting)
        _cover(pdf, meeting, suppress)
        n = len(meeting.findings)
        for i, f in enumerate(meeting.findings, 1):
            png = images.get(f.key)
            png = png.result() if isinstance(png, Future) else png
            _finding(pdf, i, n, f, png, figs.get(f.key), suppress, details)
        return bytes(pdf.output())
