"""A family profile on one A4 page for a home visit (fpdf2, DejaVu fonts), from the same tables as
the page (analytics.profiles.family.Profile). Long sections are cut to fit and say how many rows were
left out."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pandas as pd
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from analytics import formatting as fmt
from analytics import i18n
from analytics.access import export
from analytics.access.auth import User
from analytics.i18n import t
from analytics.pack.as_pdf import BLUE, FONT_DIR, FONTS, GREY, INK, RED, table_look
from analytics.profiles import family
from analytics.store.db import Store

# Rows each section may take so that the whole profile stays on one page (about 4.5 mm a row).
ROWS = {"members": 12, "events": 14, "programmes": 12, "blt": 4}
MARGIN = 12


def _pdf() -> FPDF:
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    for (name, style), file in FONTS.items():
        pdf.add_font(name, style, str(FONT_DIR / file))
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(False)  # one page: sections are cut to fit instead
    return pdf


def _line(pdf: FPDF, size: float, text: str, style: str = "", color: tuple = INK) -> None:
    pdf.set_font("dejavu", style, size)
    pdf.set_text_color(*color)
    pdf.multi_cell(pdf.epw, size * 0.5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _widths(pdf: FPDF, cells: list[list[str]]) -> list[float]:
    """Each column as wide as its widest cell, scaled down together when the table is too wide."""
    pdf.set_font("condensed", "", 7.5)
    widest = [max(pdf.get_string_width(row[i]) for row in cells) + 2.6 for i in range(len(cells[0]))]
    widest = [min(w, pdf.epw * 0.4) for w in widest]  # one long column must not squeeze the others
    scale = min(1.0, pdf.epw / sum(widest))
    return [w * scale for w in widest]


def _section(pdf: FPDF, title: str, df: pd.DataFrame, limit: int) -> None:
    pdf.ln(1.5)
    _line(pdf, 10, title, "B", BLUE)
    pdf.ln(0.5)
    if df.empty:
        _line(pdf, 8, t("s2.none"), "I", GREY)
        return
    shown = df.head(limit)
    cells = [[str(c) for c in df.columns], *[[str(v) for v in row] for row in shown.itertuples(index=False)]]
    style = table_look(pdf)
    with pdf.table(
        width=pdf.epw,
        col_widths=_widths(pdf, cells),
        text_align="LEFT",
        headings_style=style,
        line_height=3.8,
        padding=0.6,
        borders_layout="HORIZONTAL_LINES",
    ) as table:
        for row in cells:
            r = table.row()
            for value in row:
                r.cell(value)
    if len(df) > limit:
        _line(pdf, 7.5, t("s2.pdf_more", n=fmt.number(len(df) - limit)), "I", GREY)


def build(profile: family.Profile, printed_by: str, demo: bool = False) -> bytes:
    """The profile as a one-page A4 PDF (masked NIKs only; names only when the role may see them).

    Sections are cut to ROWS; when long cells wrap so much that the page would overflow, they are
    cut shorter until it fits."""
    for share in (1.0, 0.7, 0.5, 0.3):
        pdf = _page(profile, printed_by, demo, {k: max(1, int(n * share)) for k, n in ROWS.items()})
        if pdf.page_no() == 1 and pdf.get_y() <= pdf.h - MARGIN:
            break
    return bytes(pdf.output())


def _page(profile: family.Profile, printed_by: str, demo: bool, rows: dict[str, int]) -> FPDF:
    pdf = _pdf()
    pdf.set_title(t("s2.pdf_title", id=profile.id_keluarga))
    pdf.set_author(t("pack.author"))
    pdf.add_page()
    _line(pdf, 15, t("s2.pdf_title", id=profile.id_keluarga), "B", BLUE)
    _line(pdf, 10, profile.kelurahan)
    status = t("s2.on_list_yes") if profile.on_list else t("s2.on_list_no")
    _line(pdf, 9, t("s2.pdf_status", status=status, date=fmt.tanggal(profile.latest)))
    _line(pdf, 7.5, t("s2.pdf_printed", name=printed_by, when=fmt.waktu(datetime.now())), color=GREY)
    _line(pdf, 7.5, t("s2.pdf_private"), "B", RED)
    if demo:
        _line(pdf, 7.5, t("pack.demo_flag"), "B", RED)
    _section(pdf, t("s2.members"), profile.members_table(), rows["members"])
    _section(pdf, t("s2.events"), profile.events_table(), rows["events"])
    _section(pdf, t("s2.programmes"), profile.programmes_table(), rows["programmes"])
    _section(pdf, t("s2.blt"), profile.blt_table(), rows["blt"])
    return pdf


def download(store: Store, user: User | None, id_keluarga: str, demo: bool = False) -> Callable[[], bytes]:
    """The PDF, built at click time with the role read again (a role that lost the family gets the
    refusal instead) and audited as a download (analytics.access.export.audited)."""
    lang = i18n.language()

    def make(role: str) -> tuple[bytes, str]:
        with i18n.using(lang):
            try:
                profile = family.profile(store, User(user.name, role), id_keluarga, audited=False)
            except family.FamilyRefusal as exc:
                return str(exc).encode("utf-8"), "ditolak: di luar cakupan peran"
            return build(profile, user.name, demo), f"profil keluarga {id_keluarga}"

    return export.audited(store, user, file_name(id_keluarga), make)


def file_name(id_keluarga: str) -> str:
    """keluarga_<ID Keluarga>.pdf, with anything but letters, digits and dashes made '_'."""
    safe = "".join(c if c.isalnum() or c == "-" else "_" for c in id_keluarga)
    return f"keluarga_{safe}.pdf"
