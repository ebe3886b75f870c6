"""Plotly figures for the Intervensi OPD page; each title states the finding."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from analytics import formatting as fmt
from analytics.burndown.charts import BLUE, GREY, ORANGE, RED, base_layout, mark_source_change, month_axis
from analytics.domain import STRATEGIES
from analytics.i18n import t
from analytics.opd.budget import Budget
from analytics.opd.coverage import LATE_DAYS, combo_label

LIGHT = "#d9d9d9"


def _pct(x: float | None) -> str:
    return fmt.percent(x) if x is not None and pd.notna(x) else "–"


def ranking_figure(cov: pd.DataFrame, highlight: str | None = None) -> go.Figure:
    """OPDs side by side: share of the list's families each has reached, the chosen OPD in orange."""
    opds = cov[cov["kode_opd"] != "*"].sort_values(["keluarga_terjangkau", "orang_terjangkau"])
    colors = [ORANGE if k == highlight else BLUE for k in opds["kode_opd"]]
    text = [
        t("opd_charts.label.bar", share=_pct(s), n=fmt.number(k))
        for s, k in zip(opds["cakupan_keluarga"], opds["keluarga_terjangkau"], strict=True)
    ]
    fig = go.Figure(
        go.Bar(
            x=opds["cakupan_keluarga"].fillna(0) * 100,
            y=opds["singkatan"],
            orientation="h",
            marker_color=colors,
            text=text,
            textposition="outside",
            cliponaxis=False,
            customdata=list(
                zip(opds["nama"], opds["keluarga_terjangkau"], opds["orang_terjangkau"], strict=True)
            ),
            hovertemplate=t("opd_charts.label.hover_rank") + "<extra></extra>",
        )
    )
    ranked = opds.iloc[::-1].reset_index(drop=True)
    if highlight is not None and highlight in set(ranked["kode_opd"]):
        row = ranked[ranked["kode_opd"] == highlight].iloc[0]
        rank = int(ranked.index[ranked["kode_opd"] == highlight][0]) + 1
        title = t(
            "opd_charts.rank",
            opd=row["singkatan"],
            rank=rank,
            total=len(ranked),
            n=fmt.number(row["keluarga_terjangkau"]),
            share=_pct(row["cakupan_keluarga"]),
        )
    else:
        top, none = ranked.iloc[0], int((ranked["keluarga_terjangkau"] == 0).sum())
        share = _pct(top["cakupan_keluarga"])
        title = t("opd_charts.top", opd=top["singkatan"], share=share)
        title += t("opd_charts.none_reached", n=none) if none else ""
    fig.update_xaxes(title=t("opd_charts.axis_share"), range=[0, 118], ticksuffix="%")
    fig.update_layout(bargap=0.25)
    return base_layout(fig, title, height=max(420, 34 * len(opds) + 120))


def heatmap_figure(kec: pd.DataFrame) -> go.Figure:
    """OPD x kecamatan: share of each kecamatan's families on the list that the OPD has reached."""
    z = kec.pivot_table(index="singkatan", columns="kecamatan", values="cakupan", sort=False, dropna=False)
    hit = kec.pivot_table(
        index="singkatan", columns="kecamatan", values="keluarga_terjangkau", sort=False, dropna=False
    )
    listed = kec.pivot_table(
        index="singkatan", columns="kecamatan", values="keluarga_di_daftar", sort=False, dropna=False
    )
    text = z.map(lambda v: fmt.percent(v, 0) if pd.notna(v) else "–")
    fig = go.Figure(
        go.Heatmap(
            z=(z * 100).to_numpy(),
            x=list(z.columns),
            y=list(z.index),
            text=text.to_numpy(),
            texttemplate="%{text}",
            colorscale="Blues",
            zmin=0,
            zmax=100,
            colorbar=dict(title=t("opd_charts.label.colorbar"), ticksuffix="%"),
            customdata=np.dstack([hit.to_numpy(), listed.to_numpy()]),
            hovertemplate=t("opd_charts.label.hover_heatmap") + "<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(side="top", tickangle=-30)
    everyone = kec[kec["kode_opd"] == "*"]
    listed_any = everyone[everyone["keluarga_di_daftar"] > 0]
    if listed_any.empty:
        title = t("opd_charts.heatmap")
    else:
        low = listed_any.sort_values("cakupan").iloc[0]
        title = t("opd_charts.lowest", kec=low["kecamatan"], pct=fmt.percent(low["cakupan"]))
    fig = base_layout(fig, title, height=max(460, 30 * len(z) + 170))
    fig.update_layout(margin=dict(l=10, r=10, t=150, b=10))
    return fig


def upset_figure(combos: pd.DataFrame) -> go.Figure:
    """UpSet-style: families per combination of strategies (bars) over a dot matrix of the strategies."""
    names = list(STRATEGIES.values())
    labels = list(combos["kombinasi"])
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.68, 0.32], vertical_spacing=0.03)
    untouched = ~combos[list(STRATEGIES)].any(axis=1)
    colors = [RED if none else BLUE for none in untouched]
    fig.add_trace(
        go.Bar(
            x=labels,
            y=combos["keluarga"],
            marker_color=colors,
            text=[fmt.number(v) for v in combos["keluarga"]],
            textposition="outside",
            cliponaxis=False,
            customdata=combos["orang"],
            hovertemplate=t("opd_charts.label.hover_combo") + "<extra></extra>",
            showlegend=False,
        ),
        row=1,
        col=1,
    )
    for key, name in STRATEGIES.items():
        on = combos[key].to_numpy()
        fig.add_trace(
            go.Scatter(
                x=labels,
                y=[name] * len(labels),
                mode="markers",
                marker=dict(size=16, color=[BLUE if v else LIGHT for v in on]),
                hoverinfo="skip",
                showlegend=False,
            ),
            row=2,
            col=1,
        )
    for lab, row in zip(labels, combos.itertuples(), strict=True):
        members = [n for n, k in zip(names, STRATEGIES, strict=True) if getattr(row, k)]
        if len(members) > 1:
            fig.add_trace(
                go.Scatter(
                    x=[lab, lab],
                    y=[members[0], members[-1]],
                    mode="lines",
                    line=dict(color=BLUE, width=3),
                    hoverinfo="skip",
                    showlegend=False,
                ),
                row=2,
                col=1,
            )
    fig.update_yaxes(title=t("unit.keluarga"), tickformat=",.0f", row=1, col=1)
    fig.update_yaxes(categoryorder="array", categoryarray=names[::-1], row=2, col=1)
    fig.update_xaxes(showticklabels=False, row=2, col=1)
    total = int(combos["keluarga"].sum())
    get = combos.set_index("kombinasi")["keluarga"]
    all3 = int(get.get(combo_label((True, True, True)), 0))
    none = int(get.get(combo_label((False, False, False)), 0))
    cash = int(get.get(combo_label((True, False, False)), 0))
    title = t(
        "opd_charts.overlap",
        all3=fmt.number(all3),
        cash=fmt.number(cash),
        none=fmt.number(none),
        total=fmt.number(total),
    )
    return base_layout(fig, title, height=560)


def untouched_figure(df: pd.DataFrame) -> go.Figure:
    """Families on the list that no intervention has reached, per kecamatan."""
    rows = df.sort_values("keluarga_belum_tersentuh")
    fig = go.Figure(
        go.Bar(
            x=rows["keluarga_belum_tersentuh"],
            y=rows["kecamatan"],
            orientation="h",
            marker_color=RED,
            text=[
                f"{fmt.number(n)} ({_pct(p)})"
                for n, p in zip(rows["keluarga_belum_tersentuh"], rows["porsi"], strict=True)
            ],
            textposition="outside",
            cliponaxis=False,
            customdata=rows["keluarga_di_daftar"],
            hovertemplate=t("opd_charts.label.hover_untouched") + "<extra></extra>",
        )
    )
    total = int(df["keluarga_belum_tersentuh"].sum())
    listed = int(df["keluarga_di_daftar"].sum())
    top = df.sort_values("keluarga_belum_tersentuh").iloc[-1] if total else None
    title = t("opd_charts.untouched", n=fmt.number(total), listed=fmt.number(listed))
    if top is not None:
        title += t("opd_charts.most_in", kec=top["kecamatan"], n=fmt.number(top["keluarga_belum_tersentuh"]))
    fig.update_xaxes(
        title=t("opd_charts.axis_untouched"),
        tickformat=",.0f",
        range=[0, max(1, rows["keluarga_belum_tersentuh"].max()) * 1.3],
    )
    return base_layout(fig, title, height=460)


def freshness_figure(df: pd.DataFrame, as_of: date) -> go.Figure:
    """Days between each OPD's latest record and the snapshot; late senders in red."""
    rows = df.sort_values("hari_sejak_data", na_position="last")
    days = rows["hari_sejak_data"].fillna(0)
    colors = [RED if late else BLUE for late in rows["terlambat"]]
    text = [
        t("opd_charts.never") if pd.isna(d) else t("opd_charts.days", n=fmt.number(d), date=fmt.tanggal(ts))
        for d, ts in zip(rows["hari_sejak_data"], rows["data_terakhir"], strict=True)
    ]
    fig = go.Figure(
        go.Bar(
            x=days,
            y=rows["singkatan"],
            orientation="h",
            marker_color=colors,
            text=text,
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    )
    fig.add_vline(x=LATE_DAYS, line=dict(color=GREY, dash="dash"))
    late = int(rows["terlambat"].sum())
    title = (
        t("opd_charts.late", n=late, days=LATE_DAYS, date=fmt.tanggal(as_of))
        if late
        else t("opd_charts.all_fresh", days=LATE_DAYS, date=fmt.tanggal(as_of))
    )
    fig.update_xaxes(title=t("opd_charts.axis_days"), range=[0, max(LATE_DAYS, float(days.max())) * 1.45])
    return base_layout(fig, title, height=max(420, 32 * len(rows) + 120))


def off_list_figure(cov: pd.DataFrame) -> go.Figure:
    """Beneficiaries outside the P3KE list per OPD, with their share of the OPD's beneficiaries."""
    rows = cov[(cov["kode_opd"] != "*") & (cov["penerima_luar_daftar"] > 0)].sort_values(
        "penerima_luar_daftar"
    )
    share = rows["penerima_luar_daftar"] / rows["penerima"].where(rows["penerima"] > 0)
    fig = go.Figure(
        go.Bar(
            x=rows["penerima_luar_daftar"],
            y=rows["singkatan"],
            orientation="h",
            marker_color=ORANGE,
            text=[
                t("opd_charts.label.bar_off_list", n=fmt.number(n), share=_pct(s))
                for n, s in zip(rows["penerima_luar_daftar"], share, strict=True)
            ],
            textposition="outside",
            cliponaxis=False,
            hovertemplate=t("opd_charts.label.hover_off_list") + "<extra></extra>",
        )
    )
    total = int(cov.loc[cov["kode_opd"] == "*", "penerima_luar_daftar"].sum())
    if rows.empty:
        title = t("opd_charts.no_off_list")
    else:
        top = rows.iloc[-1]
        title = t(
            "opd_charts.off_list",
            n=len(rows),
            total=fmt.number(total),
            opd=top["singkatan"],
            top=fmt.number(top["penerima_luar_daftar"]),
        )
    fig.update_xaxes(
        title=t("opd_charts.axis_off_list"),
        tickformat=",.0f",
        range=[0, max(1, rows["penerima_luar_daftar"].max() if len(rows) else 1) * 1.6],
    )
    return base_layout(fig, title, height=max(320, 40 * len(rows) + 140))


def _juta(values: pd.Series) -> list[float | None]:
    """Rupiah in millions; unknown months stay empty (a gap in the line, no bar)."""
    return [None if pd.isna(v) else float(v) / 1e6 for v in values]


def _rp(values: pd.Series) -> list[str]:
    return [t("opd_charts.label.no_data") if pd.isna(v) else fmt.rupiah(v) for v in values]


def _month_rp(months: list, values: pd.Series) -> list[list[str]]:
    """Hover data per point: [month in the language in force, rupiah]."""
    return [[fmt.bulan(d), rp] for d, rp in zip(months, _rp(values), strict=True)]


def budget_monthly_figure(b: Budget, changes: Sequence[tuple[date, str, str]] = ()) -> go.Figure:
    """Cumulative planned against delivered rupiah (top) and each month's amounts (bottom), with the
    change of registry inside those months (changes: burndown.progress.source_changes)."""
    m = b.monthly
    x = list(m["bulan"])
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.6, 0.4], vertical_spacing=0.06)
    fig.add_trace(
        go.Scatter(
            x=x,
            y=_juta(m["rencana_kumulatif"]),
            name=t("opd_charts.plan_cum"),
            mode="lines",
            line=dict(color=GREY, width=2, dash="dash"),
            customdata=_month_rp(x, m["rencana_kumulatif"]),
            hovertemplate=t("opd_charts.label.hover_plan") + "<extra></extra>",
        ),
        row=1,
        col=1,
    )
    fig.add_trace(
        go.Scatter(
            x=x,
            y=_juta(m["tersalur_kumulatif"]),
            name=t("opd_charts.delivered_cum"),
            mode="lines+markers",
            line=dict(color=BLUE, width=3),
            customdata=_month_rp(x, m["tersalur_kumulatif"]),
            hovertemplate=t("opd_charts.label.hover_delivered") + "<extra></extra>",
        ),
        row=1,
        col=1,
    )
    for col, name, color in (
        ("rencana", t("opd_charts.plan_month"), LIGHT),
        ("tersalur", t("opd_charts.delivered_month"), BLUE),
    ):
        fig.add_trace(
            go.Bar(
                x=x,
                y=_juta(m[col]),
                name=name,
                marker_color=color,
                customdata=_month_rp(x, m[col]),
                hovertemplate="%{customdata[0]}: %{customdata[1]}<extra></extra>",
            ),
            row=2,
            col=1,
        )
    fig.update_yaxes(title=t("opd_charts.label.axis_rp"), tickformat=",.0f")
    if x:
        mark_source_change(fig, changes, min(x), max(x), subplots=True)
        month_axis(fig, min(x), max(x))
    fig.update_layout(barmode="group")
    title = t(
        "opd_charts.budget",
        program=b.program["kode_program"],
        delivered=fmt.rupiah(b.tersalur),
        plan=fmt.rupiah(b.rencana),
        pct=_pct(b.realisasi),
        date=fmt.tanggal(b.as_of),
    )
    return base_layout(fig, title, height=560)


def budget_kecamatan_figure(b: Budget) -> go.Figure:
    """Planned against delivered rupiah per kecamatan."""
    rows = b.kecamatan.iloc[::-1]
    fig = go.Figure()
    for col, name, color in (
        ("rencana", t("intervensi.plan"), LIGHT),
        ("tersalur", t("intervensi.delivered"), BLUE),
    ):
        fig.add_trace(
            go.Bar(
                x=rows[col] / 1e6,
                y=rows["kecamatan"],
                orientation="h",
                name=name,
                marker_color=color,
                customdata=[fmt.rupiah(v) for v in rows[col]],
                hovertemplate="%{y}: %{customdata}<extra></extra>",
            )
        )
    fig.update_layout(barmode="group")
    fig.update_xaxes(title=t("opd_charts.label.axis_rp"), tickformat=",.0f")
    gap = b.kecamatan.sort_values("sisa").iloc[-1] if len(b.kecamatan) else None
    title = t("opd_charts.budget_left", n=fmt.rupiah(b.sisa))
    if gap is not None and gap["sisa"] > 0:
        title += t("opd_charts.largest_in", kec=gap["kecamatan"], n=fmt.rupiah(gap["sisa"]))
    return base_layout(fig, title, height=520)
