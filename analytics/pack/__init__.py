"""The one-click meeting pack: a PDF, an offline HTML file and an XLSX, from the meeting's findings.

The pack is built from the very Finding objects the Rapat page shows (analytics.meeting.agenda), so its
numbers are the page's numbers. Downloads follow the rules of every table download
(analytics.access.export.deferred): built at click time, the role read again from the accounts file,
counts under 5 suppressed and person-level tables left out for roles without named access, and
each download written to the audit log. Texts come in the language the Meeting was made in
(Meeting.lang), not the language of whichever thread builds the pack.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator

import pandas as pd
import plotly.graph_objects as go

from analytics import formatting as fmt
from analytics import i18n
from analytics.access import auth, disclosure, export
from analytics.access.auth import User
from analytics.i18n import t
from analytics.meeting.agenda import protect
from analytics.meeting.model import Finding, Meeting
from analytics.pack import as_html, as_pdf
from analytics.pack.parts import (  # noqa: F401  (pack.chart_config, pack.NUMBER_TEXT: the page and tests)
    IMAGE_WIDTH,
    NUMBER_TEXT,
    chart_config,
    suppressed_note,
)
from analytics.pack.render import RENDERER, warm  # noqa: F401  (pack.warm: the Rapat page)
from analytics.store.db import Store

# kind: (text key of its download button, MIME type)
KINDS: dict[str, tuple[str, str]] = {
    "pdf": ("pack.download_pdf", "application/pdf"),
    "html": ("pack.download_html", "text/html"),
    "xlsx": ("pack.download_xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}


def file_stem(meeting: Meeting) -> str:
    """'paket_rapat_2024-09-30_2024-12-31'."""
    return f"paket_rapat_{meeting.prev.isoformat()}_{meeting.cur.isoformat()}"


def detail_allowed(meeting: Meeting, role: str) -> bool:
    """Person-level tables only when the role still sees named records and is the one they were read for."""
    return role == meeting.role and auth.User("?", role).sees_named_records


def for_print(fig: go.Figure, is_map: bool) -> go.Figure:
    """A copy of the figure with its legend pinned to the image's bottom edge, below month ticks that a
    narrower print width rotates (anchored to the plot, the legend would cover them). A copy: the
    finding's own figure is shared with the page (Finding.figure)."""
    fig = go.Figure(fig)
    if not is_map:
        fig.update_layout(legend={"yref": "container", "y": 0, "yanchor": "bottom"}, margin_b=10)
    return fig


def each_figure(meeting: Meeting) -> Iterator[tuple[str, go.Figure]]:
    """Each finding's figure with its finding key, laid out for print, built as it is asked for."""
    with i18n.using(meeting.lang):
        for f in meeting.findings:
            if f.figure is not None:
                yield f.key, for_print(f.figure(), f.is_map)


def figures(meeting: Meeting) -> dict[str, go.Figure]:
    """Each finding's figure by finding key, laid out for print (built once per pack, in its language)."""
    return dict(each_figure(meeting))


def _sheet_name(i: int, finding: Finding, detail: bool = False) -> str:
    label = t("pack.sheet_detail") if detail else finding.topic
    name = f"{i} {label}"
    return "".join(c for c in name if c not in "[]:*?/\\")[:31]


def _safe(text: str) -> str:
    """One text cell neutralised the way export.neutralise treats table cells."""
    return export.neutralise(pd.DataFrame({"t": [text]}))["t"].iloc[0]


def xlsx_bytes(meeting: Meeting, suppress: bool, details: bool) -> bytes:
    """An XLSX with a summary sheet and one sheet per finding (title, dates, then the table)."""
    with i18n.using(meeting.lang):
        return _xlsx(meeting, suppress, details)


def _xlsx(meeting: Meeting, suppress: bool, details: bool) -> bytes:
    from openpyxl.styles import Font

    period = t("pack.period", prev=fmt.tanggal(meeting.prev), cur=fmt.tanggal(meeting.cur))
    columns = [t("pack.col_no"), t("pack.col_finding"), t("pack.col_title"), t("pack.col_number")]
    columns += [t("pack.col_value"), t("pack.col_delta")]
    summary = pd.DataFrame(
        [
            (i, f.topic, f.title, k.label, k.value, k.delta or "")
            for i, f in enumerate(meeting.findings, 1)
            for k in f.numbers
        ],
        columns=columns,
    )
    sheets = [(t("pack.sheet_summary"), t("pack.summary_title"), summary)]
    for i, f in enumerate(meeting.findings, 1):
        sheets.append(
            (_sheet_name(i, f), f.title, disclosure.SUPPRESSED.table(f.table) if suppress else f.table)
        )
        if details and f.detail is not None:
            sheets.append((_sheet_name(i, f, detail=True), f.detail_title, f.detail))
    demo = [t("pack.demo_short")] if meeting.is_demo else []
    remark = " · ".join(demo + ([suppressed_note()] if suppress else []))
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        for name, title, table in sheets:
            export.neutralise(table).to_excel(writer, sheet_name=name, startrow=3, index=False)
            ws = writer.sheets[name]
            ws["A1"], ws["A2"] = _safe(title), _safe(period)
            ws["A1"].font = Font(bold=True, size=13)
            if remark:
                ws["A3"] = remark
                ws["A3"].font = Font(bold=True, color="C0392B")
            ws.freeze_panes = "A5"
            for j, col in enumerate(table.columns):
                width = max([len(str(col)), *(len(str(v)) for v in table[col].head(200))]) + 2
                ws.column_dimensions[ws.cell(row=4, column=j + 1).column_letter].width = min(60, width)
    return buf.getvalue()


def build(meeting: Meeting, kind: str, role: str) -> bytes:
    """The pack file of one kind ('pdf', 'html', 'xlsx') for a user who now has `role`.

    Runs in the meeting's language whatever thread calls it: a download is built outside the
    script run that made the meeting, and the figures' texts are only made here.
    """
    policy = disclosure.for_role(role)
    suppress = policy.suppress
    details = detail_allowed(meeting, role)
    meeting = protect(meeting, policy)
    with i18n.using(meeting.lang):
        if kind == "xlsx":
            return xlsx_bytes(meeting, suppress, details)
        if kind == "html":
            return as_html.html_bytes(meeting, figures(meeting), suppress, details)
        if kind == "pdf":
            # Each chart goes to the warm browser as soon as it is built; the PDF's pages are laid
            # out while the browser draws the later charts (as_pdf waits for each image in turn).
            figs, images = {}, {}
            for key, fig in each_figure(meeting):
                figs[key], images[key] = fig, RENDERER.submit(fig, IMAGE_WIDTH)
            return as_pdf.pdf_bytes(meeting, images, figs, suppress, details)
    raise KeyError(kind)


def deferred(store: Store, meeting: Meeting, kind: str, user: User | None) -> Callable[[], bytes]:
    """A pack download built at click time through the shared audited download path."""

    def make(role: str) -> tuple[bytes, str]:
        detail = f"{len(meeting.findings)} temuan" + (
            "" if detail_allowed(meeting, role) else ", agregat saja"
        )
        return build(meeting, kind, role), detail

    return export.audited(store, user, f"{file_stem(meeting)}.{kind}", make)
