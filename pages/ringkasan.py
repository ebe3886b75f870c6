"""Ringkasan: the mayor's one screen — where the city stands against the target, and why."""

from datetime import date

import streamlit as st

from analytics import burndown, charts, settings, tables, ui
from analytics import formatting as fmt

store = ui.store()
ui.require()
target = settings.target_date(store)
df = burndown.series(store)
if df.empty:
    st.info("Belum ada snapshot. Impor berkas P3KE di halaman **Data & Impor**.")
    st.stop()

s = burndown.summary(df, target, date.today())
verdict = burndown.verdict(df, "orang", target)
st.title("Menuju nol miskin ekstrem")
st.caption(
    f"Kasus yang tercatat di daftar P3KE Kota Samarinda per snapshot {fmt.tanggal(s.latest)} — "
    "ini jumlah orang di daftar kota, bukan angka kemiskinan survei BPS."
)

c1, c2, c3, c4 = st.columns(4)
c1.metric(
    "Daftar awal (baseline)",
    f"{fmt.number(s.baseline_people)} orang",
    f"{fmt.number(s.baseline_families)} keluarga",
    delta_color="off",
)
c2.metric(
    "Sisa dari daftar awal",
    f"{fmt.number(s.remaining_people)} orang",
    f"−{fmt.percent(s.reduced_share)} sejak baseline",
    delta_color="inverse",
)
c3.metric(
    "Keluarga tersisa",
    fmt.number(s.remaining_families),
    f"{fmt.signed(s.remaining_families - s.baseline_families)} keluarga",
    delta_color="inverse",
)
if s.days_to_target >= 0:
    c4.metric(
        "Hari menuju target", fmt.number(s.days_to_target), f"target {fmt.tanggal(target)}", delta_color="off"
    )
else:
    c4.metric(
        "Target terlewati",
        f"{fmt.number(-s.days_to_target)} hari",
        f"target {fmt.tanggal(target)}",
        delta_color="off",
    )

box = st.success if verdict.on_track else st.error
box(f"**{verdict.headline}.** {verdict.reason}")
if s.new_people:
    st.caption(
        f"Selain itu {fmt.number(s.new_people)} orang temuan baru verifikasi ada di daftar "
        f"(total di daftar {fmt.number(s.on_list_people)} orang); mereka dihitung sebagai tambahan "
        "cakupan, bukan kemajuan."
    )

left, right = st.columns([3, 2])
fc = burndown.forecast(list(df["as_of"]), list(df["orang_sisa_baseline"]))
left.plotly_chart(
    charts.burndown_figure(
        df,
        "orang",
        target,
        fc,
        f"Sisa {fmt.number(s.remaining_people)} dari {fmt.number(s.baseline_people)} orang daftar awal",
        compact=True,
    ),
    key="ringkasan_burndown",
)
pockets = burndown.top_pockets(store)
top = pockets.iloc[0]
pockets_title = f"Kantong terbesar: {top['kecamatan']}<br>({fmt.number(top['orang_aktif'])} orang di daftar)"
right.plotly_chart(
    charts.pockets_bar(pockets, "orang_aktif", "kecamatan", pockets_title), key="ringkasan_pockets"
)
st.caption(
    f"Snapshot terakhir: {fmt.tanggal(s.latest, 'd MMMM yyyy')}. Rincian di halaman **Burn-down**, "
    "**Perubahan** dan **Peta**."
)
ui.downloads(tables.pockets_table(pockets), "kantong_terbesar", key="ringkasan_pockets_dl")
