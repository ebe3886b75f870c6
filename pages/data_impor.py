"""Data & Impor: the stored snapshots, uploading a new one, and the import history."""

from datetime import date, timedelta

import streamlit as st

from analytics import (
    audit,
    measures,
    real_data,
    registry,
    settings,
    tables,
    ui,
    ui_inbox,
    ui_interventions,
    ui_population,
)
from analytics import formatting as fmt
from analytics.i18n import t

store = ui.store()
user = ui.require("dinsos")
st.title(t("data.title"))
if flash := st.session_state.pop("data_flash", None):
    st.success(flash)

st.subheader(t("data.stored"))
snapshots = tables.snapshot_table(store)
st.dataframe(snapshots, hide_index=True, width="stretch")
ui.downloads(snapshots, "snapshot_tersimpan", key="data_snapshots")

st.subheader(t("data.new"))
if problem := real_data.secret_problem():
    st.error(problem, icon="⛔")
st.caption(t("data.new_caption"))
upload = st.file_uploader(t("data.file"), type=["xlsx", "csv"], key="data_upload")
default_date = date.today().replace(day=1) - timedelta(days=1)
as_of = st.date_input(t("col.tanggal_snapshot"), value=default_date, key="data_as_of", format="DD/MM/YYYY")
replace = st.checkbox(t("data.replace"), key="data_replace")

if upload is not None and st.button(t("data.check"), key="data_check"):
    try:
        with st.spinner(t("data.checking")):
            checked = registry.prepare_file(store, upload.getvalue(), upload.name, as_of, user.name)
    except registry.ImportRefused as exc:
        checked = None
        st.session_state.pop("data_prepared", None)
        audit.log(store, user.name, user.role, "impor_ditolak", upload.name, None, exc.log_text)
        st.error(str(exc))
    else:
        st.session_state["data_prepared"] = checked
    if checked is not None and not checked.ok:
        audit.log(
            store,
            user.name,
            user.role,
            "impor_ditolak",
            checked.file_name,
            checked.sha256,
            f"{len(checked.errors)} galat validasi",
        )

prepared = st.session_state.get("data_prepared")
if prepared is not None and (upload is None or prepared.file_name != upload.name or prepared.as_of != as_of):
    prepared = None  # the report belongs to another file or date
if prepared is not None:
    if prepared.ok:
        st.success(t("data.passed", file=fmt.md(prepared.file_name), n=fmt.number(prepared.row_count)))
    else:
        st.error(
            t("data.refused", file=fmt.md(prepared.file_name), n=fmt.number(len(prepared.errors)))
            + "\n\n"
            + tables.issue_lines(prepared.errors)
        )
    if not prepared.issues.empty:
        ui.table(tables.issues_view(prepared.issues), "laporan_validasi", key="data_issues")
    if prepared.ok:
        st.markdown(t("data.will_change"))
        st.dataframe(tables.changes_table(registry.preview(store, prepared)), hide_index=True)
        limit = f"{settings.max_removed_percent(store):g}"
        if mass := registry.needs_confirmation(store, prepared):
            leaving, listed = mass
            share = fmt.percent(leaving / listed)
            n, total = fmt.number(leaving), fmt.number(listed)
            st.warning(t("h2.mass_exit_warning", n=n, total=total, share=share, limit=limit), icon="⚠️")
        sure = st.checkbox(t("h2.confirm", limit=limit), key="data_yakin") if mass else False
        if st.button(t("data.commit"), key="data_commit", type="primary"):
            bar = st.progress(0.0, text=t("data.starting"))
            try:
                result = registry.commit(
                    store,
                    prepared,
                    replace=replace,
                    user=user.name,
                    progress=lambda f, m: bar.progress(f, text=m),
                    confirmed=sure,
                )
            except registry.ImportRefused as exc:
                audit.log(
                    store,
                    user.name,
                    user.role,
                    "impor_ditolak",
                    prepared.file_name,
                    prepared.sha256,
                    exc.log_text,  # the audit log keeps one language (Indonesian)
                )
                st.error(fmt.md(exc))
            else:
                audit.log(
                    store,
                    user.name,
                    user.role,
                    "ganti" if result.replaced else "impor",
                    prepared.file_name,
                    prepared.sha256,
                    f"snapshot {result.as_of}, {result.people_active} orang aktif",
                )
                del st.session_state["data_prepared"]
                st.session_state["data_flash"] = t(
                    "data.replaced" if result.replaced else "data.imported",
                    date=fmt.tanggal(result.as_of),
                    people=fmt.number(result.people_active),
                    families=fmt.number(result.families_active),
                )
                st.rerun()

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
st.dataframe(history, hide_index=True, width="stretch")
ui.downloads(history, "riwayat_impor", key="data_history")

st.subheader(t("data.interventions"))
ui_interventions.render_intervention_upload(store)

st.subheader(t("data.population"))
ui_population.render_population_upload(store)

st.subheader(t("h3.inbox_title"))
ui_inbox.render_inbox(store)
