"""Data & Impor: the stored snapshots, the upload flow of every import kind, and the import history."""

import streamlit as st

from analytics import formatting as fmt
from analytics import measures, tables, ui
from analytics.i18n import t
from analytics.ui import dtsen, inbox, upload

store = ui.store()
user = ui.require("dinsos")
st.title(t("data.title"))

st.subheader(t("data.stored"))
snapshots = tables.snapshot_table(store)
ui.table(snapshots, "snapshot_tersimpan", key="data_snapshots")

st.subheader(t("data.new"))
dtsen.rule_section(store, user)  # who is on the list in a DTSEN snapshot (DinsosPM changes it)
upload.render(store, "registri")

st.subheader(t("i15c.split_title"))
st.caption(measures.family_rule())
if dates := ui.snapshot_dates(store):
    split = tables.split_family_table(store, dates[-1])
    if split.empty:
        st.success(t("i15c.split_none", date=fmt.tanggal(dates[-1])))
    else:
        families = fmt.number(split.iloc[:, 0].nunique())
        st.caption(t("i15c.split_caption", n=families, date=fmt.tanggal(dates[-1])))
        ui.dataframe(split, key="data_split_families")
        ui.downloads(split, "keluarga_lintas_kelurahan", key="data_split_families_dl")

st.subheader(t("data.history"))
history = tables.import_history_table(store)
ui.dataframe(history, key="data_history_table")
ui.downloads(history, "riwayat_impor", key="data_history")

# every other import kind: OPD intervention files, population tables, ...
upload.render_sections(store, skip=("registri",))

st.subheader(t("h3.inbox_title"))
inbox.render_inbox(store)
