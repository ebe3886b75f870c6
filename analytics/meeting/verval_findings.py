"""The meeting's "Verifikasi dan graduasi" finding (issue 19): the share of families on the list
verified lately, proven against unproven graduation, desil naik, and families back in poverty.
Numbers come from analytics.verval.graduation; this module puts the two meeting dates side by side.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import plotly.graph_objects as go

from analytics import formatting as fmt
from analytics.access.auth import User
from analytics.burndown.charts import BLUE, GREEN, GREY, ORANGE, base_layout
from analytics.i18n import t
from analytics.meeting.model import Finding, KeyNumber, since_label
from analytics.store.db import Store
from analytics.verval import graduation


def figure(rows: pd.DataFrame, title: str) -> go.Figure:
    """Exits since the last meeting: proven graduation, without proof, desil naik, corrections
    with a verification result (horizontal bars, largest reading first)."""
    fig = go.Figure(
        go.Bar(
            x=rows["orang"],
            y=rows["label"],
            orientation="h",
            marker_color=list(rows["warna"]),
            text=[fmt.number(v) for v in rows["orang"]],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{x:,.0f} " + t("unit.orang") + "<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(
        title=t("unit.orang"), tickformat=",.0f", range=[0, max(1, int(rows["orang"].max())) * 1.25]
    )
    return base_layout(fig, title, height=380)


def finding(store: Store, prev: date, cur: date, user: User) -> Finding:
    """Verification and graduation at the meeting's snapshot against the last meeting's."""
    a, b = graduation.summary(store, prev), graduation.summary(store, cur)
    back_prev, back_now = graduation.kembali_miskin(store, prev), graduation.kembali_miskin(store, cur)
    months = b.months
    proven = b.graduasi_terbukti - a.graduasi_terbukti
    unproven = b.graduasi_tanpa_bukti - a.graduasi_tanpa_bukti
    desil, from_verval = b.desil_naik - a.desil_naik, b.dari_verval - a.dari_verval
    numbers = [
        KeyNumber(
            t("c19.kn_verified", months=months),
            fmt.percent(b.verified_share),
            t("maps.of", n=fmt.number(b.keluarga_diverifikasi), total=fmt.number(b.keluarga_di_daftar)),
        ),
        # counted since the last meeting already: a change chip would repeat the number (and the slide
        # would not fit a 1366x768 projector)
        KeyNumber(t("c19.step_terbukti"), fmt.number(proven)),
        KeyNumber(t("c19.step_tanpa_bukti"), fmt.number(unproven)),
        KeyNumber(
            t("c19.kn_back"),
            fmt.number(len(back_now)),
            fmt.signed(len(back_now) - len(back_prev)),
            len(back_now) - len(back_prev),
            True,
        ),
    ]
    title = t(
        "c19.title",
        share=fmt.percent(b.verified_share),
        months=months,
        proven=fmt.number(proven),
        unproven=fmt.number(unproven),
        since=since_label(prev),
    )
    if len(back_now):
        title += t("c19.title_back", n=fmt.number(len(back_now)))
    unit = lambda key: t("c19.row_unit", label=t(key))  # noqa: E731
    rows = [
        (t("c19.row_on_list"), a.keluarga_di_daftar, b.keluarga_di_daftar),
        (t("c19.row_verified", months=months), a.keluarga_diverifikasi, b.keluarga_diverifikasi),
        (unit("c19.step_terbukti"), a.graduasi_terbukti, b.graduasi_terbukti),
        (unit("c19.step_tanpa_bukti"), a.graduasi_tanpa_bukti, b.graduasi_tanpa_bukti),
        (unit("reason.desil_naik"), a.desil_naik, b.desil_naik),
        (t("c19.row_verval"), a.dari_verval, b.dari_verval),
        (t("c19.row_unknown"), a.tidak_diketahui, b.tidak_diketahui),
        (t("c19.row_back"), len(back_prev), len(back_now)),
    ]
    table = pd.DataFrame(
        {
            t("meeting.measure"): [r[0] for r in rows],
            t("meeting.prev_at", date=fmt.tanggal(prev)): [int(r[1]) for r in rows],
            t("meeting.now_at", date=fmt.tanggal(cur)): [int(r[2]) for r in rows],
            t("col.perubahan"): [int(r[2]) - int(r[1]) for r in rows],
        }
    )
    bars = pd.DataFrame(
        [
            (t("c19.step_terbukti"), proven, GREEN),
            (t("c19.step_tanpa_bukti"), unproven, ORANGE),
            (t("reason.desil_naik"), desil, GREY),
            (t("c19.row_verval"), from_verval, BLUE),
        ],
        columns=["label", "orang", "warna"],
    )
    chart_title = t(
        "c19.chart_title",
        since=since_label(prev),
        proven=fmt.number(proven),
        unproven=fmt.number(unproven),
        desil=fmt.number(desil),
    )
    named = graduation.named_families(back_now, user)
    return Finding(
        "verval",
        t("c19.topic"),
        title,
        numbers,
        table,
        note=t("c19.note"),
        figure=lambda: figure(bars, chart_title),
        detail=None if named is None or named.empty else graduation.named_table(named),
        detail_title=t("c19.kembali_list", n=fmt.number(0 if named is None else len(named))),
    )
