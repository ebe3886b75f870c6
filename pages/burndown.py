"""Burn-down: how many of the original list remain at each snapshot, against the ideal line."""

import streamlit as st

from analytics import formatting as fmt
from analytics import tables, ui
from analytics.burndown import charts, progress
from analytics.i18n import t
from analytics.store import settings
from analytics.ui import area, view_state

store = ui.store()
ui.require()
st.title(t("burndown.title"))

with ui.filter_bar():
    unit = view_state.radio(
        t("burndown.unit"),
        ["orang", "keluarga"],
        "satuan",
        format_func={u: t(f"unit_cap.{u}") for u in ("orang", "keluarga")}.get,
        key="burndown_unit",
        horizontal=True,
    )
    kode_kec, kode_kel, area_label = ui.area_filter(store, "burndown")

df = progress.series(store, kode_kec, kode_kel)
if df.empty or df["orang_sisa_baseline"].iloc[0] == 0:
    st.info(t("burndown.empty", area=area_label))
    st.stop()

every = settings.targets(store)
changes = ui.kept(progress.source_changes, store)  # the change of registry, marked on both charts
in_force = settings.target_in_force(store, df["as_of"].iloc[-1])  # judged by the data's own day
target = in_force.zero_by
col = progress.remaining_column(unit)
fc = progress.forecast(list(df["as_of"]), list(df[col]))
verdict = progress.verdict(df, unit, in_force)
base, last = int(df[col].iloc[0]), int(df[col].iloc[-1])
title = t(
    "burndown.chart_title",
    area=area_label,
    n=fmt.number(last),
    base=fmt.number(base),
    noun=t(f"unit.{unit}"),
    pct=fmt.signed(-(1 - last / base) * 100, 1),
)
(st.success if verdict.on_track else st.error)(f"**{verdict.headline}.** {verdict.reason}")
ui.chart(
    ui.figure(charts.burndown_figure, df, unit, every, fc, ui.policy().text(title), changes=changes),
    key="burndown_chart",
)
if fc is not None and fc.projectable and fc.zero_date_early:
    late = fmt.tanggal(fc.zero_date_late, "MMMM yyyy") if fc.zero_date_late else t("burndown.not_reached")
    st.caption(
        t(
            "burndown.projection",
            window=fc.window,
            early=fmt.tanggal(fc.zero_date_early, "MMMM yyyy"),
            late=late,
        )
    )

st.subheader(t("burndown.per_kecamatan"))
behind = progress.kecamatan_behind(store, unit, target, every)
worst = behind.iloc[0]
ui.chart(
    ui.figure(
        charts.small_multiples,
        progress.kecamatan_series(store),
        list(behind["kode_kecamatan"]),
        unit,
        target,
        t("burndown.worst", kec=worst["kecamatan"], pct=fmt.percent(worst["sisa_share"])),
        changes,
    ),
    key="burndown_multiples",
)
behind_shown = tables.behind_table(behind, in_force.basis, unit)
behind_shown.attrs["kode"] = behind["kode_kecamatan"].tolist()  # a row chosen opens that kecamatan's profile
st.caption(t("s3.pick_row"))
ui.dataframe(behind_shown, key="burndown_behind_table", on_select="rerun", selection_mode="single-row")
ui.downloads(behind_shown, "kecamatan_tertinggal", key="burndown_behind")
area.open_profile_on_select(behind_shown, "burndown_behind_table")

st.subheader(t("burndown.data"))
ui.table(tables.burndown_table(df), f"burndown_{area_label.replace(' ', '_')}", key="burndown_series")
st.caption(t("burndown.footer", date=fmt.tanggal(settings.today())))
