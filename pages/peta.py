"""Peta Kantong Kemiskinan: where the people on the list live, over time, with drill-down."""

import streamlit as st

from analytics import formatting as fmt
from analytics import map_build, map_classes, map_figure, map_metrics, map_tables, maps, ui

store = ui.store()
ui.require()
st.title("Peta Kantong Kemiskinan")
st.caption(
    "Kasus pada daftar P3KE kota menurut kecamatan dan kelurahan (bukan angka kemiskinan). "
    "Angka dibaca dari ringkasan yang sama dengan grafik penurunan."
)
frames = map_build.frames(store)
if frames["kecamatan"].empty:
    st.info("Belum ada snapshot di store. Impor snapshot P3KE di halaman Data & Impor.")
    st.stop()
names = map_build.kecamatan_names(frames)
dates = map_metrics.snapshot_dates(frames["kecamatan"])
metrics = map_metrics.available(frames["kecamatan"])


def _drill_from_click() -> None:
    """Clicking a kecamatan on the city map opens its kelurahan map."""
    code = maps.selected_code(st.session_state.get("peta_map_kota"))
    if code in names:
        st.session_state["peta_kecamatan"] = code


def _back_to_city() -> None:
    st.session_state["peta_kecamatan"] = map_build.CITY


left, mid, right = st.columns([2, 2, 2])
metric_key = left.selectbox(
    "Ukuran", list(metrics), format_func=lambda k: metrics[k].label, key="peta_metric"
)
scheme = mid.selectbox(
    "Kelas warna", list(map_classes.SCHEMES), format_func=map_classes.SCHEMES.get, key="peta_scheme"
)
kecamatan = right.selectbox(
    "Wilayah",
    [map_build.CITY, *names],
    format_func=lambda k: f"Kec. {names[k]}" if k else "Seluruh kota (10 kecamatan)",
    key="peta_kecamatan",
)
mode = st.radio(
    "Tampilan",
    ["tanggal", "perubahan"],
    format_func={"tanggal": "Satu tanggal", "perubahan": "Perubahan antara dua tanggal"}.get,
    horizontal=True,
    key="peta_mode",
)
if mode == "tanggal":
    as_of = st.select_slider(
        "Tanggal snapshot", dates, value=dates[-1], format_func=fmt.tanggal, key="peta_date"
    )
    since = None
else:
    since, as_of = st.select_slider(
        "Bandingkan snapshot", dates, value=(dates[0], dates[-1]), format_func=fmt.tanggal, key="peta_range"
    )
    if since == as_of:
        st.warning("Pilih dua tanggal yang berbeda untuk melihat perubahan.")
if "per_1000" not in metrics:
    st.caption("ℹ️ " + map_metrics.METRICS["per_1000"].unavailable)

result = map_build.build(frames, metric_key, scheme, as_of, since, kecamatan)
map_col, side = st.columns([3, 1])
with map_col:
    if kecamatan:
        st.button("← Kembali ke seluruh kota", key="peta_back", on_click=_back_to_city)
    st.plotly_chart(
        result.figure,
        key="peta_map_kota" if not kecamatan else "peta_map_kel",
        on_select=_drill_from_click if not kecamatan else "ignore",
        selection_mode="points",
        config=map_figure.PLOTLY_CONFIG,
    )
    st.caption(map_tables.caption(metrics[metric_key], scheme, since, drilled=bool(kecamatan)))
with side:
    st.markdown(f"**{f'Kec. {names[kecamatan]}' if kecamatan else 'Kota Samarinda'}** · {fmt.tanggal(as_of)}")
    for figure in map_tables.summary(frames, as_of, kecamatan):
        st.metric(**figure)

with st.expander("Angka di peta ini", expanded=False):
    st.dataframe(result.table, hide_index=True, width="stretch", key="peta_table")
    ui.downloads(result.table, f"peta_{result.level}_{metric_key}", key="peta_table_dl")

st.subheader("Kantong kemiskinan")
rank_by = st.radio(
    "Urutkan menurut",
    list(map_tables.RANK_BY),
    format_func=map_tables.RANK_BY.get,
    horizontal=True,
    key="peta_rank_by",
)
st.markdown(f"**Kecamatan** · {fmt.tanggal(as_of)}")
kec_rank = map_tables.ranking(frames["kecamatan"], "kecamatan", as_of, rank_by)
st.dataframe(map_tables.highlight(kec_rank, kecamatan), hide_index=True, width="stretch", key="peta_rank_kec")
ui.downloads(kec_rank, "kantong_kecamatan", key="peta_rank_kec_dl")
where = f"Kec. {names[kecamatan]}" if kecamatan else "seluruh kota"
st.markdown(f"**Kelurahan** di {where} · {fmt.tanggal(as_of)}")
kel_rank = map_tables.ranking(frames["kelurahan"], "kelurahan", as_of, rank_by, kecamatan)
st.dataframe(
    kel_rank, hide_index=True, width="stretch", height=360 if not kecamatan else "auto", key="peta_rank_kel"
)
ui.downloads(kel_rank, "kantong_kelurahan", key="peta_rank_kel_dl")

st.subheader("Pemeriksaan gabungan kode wilayah ↔ batas wilayah")
unmatched = maps.unmatched_codes(store)
codes = store.query("map_stats_codes").iloc[0]
if unmatched.empty:
    st.success(
        f"Semua {fmt.number(codes['kode'])} kode kelurahan di data ({fmt.number(codes['baris'])} baris "
        "ringkasan) cocok dengan poligon batas wilayah; 0 baris tanpa poligon."
    )
else:
    check = map_tables.unmatched_table(unmatched)
    st.error(
        f"{fmt.number(len(unmatched))} kode wilayah di data tidak cocok dengan poligon mana pun "
        f"({fmt.number(unmatched['baris'].sum())} baris; {fmt.number(unmatched['orang_terakhir'].sum())} "
        "orang pada snapshot terakhir). Mereka tidak tergambar di peta tetapi tetap dihitung dalam "
        "total kota."
    )
    st.dataframe(check, hide_index=True, width="stretch", key="peta_unmatched")
    ui.downloads(check, "kode_tanpa_poligon", key="peta_unmatched_dl")
