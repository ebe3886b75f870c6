"""Perubahan: why the list fell between two snapshots, and who left or entered."""

import streamlit as st

from analytics import burndown, charts, tables, ui
from analytics import formatting as fmt

store = ui.store()
user = ui.require()
st.title("Mengapa angkanya turun")
dates = ui.snapshot_dates(store)
if len(dates) < 2:
    st.info("Perlu sedikitnya dua snapshot untuk membandingkan.")
    st.stop()

with st.sidebar:
    kode_kec, kode_kel, area_label = ui.area_filter(store, "perubahan")
c1, c2 = st.columns(2)
date_from = c1.selectbox("Dari snapshot", dates[:-1], index=0, format_func=fmt.tanggal, key="perubahan_dari")
later = [d for d in dates if d > date_from]
date_to = c2.selectbox(
    "Sampai snapshot", later, index=len(later) - 1, format_func=fmt.tanggal, key="perubahan_sampai"
)

steps = burndown.waterfall(store, date_from, date_to, kode_kec, kode_kel)
parts = burndown.fall_breakdown(steps)
start, end = int(steps["orang"].iloc[0]), int(steps["orang"].iloc[-1])
grad_share = parts["graduasi"] / parts["keluar"] if parts["keluar"] else 0.0
title = (
    f"{area_label}: {fmt.number(start)} → {fmt.number(end)} orang; "
    f"{fmt.percent(grad_share)} dari yang keluar karena graduasi"
)
st.plotly_chart(charts.waterfall_figure(steps, title), key="perubahan_waterfall")
m1, m2, m3, m4 = st.columns(4)
m1.metric("Keluar dari daftar", fmt.number(parts["keluar"]))
m2.metric(
    "Graduasi (nyata)",
    fmt.number(parts["graduasi"]),
    fmt.percent(grad_share),
    delta_color="off",
    delta_arrow="off",
)
m3.metric(
    "Koreksi data",
    fmt.number(parts["koreksi"]),
    fmt.percent(parts["koreksi"] / parts["keluar"] if parts["keluar"] else 0),
    delta_color="off",
    delta_arrow="off",
)
m4.metric("Alasan tidak diketahui", fmt.number(parts["tidak_diketahui"]))
st.caption(
    "Koreksi data = meninggal, pindah, tidak layak, menolak, data ganda. Orang yang hilang dari berkas "
    "tanpa baris Keluar dicatat 'alasan tidak diketahui', tidak ditebak."
)
waterfall_view = steps[["label", "orang"]].rename(columns={"label": "Langkah", "orang": "Orang"})
ui.downloads(waterfall_view, "penyebab_turun", key="perubahan_waterfall_dl")

st.subheader("Siapa keluar dan siapa masuk")
if not user.sees_named_records:
    st.info("Daftar per orang hanya tersedia untuk DinsosPM dan OPD (penerima manfaatnya sendiri).")
    st.stop()
if user.kind == "opd":
    st.caption(f"Hanya orang yang tercatat sebagai penerima atau keluarga sasaran {user.opd}.")
diff = tables.diff_table(
    burndown.snapshot_diff(store, date_from, date_to, user, kode_kec, kode_kel), user.sees_named_records
)
kinds = ["Semua", *sorted(diff["Perubahan"].unique())]
kind = st.selectbox("Jenis perubahan", kinds, key="perubahan_jenis")
shown = diff if kind == "Semua" else diff[diff["Perubahan"] == kind]
st.caption(f"{fmt.number(len(shown))} orang. NIK ditampilkan tersamar dan tidak pernah disimpan utuh.")
ui.table(shown, f"perubahan_{date_from}_{date_to}", key="perubahan_diff")
