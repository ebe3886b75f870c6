"""Intervensi OPD: who each OPD reached on the list, overlaps, untouched families, off-list, BLT budget."""

import streamlit as st

from analytics import formatting as fmt
from analytics import measures, ui
from analytics.i18n import t
from analytics.opd import charts, coverage
from analytics.opd import focus as opd_focus
from analytics.ui import budget_tab, view_state
from analytics.ui import opd_focus as ui_opd_focus

store = ui.store()
user = ui.require()
st.title(t("intervensi.title"))
if problem := coverage.catalog_notice(store):
    st.warning(fmt.md(problem))
dates = ui.snapshot_dates(store)
if not dates or not coverage.has_interventions(store):
    st.info(t("intervensi.empty"))
    st.stop()

left, right = st.columns(2)
as_of = view_state.selectbox(
    t("intervensi.snapshot"),
    dates[::-1],
    "tanggal",
    container=left,
    format_func=fmt.tanggal,
    key="intervensi_snapshot",
)
focus = ui_opd_focus.choose(store, user, "intervensi_opd", right)

cov = coverage.coverage(store, as_of)
city = cov[cov["kode_opd"] == "*"].iloc[0]
untouched = coverage.untouched_by_kecamatan(store, as_of)
if ui_opd_focus.headline(store, focus, as_of):  # the OPD's own figures, the city's under each and below
    st.subheader(t("s4.city_heading"), anchor=False)
cols = st.columns(5)
ui.metric(cols[0], measures.label("keluarga_di_daftar"), fmt.number(city["keluarga_di_daftar"]))
ui.metric(
    cols[1],
    measures.label("keluarga_terjangkau"),
    fmt.number(city["keluarga_terjangkau"]),
    fmt.percent(city["cakupan_keluarga"]),
    delta_color="off",
    delta_arrow="off",
)
ui.metric(
    cols[2],
    measures.label("keluarga_belum_tersentuh"),
    fmt.number(untouched["keluarga_belum_tersentuh"].sum()),
)
ui.metric(cols[3], measures.label("penerima_luar_daftar"), fmt.number(city["penerima_luar_daftar"]))
ui.metric(cols[4], measures.label("penugasan_belum_tersalur"), fmt.number(city["penugasan_belum_tersalur"]))
later = coverage.records_after(store, as_of)
st.caption(
    t("intervensi.caption", date=fmt.tanggal(as_of))
    + (" " + t("intervensi.later", n=fmt.number(later)) if later else "")
)

tabs = view_state.tabs(
    [
        t("intervensi.tab_coverage"),
        t("intervensi.tab_heatmap"),
        t("intervensi.tab_overlap"),
        t("intervensi.untouched"),
        t("intervensi.tab_off_list"),
        t("intervensi.tab_fresh"),
        t("intervensi.tab_budget"),
    ],
    "tab",
    key="intervensi_tab",
)


def coverage_panel() -> None:
    """OPD ranking and per-programme coverage."""
    ui.chart(ui.figure(charts.ranking_figure, cov, focus), key="intervensi_ranking")
    ui.table(coverage.coverage_table(cov), f"cakupan_opd_{as_of}", key="intervensi_cov")
    label = t("intervensi.all_opd_lower") if focus is None else opd_focus.short_name(store, focus)
    st.subheader(t("intervensi.per_program", label=label))
    programs = coverage.program_table(coverage.program_coverage(store, as_of), focus)
    ui.table(programs, f"cakupan_program_{as_of}", key="intervensi_prog")
    st.caption(t("intervensi.undelivered_note"))


def heatmap_panel() -> None:
    """Coverage per kecamatan and OPD."""
    kec = coverage.kecamatan_coverage(store, as_of)
    ui.chart(ui.figure(charts.heatmap_figure, kec), key="intervensi_heatmap")
    ui.table(coverage.kecamatan_table(kec), f"cakupan_opd_kecamatan_{as_of}", key="intervensi_heat")


def overlap_panel() -> None:
    """Which strategies reach the same families."""
    combos = coverage.overlap(store, as_of)
    ui.chart(ui.figure(charts.upset_figure, combos), key="intervensi_upset")
    ui.table(coverage.overlap_table(combos), f"irisan_strategi_{as_of}", key="intervensi_overlap")
    st.caption(t("intervensi.overlap_note"))


def untouched_panel() -> None:
    """Families no OPD reached yet."""
    ui.chart(ui.figure(charts.untouched_figure, untouched), key="intervensi_untouched")
    ui.table(coverage.untouched_kecamatan_table(untouched), f"belum_tersentuh_{as_of}", key="intervensi_unt")
    if user.sees_named_records:
        st.subheader(t("intervensi.untouched_families"))
        scope = (
            ""
            if user.sees_all_records
            else t("s3.scope_area", area=user.area)
            if user.area
            else t("intervensi.scope", opd=opd_focus.short_name(store, user.opd))
        )
        count = st.empty()
        n = ui.paged_table(
            lambda limit, offset: coverage.untouched_families_page(store, as_of, user, limit, offset),
            lambda who: coverage.untouched_families(store, as_of, who),
            f"keluarga_belum_tersentuh_{as_of}",
            key="intervensi_unt_list",
        )
        count.caption(t("intervensi.families_count", n=fmt.number(n), scope=scope))
    else:
        st.info(t("intervensi.families_named_only"))


def off_list_panel() -> None:
    """Recipients who are not on the list."""
    ui.chart(ui.figure(charts.off_list_figure, cov), key="intervensi_offlist")
    st.caption(t("intervensi.off_list_note"))
    mine = user.opd if user.kind == "opd" else focus
    if user.sees_named_records:
        rows = coverage.off_list_table(coverage.off_list(store, as_of, user), user.sees_named_records, mine)
        st.caption(
            t("intervensi.off_list_count", n=fmt.number(len(rows)))
            + (f" — {opd_focus.short_name(store, mine)}" if mine else "")
        )
        ui.table(rows, f"penerima_luar_daftar_{as_of}", key="intervensi_off")
    else:
        st.info(t("intervensi.off_list_named_only"))


def freshness_panel() -> None:
    """When each OPD last sent its data."""
    fresh = coverage.freshness(store, as_of)
    ui.chart(ui.figure(charts.freshness_figure, fresh, as_of), key="intervensi_fresh")
    ui.table(coverage.freshness_table(fresh), f"kiriman_data_opd_{as_of}", key="intervensi_fresh_tbl")
    st.caption(t("intervensi.fresh_note"))


def budget_panel() -> None:
    """The BLT budget."""
    budget_tab.show(store, as_of)


# Only the open tab is drawn: a click on another tab reruns the page (view_state.tabs), so the
# hidden ones would only cost time to build, send and lay out.
PANELS = [
    coverage_panel,
    heatmap_panel,
    overlap_panel,
    untouched_panel,
    off_list_panel,
    freshness_panel,
    budget_panel,
]
for tab, panel in zip(tabs, PANELS, strict=True):
    if tab.open is not False:  # None only where the open tab is not tracked: then every tab is drawn
        with tab:
            panel()
