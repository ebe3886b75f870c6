"""Peta Kantong Kemiskinan: where the people on the list live, over time, with drill-down."""

import streamlit as st

from analytics import formatting as fmt
from analytics import measures, ui
from analytics.i18n import t
from analytics.maps import build, classes, desil, geometry, words
from analytics.maps import figure as map_figure
from analytics.maps import metrics as map_metrics
from analytics.ui import area, view_state

store = ui.store()
user = ui.require()
imports = user.kind == "dinsos"  # only DinsosPM opens Data & Impor and mends the data behind the map
st.title(t("peta.title"))
st.caption(t("peta.caption"))
frames = ui.kept(build.frames, store)  # built once per store version, shared by every session
if frames["kecamatan"].empty:
    st.info(t("peta.empty"))
    st.stop()
names = build.kecamatan_names(frames)
dates = map_metrics.snapshot_dates(frames["kecamatan"])
metrics = map_metrics.available(frames["kecamatan"])


def _drill_from_click() -> None:
    """Clicking a kecamatan on the city map opens its kelurahan map."""
    code = geometry.selected_code(st.session_state.get("peta_map_kota"))
    if code in names:
        st.session_state["peta_kecamatan"] = code


def _back_to_city() -> None:
    st.session_state["peta_kecamatan"] = build.CITY


left, mid, right = st.columns([2, 2, 2])
metric_key = view_state.selectbox(
    t("peta.metric"),
    list(metrics),
    "ukuran",
    container=left,
    format_func={k: m.label for k, m in metrics.items()}.get,
    key="peta_metric",
)
scheme = view_state.selectbox(
    t("peta.scheme"),
    list(classes.SCHEMES),
    "kelas",
    container=mid,
    format_func={k: classes.scheme_label(k) for k in classes.SCHEMES}.get,
    key="peta_scheme",
)
area_labels = {build.CITY: t("peta.whole_city"), **{k: t("ui.area_kec", kec=v) for k, v in names.items()}}
kecamatan = view_state.selectbox(
    t("peta.area"),
    [build.CITY, *names],
    "kec",
    container=right,
    format_func=area_labels.get,
    key="peta_kecamatan",
)
mode = view_state.radio(
    t("peta.view"),
    ["tanggal", "perubahan"],
    "tampilan",
    format_func={"tanggal": t("peta.one_date"), "perubahan": t("peta.two_dates")}.get,
    horizontal=True,
    key="peta_mode",
)
if mode == "tanggal":
    as_of = view_state.select_slider(
        t("col.tanggal_snapshot"),
        dates,
        "tanggal",
        default=dates[-1],
        format_func=fmt.tanggal,
        key="peta_date",
    )
    since = None
else:
    since, as_of = view_state.select_slider(
        t("peta.compare"), dates, "rentang", pair=True, format_func=fmt.tanggal, key="peta_range"
    )
    if since == as_of:
        st.warning(t("peta.pick_two"))
if "per_1000" not in metrics:  # say where to import only to a role that can open that page
    unavailable = map_metrics.METRICS["per_1000"].unavailable if imports else t("i15s.per_1000_ask_dinsos")
    st.caption("ℹ️ " + unavailable)

result = ui.kept(build.for_store, store, metric_key, scheme, as_of, since, kecamatan, ui.policy().suppress)
map_col, side = st.columns([3, 1])
with map_col:
    if kecamatan:
        st.button(t("peta.back"), key="peta_back", on_click=_back_to_city)
    ui.chart(
        result.figure,
        key="peta_map_kota" if not kecamatan else "peta_map_kel",
        on_select=_drill_from_click if not kecamatan else "ignore",
        selection_mode="points",
        config=map_figure.PLOTLY_CONFIG,
    )
    st.caption(words.caption(metrics[metric_key], scheme, since, drilled=bool(kecamatan)))
with side:
    place = t("ui.area_kec", kec=names[kecamatan]) if kecamatan else t("ui.city")
    st.markdown(f"**{place}** · {fmt.tanggal(as_of)}")
    for figure in words.summary(frames, as_of, kecamatan):
        ui.metric(st, **figure)
    on_list, left = words.on_list_parts(frames, as_of, kecamatan)
    st.markdown(measures.side_by_side(on_list, left, on_list - left))
    if kecamatan:
        area.profile_link(kecamatan, place)

with st.expander(t("peta.numbers"), expanded=False):
    ui.dataframe(result.table, key="peta_table")
    ui.downloads(result.table, f"peta_{result.level}_{metric_key}", key="peta_table_dl")

st.subheader(t("peta.pockets"))
rank_by = view_state.radio(
    t("peta.rank_by"),
    list(words.RANK_BY),
    "urut",
    format_func={k: words.rank_by_label(k) for k in words.RANK_BY}.get,
    horizontal=True,
    key="peta_rank_by",
)
st.markdown(f"**{t('col.kecamatan')}** · {fmt.tanggal(as_of)}")
kec_rank = words.ranking(frames["kecamatan"], "kecamatan", as_of, rank_by)
st.caption(t("s3.pick_row"))
ui.dataframe(
    kec_rank,
    key="peta_rank_kec",
    style=lambda shown: words.highlight(shown, kecamatan),
    on_select="rerun",
    selection_mode="single-row",
)
ui.downloads(kec_rank, "kantong_kecamatan", key="peta_rank_kec_dl")
area.open_profile_on_select(kec_rank, "peta_rank_kec")
where = t("ui.area_kec", kec=names[kecamatan]) if kecamatan else t("peta.city_lower")
st.markdown(t("peta.kel_in", where=where, date=fmt.tanggal(as_of)))
kel_rank = words.ranking(frames["kelurahan"], "kelurahan", as_of, rank_by, kecamatan)
ui.dataframe(
    kel_rank,
    height=360 if not kecamatan else "auto",
    key="peta_rank_kel",
    on_select="rerun",
    selection_mode="single-row",
)
ui.downloads(kel_rank, "kantong_kelurahan", key="peta_rank_kel_dl")
area.open_profile_on_select(kel_rank, "peta_rank_kel")

# after the pockets: the list's own pockets come first, DTSEN's desil spread is a fact beside them
st.subheader(t("d19.desil_heading"))  # DTSEN's desil 1-4 per area: not the list, a fact of its own
desil_at = ui.kept(desil.latest_date, store)
if desil_at is None:
    st.info(t("d19.desil_none"))
else:
    listed = measures.label("keluarga_di_daftar")
    st.caption(t("d19.desil_caption", date=fmt.tanggal(desil_at), listed=listed))
    chosen = st.radio(
        t("d19.desil_pick"),
        desil.DESIL,
        format_func=lambda n: t("d19.desil_n", n=n),
        horizontal=True,
        key="peta_desil",
    )
    spread = ui.kept(desil.for_store, store, chosen, scheme, kecamatan, ui.policy().suppress)
    ui.chart(spread.figure, key="peta_desil_map", config=map_figure.PLOTLY_CONFIG)
    ui.chart(spread.bars, key="peta_desil_bars")
    with st.expander(t("peta.numbers"), expanded=False):
        ui.dataframe(spread.table, key="peta_desil_table")
        ui.downloads(spread.table, f"peta_desil_{spread.level}", key="peta_desil_dl")


if imports:  # the join check is a data task for DinsosPM, not the mayor's reading
    st.subheader(t("peta.join_check"))
    unmatched = geometry.unmatched_codes(store)
    codes = store.query("map_stats_codes").iloc[0]
    if unmatched.empty:
        st.success(t("peta.join_ok", codes=fmt.number(codes["kode"]), rows=fmt.number(codes["baris"])))
    else:
        check = words.unmatched_table(unmatched)
        st.error(
            t(
                "peta.join_bad",
                codes=fmt.number(len(unmatched)),
                rows=fmt.number(unmatched["baris"].sum()),
                people=fmt.number(unmatched["orang_terakhir"].sum()),
            )
        )
        ui.dataframe(check, key="peta_unmatched")
        ui.downloads(check, "kode_tanpa_poligon", key="peta_unmatched_dl")
