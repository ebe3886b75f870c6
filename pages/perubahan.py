"""Perubahan: why the list fell between two snapshots, and who left or entered."""

import streamlit as st

from analytics import formatting as fmt
from analytics import tables, ui
from analytics.access import disclosure
from analytics.burndown import charts, progress
from analytics.i18n import t
from analytics.opd import focus
from analytics.ui import view_state

store = ui.store()
user = ui.require()
st.title(t("perubahan.title"))
dates = ui.snapshot_dates(store)
if len(dates) < 2:
    st.info(t("perubahan.need_two"))
    st.stop()

with ui.filter_bar():
    kode_kec, kode_kel, area_label = ui.area_filter(store, "perubahan")
c1, c2 = st.columns(2)
date_from = view_state.selectbox(
    t("perubahan.from"), dates[:-1], "dari", container=c1, format_func=fmt.tanggal, key="perubahan_dari"
)
later = [d for d in dates if d > date_from]
date_to = view_state.selectbox(
    t("perubahan.to"),
    later,
    "sampai",
    container=c2,
    default=later[-1],
    format_func=fmt.tanggal,
    key="perubahan_sampai",
)

steps = progress.waterfall(store, date_from, date_to, kode_kec, kode_kel)
parts = progress.fall_breakdown(steps)
start, end = int(steps["orang"].iloc[0]), int(steps["orang"].iloc[-1])
grad_share = parts["graduasi"] / parts["keluar"] if parts["keluar"] else 0.0
policy = ui.policy()
gone = policy.steps(list(steps["orang"]), [])
in_chart = {k for i, k in enumerate(steps["langkah"]) if i in gone}
whole = {k: parts[k] for k in ("keluar", "graduasi", "desil_naik", "koreksi", "tidak_diketahui")}
in_chart_parts = {k for k in ("desil_naik", "tidak_diketahui") if f"keluar:{k}" in in_chart}
if in_chart & {"keluar:graduasi:terbukti", "keluar:graduasi:tanpa_bukti"}:
    in_chart_parts.add("graduasi")
hidden = policy.parts(whole, "keluar", in_chart_parts)
title = t(
    "perubahan.chart_title",
    area=area_label,
    start=fmt.number(start),
    end=fmt.number(end),
    pct=disclosure.HIDDEN if hidden else fmt.percent(grad_share),
)
ui.chart(ui.figure(charts.waterfall_figure, steps, policy.text(title)), key="perubahan_waterfall")


def shown(key: str) -> str:
    return disclosure.SMALL if key in hidden else fmt.number(parts[key])


def share(key: str) -> str:
    return (
        disclosure.HIDDEN if hidden else fmt.percent(parts[key] / parts["keluar"] if parts["keluar"] else 0)
    )


m1, m2, m3, m4, m5 = st.columns(5)
m1.metric(t("perubahan.exits"), shown("keluar"))
m2.metric(
    t("perubahan.graduation"), shown("graduasi"), share("graduasi"), delta_color="off", delta_arrow="off"
)
m3.metric(
    t("reason.desil_naik"), shown("desil_naik"), share("desil_naik"), delta_color="off", delta_arrow="off"
)
m4.metric(t("perubahan.correction"), shown("koreksi"), share("koreksi"), delta_color="off", delta_arrow="off")
m5.metric(t("reason.tidak_diketahui"), shown("tidak_diketahui"))
st.caption(t("perubahan.correction_note"))
# The split of graduation into proven and unproven, and how many corrections a verification gave,
# each hidden where a small count (or one it gives back) would show.
split = {
    "graduasi": parts["graduasi"],
    "graduasi_terbukti": parts["graduasi_terbukti"],
    "graduasi_tanpa_bukti": parts["graduasi_tanpa_bukti"],
}
fix = {
    "koreksi": parts["koreksi"],
    "koreksi_verval": parts["koreksi_verval"],
    "koreksi_registri": parts["koreksi"] - parts["koreksi_verval"],
}
gone_split = policy.parts(split, "graduasi", {"graduasi"} & hidden) | policy.parts(
    fix, "koreksi", {"koreksi"} & hidden
)
split_shown = lambda k: disclosure.SMALL if k in gone_split else fmt.number({**split, **fix}[k])  # noqa: E731
st.caption(
    t(
        "c19.split_note",
        proven=split_shown("graduasi_terbukti"),
        unproven=split_shown("graduasi_tanpa_bukti"),
        verval=split_shown("koreksi_verval"),
        corr=split_shown("koreksi"),
    )
)
waterfall_view = steps[["label", "orang"]].astype({"orang": object})
waterfall_view.loc[sorted(gone), "orang"] = disclosure.SMALL
waterfall_view = waterfall_view.rename(columns={"label": t("perubahan.step"), "orang": t("col.orang")})
ui.downloads(waterfall_view, "penyebab_turun", key="perubahan_waterfall_dl")

st.subheader(t("perubahan.who"))
if not user.sees_named_records:
    st.info(t("perubahan.named_only"))
    st.stop()
if user.kind == "opd":
    st.caption(t("perubahan.opd_only", opd=focus.short_name(store, user.opd) or "?"))
if user.area:
    st.caption(t("s3.area_only", area=user.area))
kinds = progress.snapshot_diff_kinds(store, date_from, date_to, user, kode_kec, kode_kel)
choices = [None, *((k.arus, None if k.arus != "keluar" else k.alasan) for k in kinds.itertuples())]
counts = {(k.arus, None if k.arus != "keluar" else k.alasan): k.orang for k in kinds.itertuples()}
kind = view_state.selectbox(  # in the link as ?jenis=keluar~graduasi, masuk_baru~, …
    t("perubahan.kind"),
    choices,
    "jenis",
    format_func=lambda c: (
        t("perubahan.all") if c is None else f"{tables.change_label(*c)} ({fmt.number(counts[c])})"
    ),
    key="perubahan_jenis",
)
named = user.sees_named_records


def page(limit: int, offset: int):
    rows, total = progress.snapshot_diff_page(
        store, date_from, date_to, user, kode_kec, kode_kel, kind, limit, offset
    )
    return tables.diff_table(rows, named), total


def every_row(who):
    arus, alasan = kind or (None, None)
    rows = progress.snapshot_diff(
        store, date_from, date_to, who, kode_kec, kode_kel, arus=arus, alasan=alasan
    )
    return tables.diff_table(rows, who.sees_named_records)


ui.paged_table(page, every_row, f"perubahan_{date_from}_{date_to}", key="perubahan_diff")
