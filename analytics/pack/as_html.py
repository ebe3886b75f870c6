"""The meeting pack as one self-contained HTML file: plotly.js embedded once, no network needed."""

from __future__ import annotations

import html

import plotly.graph_objects as go
import plotly.io as pio

from analytics import formatting as fmt
from analytics import i18n
from analytics.i18n import t
from analytics.meeting.model import Finding, KeyNumber, Meeting
from analytics.pack.parts import chart_config, notes, numeric_columns, shown_table, stamp

CSS = """
body { font-family: "Segoe UI", Arial, sans-serif; color: #1e1e1e; margin: 0; background: #f4f6f8; }
header { background: #1f4e79; color: #fff; padding: 24px 32px; }
header h1 { margin: 4px 0; font-size: 28px; }
header p { margin: 4px 0; color: #dce6f0; }
main { max-width: 1150px; margin: 0 auto; padding: 16px 24px 48px; }
.demo { background: #fdecea; border: 1px solid #c0392b; color: #c0392b; font-weight: 600;
        padding: 10px 14px; margin: 16px 0; }
.notes { color: #555; font-style: italic; }
ol.summary li { margin: 6px 0; }
section { background: #fff; border-radius: 6px; padding: 18px 24px; margin: 22px 0;
          page-break-before: always; }
.topic { color: #1f4e79; font-weight: 700; font-size: 13px; text-transform: uppercase; margin: 0; }
h2 { font-size: 22px; margin: 6px 0 14px; }
.numbers { display: flex; gap: 12px; flex-wrap: wrap; margin-bottom: 12px; }
.number { background: #eef3f8; padding: 10px 14px; min-width: 170px; flex: 1; }
.number .label { color: #666; font-size: 13px; }
.number .value { font-size: 26px; font-weight: 700; }
.delta { font-size: 13px; color: #666; } .delta.good { color: #2e8b57; } .delta.bad { color: #c0392b; }
.note { color: #555; font-size: 13px; font-style: italic; }
table { border-collapse: collapse; width: 100%; font-size: 13px; margin-top: 8px; }
th { background: #1f4e79; color: #fff; text-align: left; padding: 5px 8px; }
td { padding: 4px 8px; border-bottom: 1px solid #e3e3e3; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
tr:nth-child(even) td { background: #f6f8fa; }
h3.private { color: #c0392b; font-size: 15px; }
footer { color: #777; font-size: 12px; text-align: center; padding: 20px; }
"""


def _e(text: object) -> str:
    return html.escape(str(text))


def _number(k: KeyNumber) -> str:
    tone = (
        ""
        if not k.change or k.down_is_good is None
        else " good"
        if (k.change < 0) == k.down_is_good
        else " bad"
    )
    delta = f'<div class="delta{tone}">{_e(k.delta)}</div>' if k.delta else ""
    return (
        f'<div class="number"><div class="label">{_e(k.label)}</div>'
        f'<div class="value">{_e(k.value)}</div>{delta}</div>'
    )


def _table(df) -> str:
    if df.empty:
        return f'<p class="note">{_e(t("pack.no_rows"))}</p>'
    numeric = dict(zip(df.columns, numeric_columns(df), strict=True))
    head = "".join(f"<th>{_e(c)}</th>" for c in df.columns)
    cell = lambda c, v: f'<td class="num">{_e(v)}</td>' if numeric[c] else f"<td>{_e(v)}</td>"  # noqa: E731
    body = "".join(
        "<tr>" + "".join(cell(c, v) for c, v in zip(df.columns, row, strict=True)) + "</tr>"
        for row in df.itertuples(index=False)
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _figure(f: Finding, fig: go.Figure, first: bool) -> str:
    return pio.to_html(
        fig,
        full_html=False,
        include_plotlyjs=first,  # embedded once, in the first chart; the others reuse window.Plotly
        config={**chart_config(f), "responsive": True},
        div_id=f"grafik-{f.key}",
        default_height=f"{int(fig.layout.height or 500)}px",
    )


def html_bytes(meeting: Meeting, figs: dict[str, go.Figure], suppress: bool, details: bool) -> bytes:
    """The pack as a single HTML page that opens offline in any browser, in the meeting's language."""
    with i18n.using(meeting.lang):
        return _page(meeting, figs, suppress, details).encode("utf-8")


def _page(meeting: Meeting, figs: dict[str, go.Figure], suppress: bool, details: bool) -> str:
    n, parts, first = len(meeting.findings), [], True
    for i, f in enumerate(meeting.findings, 1):
        chart = ""
        if f.key in figs:
            chart, first = _figure(f, figs[f.key], first), False
        detail = ""
        if details and f.detail is not None:
            private = t("pack.private", title=f.detail_title)
            detail = f'<h3 class="private">{_e(private)}</h3>' + _table(shown_table(f.detail, suppress=False))
        position = t("meeting.position", i=i, n=n, topic=f.topic)
        parts.append(
            f'<section id="temuan-{i}"><p class="topic">{_e(position)}</p>'
            f"<h2>{_e(f.title)}</h2>"
            f'<div class="numbers">{"".join(_number(k) for k in f.numbers)}</div>{chart}'
            f'<p class="note">{_e(f.note)}</p>{_table(shown_table(f.table, suppress))}{detail}</section>'
        )
    demo = f'<div class="demo">{_e(t("pack.demo_long"))}</div>' if meeting.is_demo else ""
    summary = "".join(
        f'<li><a href="#temuan-{i}">{_e(f.title)}</a></li>' for i, f in enumerate(meeting.findings, 1)
    )
    remarks = "".join(f'<p class="notes">{_e(note)}</p>' for note in notes(meeting, suppress))
    period = f"{fmt.tanggal(meeting.prev)} → {fmt.tanggal(meeting.cur)}"
    target = t("pack.target_zero", date=fmt.tanggal(meeting.target))
    since = t("pack.since_last", period=period) + " · " + target
    footer = t("pack.html_footer", stamp=stamp(), not_bps=t("pack.not_bps"))
    return f"""<!DOCTYPE html>
<html lang="{_e(meeting.lang)}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(t("pack.doc_title", period=period))}</title><style>{CSS}</style></head>
<body><header><p>{_e(t("pack.kicker"))}</p><h1>{_e(t("pack.heading"))}</h1>
<p>{_e(since)}</p></header>
<main>{demo}<h2>{_e(t("pack.summary_heading"))}</h2><ol class="summary">{summary}</ol>{remarks}
{"".join(parts)}</main>
<footer>{_e(footer)}</footer>
</body></html>"""
