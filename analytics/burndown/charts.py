"""Plotly figure builders for the burn-down, the waterfall and the kecamatan small multiples."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, timedelta

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from analytics import chart_labels, measures
from analytics import formatting as fmt
from analytics.burndown.progress import Forecast, ideal_at
from analytics.i18n import t
from analytics.store.settings import Target

BLUE, ORANGE, GREY, RED, GREEN = "#1f4e79", "#e08a1e", "#8c8c8c", "#c0392b", "#2e8b57"
SOURCE_COLOR = "#6a3d9a"  # the change of registry (P3KE -> DTSEN): unlike every other line on a time chart
IDEAL_DASHES = ("dash", "dashdot", "longdash", "dot")
FONT = dict(family="Inter, Segoe UI, Arial, sans-serif", size=16)


def base_layout(fig: go.Figure, title: str, height: int = 480) -> go.Figure:
    """Projector-readable defaults with id-ID separators (decimal comma, thousands dot)."""
    fig.update_layout(
        title=dict(text=title, x=0, xanchor="left", font=dict(size=20)),
        template="plotly_white",
        separators=",.",
        font=FONT,
        height=height,
        margin=dict(l=10, r=10, t=70, b=10),
        legend=dict(orientation="h", yanchor="bottom", y=-0.25, x=0),
        hoverlabel=dict(font_size=15),
    )
    return chart_labels.fit(fig)  # bar labels upright, inside the plot, above reference lines


def month_ticks(start: date, end: date, every: int = 3) -> tuple[list[date], list[str]]:
    """Tick positions and month labels in the language in force ('Nov 2022') every `every` months."""
    return fmt.month_ticks(start, end, every)


def month_axis(fig: go.Figure, start: date, end: date, every: int | None = None, **axis: object) -> go.Figure:
    """Label every date x axis of fig with babel month names in the language in force.

    Plotly's own date ticks and %b formats are English (d3) whatever the page's language, so every
    chart with dates on x goes through here: tickvals/ticktext from formatting.month_ticks, one tick
    every `every` months (by default enough for about eight ticks). Hover text names its dates with
    formatting.tanggal / bulan through customdata, never with a %{x|...} format.
    """
    start, end = pd.Timestamp(start).date(), pd.Timestamp(end).date()
    if every is None:
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        every = next(n for n in (1, 2, 3, 6, 12, 24) if months <= 8 * n or n == 24)
    ticks, labels = month_ticks(start, end, every)
    fig.update_xaxes(tickvals=ticks, ticktext=labels, **axis)
    return fig


def source_label(before: str, after: str) -> str:
    """'Sumber: P3KE → DTSEN' in the language in force."""
    return t("d19.source_change", before=before.upper(), after=after.upper())


def mark_source_change(
    fig: go.Figure,
    changes: Sequence[tuple[date, str, str]],
    start: date | None = None,
    end: date | None = None,
    subplots: bool = False,
) -> go.Figure:
    """A dashed vertical line at each date the registry changed, labelled 'Sumber: P3KE → DTSEN'.

    Every chart with dates on x calls this with progress.source_changes(store); changes outside
    [start, end] (when given) are left out. With subplots the line goes into every panel and the
    label into the first only.
    """
    for i, (when, before, after) in enumerate(changes):
        when = pd.Timestamp(when).date()
        if (start is not None and when < pd.Timestamp(start).date()) or (
            end is not None and when > pd.Timestamp(end).date()
        ):
            continue
        line = dict(color=SOURCE_COLOR, width=2, dash="dash")
        if subplots:
            fig.add_vline(x=when, line=line, row="all", col="all")
        else:
            fig.add_vline(x=when, line=line)
        fig.add_annotation(
            x=when,
            # below the target labels at the top; in small multiples to the line's left, inside the panel
            y=(0.98 if subplots else 0.84) - 0.08 * i,
            xref="x",
            yref="y domain" if subplots else "paper",
            text=source_label(before, after),
            showarrow=False,
            xanchor="right" if subplots else "left",
            yanchor="top",
            font=dict(color=SOURCE_COLOR, size=11 if subplots else 13),
            bgcolor="rgba(255,255,255,0.8)",
            name="sumber",
        )
    return fig


def _hover_dates(dates: pd.Series) -> list[str]:
    return [fmt.tanggal(d) for d in dates]


def burndown_figure(
    df: pd.DataFrame,
    unit: str,
    target: date | Sequence[Target],
    forecast: Forecast | None,
    title: str,
    compact: bool = False,
    changes: Sequence[tuple[date, str, str]] = (),
) -> go.Figure:
    """Baseline remaining as the burn-down, scope added stacked above it, the ideal line of each
    target (named after its legal basis), the forecast where it means something, and the change of
    registry (changes: progress.source_changes)."""
    remaining = df["orang_sisa_baseline"] if unit == "orang" else df["keluarga_sisa_baseline"]
    noun = t(f"unit.{unit}")
    dates, hover = list(df["as_of"]), _hover_dates(df["as_of"])
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=dates,
            y=remaining,
            name=measures.label(f"{unit}_sisa_daftar_awal"),
            mode="lines+markers",
            line=dict(color=BLUE, width=3),
            fill="tozeroy",
            fillcolor="rgba(31,78,121,0.12)",
            customdata=hover,
            hovertemplate="%{customdata}: %{y:,.0f} " + noun + "<extra></extra>",
        )
    )
    if unit == "orang" and df["orang_baru"].any():
        fig.add_trace(
            go.Scatter(
                x=dates,
                y=df["orang_sisa_baseline"] + df["orang_baru"],
                name=t("charts.incl_new"),
                mode="lines",
                line=dict(color=ORANGE, width=1.5, dash="dot"),
                fill="tonexty",
                fillcolor="rgba(224,138,30,0.25)",
                customdata=list(zip(hover, df["orang_baru"], strict=True)),
                hovertemplate=t("charts.incl_new_hover") + "<extra></extra>",
            )
        )
    start, base = dates[0], float(remaining.iloc[0])
    every = [target] if isinstance(target, date) else list(target)
    zero_dates = [goal if isinstance(goal, date) else goal.zero_by for goal in every]
    end = max(*zero_dates, dates[-1])
    for i, goal in enumerate(every):  # one ideal line per target, named after its legal basis
        name = (
            t("charts.ideal", date=fmt.tanggal(goal))
            if isinstance(goal, date)
            else t("i15s.ideal", basis=goal.basis, date=fmt.tanggal(goal.zero_by))
        )
        fig.add_trace(
            go.Scatter(
                x=[start, zero_dates[i]],
                y=[base, 0],
                name=name,
                mode="lines",
                line=dict(color=GREY, width=2, dash=IDEAL_DASHES[i % len(IDEAL_DASHES)]),
                hoverinfo="skip",
                meta="ideal",
            )
        )
    target = zero_dates[-1]
    if forecast is not None and forecast.projectable:
        horizon = forecast.zero_date or (forecast.last_date + timedelta(days=3 * 365))
        horizon = min(max(horizon, target), forecast.last_date + timedelta(days=6 * 365))
        end = max(end, horizon)
        xs = [
            forecast.last_date + timedelta(days=d)
            for d in range(0, (horizon - forecast.last_date).days + 31, 30)
        ]
        mid = [forecast.value_at(x) for x in xs]
        lo = [forecast.value_at(x, forecast.per_day_low) for x in xs]
        hi = [forecast.value_at(x, forecast.per_day_high) for x in xs]
        fig.add_trace(
            go.Scatter(x=xs, y=hi, mode="lines", line=dict(width=0), showlegend=False, hoverinfo="skip")
        )
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=lo,
                mode="lines",
                line=dict(width=0),
                fill="tonexty",
                fillcolor="rgba(192,57,43,0.12)",
                name=t("charts.band"),
                hoverinfo="skip",
            )
        )
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=mid,
                name=t("charts.projection"),
                mode="lines",
                line=dict(color=RED, width=2, dash="dot"),
                customdata=[fmt.tanggal(x) for x in xs],
                hovertemplate="%{customdata}: "
                + t("charts.projected")
                + " %{y:,.0f} "
                + noun
                + "<extra></extra>",
            )
        )
    for i, zero in enumerate(zero_dates):
        fig.add_vline(x=zero, line=dict(color=GREEN, width=2))
        fig.add_annotation(
            x=zero,
            y=1 - 0.07 * i,
            yref="paper",
            text=t("charts.target", date=fmt.tanggal(zero)),
            showarrow=False,
            xanchor="left",
            yanchor="top",
            font=dict(color=GREEN),
        )
    mark_source_change(fig, changes, start, dates[-1])
    month_axis(
        fig,
        start,
        end,
        every=3 if (end - start).days < 4 * 365 else 6,
        range=[start - timedelta(days=15), end + timedelta(days=15)],
    )
    fig.update_yaxes(title=t("charts.on_list", noun=noun), rangemode="tozero", tickformat=",.0f")
    base_layout(fig, title, height=300 if compact else 520)
    if compact:
        fig.update_layout(showlegend=False, margin=dict(l=10, r=10, t=50, b=10), title_font_size=16)
    return fig


def waterfall_figure(steps: pd.DataFrame, title: str) -> go.Figure:
    """Start count, exits by reason, entries, end count: bars that sum exactly.

    An exit step whose reasons came (partly) from verification says how many on hover
    ('3 dari verifikasi'), so a correction with evidence reads apart from one the file gave.
    """
    measure = ["absolute"] + ["relative"] * (len(steps) - 2) + ["total"]
    verval = steps["verval"] if "verval" in steps else pd.Series(0, index=steps.index)
    hover = [
        f"{label}: {fmt.number(abs(v))} {t('unit.orang')}"
        + (f" · {t('c19.from_verval', n=fmt.number(n))}" if n else "")
        for label, v, n in zip(steps["label"], steps["orang"], verval, strict=True)
    ]
    fig = go.Figure(
        go.Waterfall(
            x=steps["label"],
            y=steps["orang"],
            measure=measure,
            text=[
                fmt.signed(v) if m == "relative" else fmt.number(v)
                for v, m in zip(steps["orang"], measure, strict=True)
            ],
            textposition="outside",
            cliponaxis=False,
            decreasing=dict(marker=dict(color=BLUE)),
            increasing=dict(marker=dict(color=ORANGE)),
            totals=dict(marker=dict(color=GREY)),
            connector=dict(line=dict(color="#bbbbbb")),
            hovertext=hover,
            hoverinfo="text",
        )
    )
    fig.update_yaxes(title=t("unit.orang"), tickformat=",.0f")
    fig.update_xaxes(tickangle=-25)
    return base_layout(fig, title, height=560)


def small_multiples(
    series: pd.DataFrame,
    order: list[str],
    unit: str,
    target: date,
    title: str,
    changes: Sequence[tuple[date, str, str]] = (),
) -> go.Figure:
    """One small burn-down per kecamatan in the given order (most behind first), with its ideal line
    and the change of registry (changes: progress.source_changes)."""
    col = "orang_sisa_baseline" if unit == "orang" else "keluarga_sisa_baseline"
    cols = 5
    rows = math.ceil(len(order) / cols)
    names = series.drop_duplicates("kode_kecamatan").set_index("kode_kecamatan")["kecamatan"]
    fig = make_subplots(
        rows=rows,
        cols=cols,
        subplot_titles=[names[k] for k in order],
        shared_xaxes=True,
        vertical_spacing=0.16,
        horizontal_spacing=0.04,
    )
    for i, kode in enumerate(order):
        s = series[series["kode_kecamatan"] == kode]
        r, c = i // cols + 1, i % cols + 1
        dates = list(s["as_of"])
        base = float(s[col].iloc[0])
        fig.add_trace(
            go.Scatter(
                x=dates,
                y=s[col],
                mode="lines",
                line=dict(color=BLUE, width=2.5),
                showlegend=False,
                customdata=[fmt.tanggal(d) for d in dates],
                hovertemplate=names[kode] + " %{customdata}: %{y:,.0f}<extra></extra>",
            ),
            row=r,
            col=c,
        )
        last = dates[-1]
        fig.add_trace(
            go.Scatter(
                x=[dates[0], last],
                y=[base, ideal_at(base, dates[0], target, last)],
                mode="lines",
                line=dict(color=GREY, dash="dash", width=1.5),
                showlegend=False,
                hoverinfo="skip",
            ),
            row=r,
            col=c,
        )
    mark_source_change(fig, changes, series["as_of"].min(), series["as_of"].max(), subplots=True)
    month_axis(fig, series["as_of"].min(), series["as_of"].max(), every=12)
    fig.update_yaxes(rangemode="tozero", tickformat=",.0f")
    fig.update_annotations(font_size=15)
    return base_layout(fig, title, height=260 * rows + 80)


def pockets_bar(df: pd.DataFrame, value: str, label: str, title: str) -> go.Figure:
    """Horizontal bars of the largest pockets, largest on top."""
    df = df.sort_values(value)
    fig = go.Figure(
        go.Bar(
            x=df[value],
            y=df[label],
            orientation="h",
            marker_color=BLUE,
            text=[fmt.number(v) for v in df[value]],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{x:,.0f} " + t("unit.orang") + "<extra></extra>",
        )
    )
    fig.update_xaxes(tickformat=",.0f", title=measures.label("orang_di_daftar"))
    return base_layout(fig, title, height=300)
