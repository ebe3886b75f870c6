"""Burn-down: how many of the original list remain at each snapshot, against the ideal line."""

from datetime import date

import streamlit as st

from analytics import burndown, charts, settings, tables, ui
from analytics import formatting as fmt

store = ui.store()
ui.require()
st.title("Burn-down menuju nol")

with st.sidebar:
    unit = st.radio(
        "Satuan", ["orang", "keluarga"], format_func=str.capitalize, key="burndown_unit", horizontal=True
    )
    kode_kec, kode_kel, area_label = ui.area_filter(store, "burndown")

target = settings.target_date(store)
df = burndown.series(store, kode_kec, kode_kel)
if df.empty or df["orang_sisa_baseline"].iloc[0] == 0:
    st.info(f"Belum ada data daftar awal untuk {area_label}.")
    st.stop()

col = burndown.remaining_column(unit)
fc = burndown.forecast(list(df["as_of"]), list(df[col]))
verdict = burndown.verdict(df, unit, target)
base, last = int(df[col].iloc[0]), int(df[col].iloc[-1])
title = (
    f"{area_label}: tersisa {fmt.number(last)} dari {fmt.number(base)} {unit} daftar awal "
    f"({fmt.signed(-(1 - last / base) * 100, 1)}%)"
)
(st.success if verdict.on_track else st.error)(f"**{verdict.headline}.** {verdict.reason}")
st.plotly_chart(charts.burndown_figure(df, unit, target, fc, title), key="burndown_chart")
if fc is not None and fc.zero_date_early:
    late = fmt.tanggal(fc.zero_date_late, "MMMM yyyy") if fc.zero_date_late else "tidak tercapai"
    st.caption(
        f"Proyeksi dari {fc.window} snapshot terakhir. Rentang 95% tanggal nol: "
        f"{fmt.tanggal(fc.zero_date_early, 'MMMM yyyy')} – {late}. Garis oranye: temuan baru "
        "verifikasi (tambahan cakupan), tidak dihitung sebagai kemajuan."
    )

st.subheader("Per kecamatan, yang paling tertinggal lebih dulu")
behind = burndown.kecamatan_behind(store, unit, target)
worst = behind.iloc[0]
st.plotly_chart(
    charts.small_multiples(
        burndown.kecamatan_series(store),
        list(behind["kode_kecamatan"]),
        unit,
        target,
        f"{worst['kecamatan']} paling tertinggal: masih {fmt.percent(worst['sisa_share'])} "
        "dari daftar awalnya",
    ),
    key="burndown_multiples",
)
ui.table(tables.behind_table(behind), "kecamatan_tertinggal", key="burndown_behind")

st.subheader("Data burn-down")
ui.table(tables.burndown_table(df), f"burndown_{area_label.replace(' ', '_')}", key="burndown_series")
st.caption(
    f"Hari ini {fmt.tanggal(date.today())}. Angka = kasus di daftar P3KE kota, bukan angka kemiskinan BPS."
)
