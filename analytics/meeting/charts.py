"""Figures only the coordination meeting needs: pace against the need, coverage at two dates, entrants.

Each builder draws numbers already computed by analytics.meeting.agenda; titles state the finding.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import plotly.graph_objects as go

from analytics import formatting as fmt
from analytics.burndown.charts import BLUE, GREEN, GREY, ORANGE, RED, base_layout
from analytics.i18n import t

PREVIOUS = "#7f7f7f"


def mark_previous(fig: go.Figure, prev: date) -> go.Figure:
    """A dotted vertical line at the last meeting's snapshot, labelled 'Rapat lalu (date)'."""
    fig.add_vline(x=prev, line=dict(color=PREVIOUS, width=1.5, dash="dot"))
    fig.add_annotation(
        x=prev,
        y=1,
        yref="paper",
        text=t("meeting.prev_at", date=fmt.tanggal(prev)),
        showarrow=False,
        xanchor="right",
        yanchor="top",
        font=dict(color=PREVIOUS),
    )
    return fig


def pace_figure(pace: pd.DataFrame, prev: date, cur: date, target: date) -> go.Figure:
    """Per kecamatan: the fall since the last meeting against the fall the pace to zero needed."""
    rows = pace.iloc[::-1]
    colors = [RED if behind else GREEN for behind in rows["tertinggal"]]
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            x=rows["perlu_turun"],
            y=rows["kecamatan"],
            orientation="h",
            name=t("meeting.needed"),
            marker=dict(color="rgba(0,0,0,0)", line=dict(color=GREY, width=2)),
            text=[fmt.number(v) for v in rows["perlu_turun"]],
            textposition="outside",
            cliponaxis=False,
            hovertemplate=t("meeting_charts.hover_needed") + "<extra></extra>",
        )
    )
    fig.add_trace(
        go.Bar(
            x=rows["turun"],
            y=rows["kecamatan"],
            orientation="h",
            name=t("meeting_charts.fell", prev=fmt.tanggal(prev), cur=fmt.tanggal(cur)),
            marker_color=colors,
            text=[fmt.signed(-v) if v else "0" for v in rows["turun"]],
            textposition="inside",
            insidetextanchor="end",
            hovertemplate=t("meeting_charts.hover_fell") + "<extra></extra>",
        )
    )
    fig.update_layout(barmode="overlay", bargap=0.35)
    fig.update_xaxes(title=t("meeting_charts.axis_baseline_people"), tickformat=",.0f", rangemode="tozero")
    behind = int(pace["tertinggal"].sum())
    title = (
        t("meeting_charts.pace_behind", n=behind, target=fmt.tanggal(target))
        if behind
        else t("meeting_charts.pace_ok", target=fmt.tanggal(target))
    )
    return base_layout(fig, title, height=max(420, 42 * len(pace) + 140))


def coverage_figure(cov: pd.DataFrame, prev: date, cur: date) -> go.Figure:
    """Per OPD: share of the list's families reached at the last meeting (grey) and now (blue/orange)."""
    rows = cov.sort_values("cakupan_kini")
    fig = go.Figure()
    for r in rows.itertuples():
        fig.add_trace(
            go.Scatter(
                x=[r.cakupan_lalu * 100, r.cakupan_kini * 100],
                y=[r.opd, r.opd],
                mode="lines",
                line=dict(color="#c8c8c8", width=4),
                showlegend=False,
                hoverinfo="skip",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=rows["cakupan_lalu"] * 100,
            y=rows["opd"],
            mode="markers",
            name=t("meeting.prev_at", date=fmt.tanggal(prev)),
            marker=dict(color=GREY, size=12),
            hovertemplate=t("meeting_charts.hover_coverage") + "<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=rows["cakupan_kini"] * 100,
            y=rows["opd"],
            mode="markers+text",
            name=t("meeting.now_at", date=fmt.tanggal(cur)),
            marker=dict(color=[BLUE if up else ORANGE for up in rows["naik"]], size=14),
            text=[fmt.percent(v) for v in rows["cakupan_kini"]],
            textposition="middle right",
            cliponaxis=False,
            hovertemplate=t("meeting_charts.hover_coverage") + "<extra></extra>",
        )
    )
    top = max(1.0, float(rows[["cakupan_lalu", "cakupan_kini"]].max().max()) * 100)
    fig.update_xaxes(title=t("opd_charts.axis_share"), range=[0, top * 1.18], ticksuffix="%")
    title = t("meeting_charts.coverage", n=int(cov["naik"].sum()), total=len(cov))
    return base_layout(fig, title, height=max(420, 34 * len(cov) + 150))


def entrants_figure(entrants: pd.DataFrame, prev: date, cur: date) -> go.Figure:
    """New entrants and re-entries per kecamatan between the two snapshots, most on top."""
    rows = entrants.sort_values(["jumlah", "kecamatan"], ascending=[True, False])
    fig = go.Figure()
    for col, name, color in (
        ("masuk_baru", t("flow.masuk_baru"), ORANGE),
        ("masuk_kembali", t("flow.masuk_kembali"), "#f3c27d"),
    ):
        fig.add_trace(
            go.Bar(
                x=rows[col],
                y=rows["kecamatan"],
                orientation="h",
                name=name,
                marker_color=color,
                hovertemplate=t("meeting_charts.hover_people") + "<extra></extra>",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=rows["jumlah"],
            y=rows["kecamatan"],
            mode="text",
            text=[f"  {fmt.number(v)}" for v in rows["jumlah"]],
            textposition="middle right",
            showlegend=False,
            hoverinfo="skip",
            cliponaxis=False,
        )
    )
    fig.update_layout(barmode="stack")
    fig.update_xaxes(
        title=t("unit.orang"), tickformat=",.0f", range=[0, max(1, int(rows["jumlah"].max())) * 1.2]
    )
    title = t("meeting_charts.entrants", prev=fmt.tanggal(prev), cur=fmt.tanggal(cur))
    return base_layout(fig, title, height=max(420, 42 * len(rows) + 140))


def for_projector(fig: go.Figure, height: int) -> go.Figure:
    """A copy with larger type, at most `height` px tall, for a projector (presentation mode)."""
    out = go.Figure(fig)
    out.update_layout(
        font_size=20,
        title_font_size=24,
        hoverlabel_font_size=20,
        height=min(height, fig.layout.height or height),
    )
    return out
