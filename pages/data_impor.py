"""Data & Impor: the stored snapshots, uploading a new one, and the import history."""

from datetime import date, timedelta

import streamlit as st

from analytics import audit, registry, tables, ui, ui_interventions, ui_population
from analytics import formatting as fmt

store = ui.store()
user = ui.require("dinsos")
st.title("Data & Impor")
if flash := st.session_state.pop("data_flash", None):
    st.success(flash)

st.subheader("Snapshot tersimpan")
snapshots = tables.snapshot_table(store)
st.dataframe(snapshots, hide_index=True, width="stretch")
ui.downloads(snapshots, "snapshot_tersimpan", key="data_snapshots")

st.subheader("Impor snapshot baru")
st.caption(
    "Berkas ekspor P3KE individu (.xlsx atau .csv). Berkas diperiksa dulu; tidak ada yang "
    "disimpan sebelum Anda menekan **Impor sekarang**."
)
upload = st.file_uploader("Berkas snapshot", type=["xlsx", "csv"], key="data_upload")
default_date = date.today().replace(day=1) - timedelta(days=1)
as_of = st.date_input("Tanggal snapshot", value=default_date, key="data_as_of", format="DD/MM/YYYY")
replace = st.checkbox("Ganti snapshot yang sudah ada pada tanggal ini", key="data_replace")

if upload is not None and st.button("Periksa berkas", key="data_check"):
    with st.spinner("Memeriksa berkas…"):
        checked = registry.prepare_file(store, upload.getvalue(), upload.name, as_of, user.name)
    st.session_state["data_prepared"] = checked
    if not checked.ok:
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
        st.success(f"{prepared.file_name}: {fmt.number(prepared.row_count)} baris lolos pemeriksaan.")
    else:
        st.error(
            f"**{prepared.file_name} ditolak**: {fmt.number(len(prepared.errors))} galat. "
            "Perbaiki berkasnya lalu unggah ulang; data yang tersimpan tidak berubah.\n\n"
            + tables.issue_lines(prepared.errors)
        )
    if not prepared.issues.empty:
        ui.table(tables.issues_view(prepared.issues), "laporan_validasi", key="data_issues")
    if prepared.ok:
        st.markdown("**Yang akan berubah dibanding snapshot sebelumnya:**")
        st.dataframe(tables.changes_table(registry.preview(store, prepared)), hide_index=True)
        if st.button("Impor sekarang", key="data_commit", type="primary"):
            bar = st.progress(0.0, text="Mulai impor…")
            try:
                result = registry.commit(
                    store,
                    prepared,
                    replace=replace,
                    user=user.name,
                    progress=lambda f, m: bar.progress(f, text=m),
                )
            except registry.ImportRefused as exc:
                audit.log(
                    store,
                    user.name,
                    user.role,
                    "impor_ditolak",
                    prepared.file_name,
                    prepared.sha256,
                    str(exc),
                )
                st.error(str(exc))
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
                st.session_state["data_flash"] = (
                    f"Snapshot {fmt.tanggal(result.as_of)} {'diganti' if result.replaced else 'diimpor'}: "
                    f"{fmt.number(result.people_active)} orang aktif, "
                    f"{fmt.number(result.families_active)} keluarga."
                )
                st.rerun()

st.subheader("Riwayat impor")
history = tables.import_history_table(store)
st.dataframe(history, hide_index=True, width="stretch")
ui.downloads(history, "riwayat_impor", key="data_history")

st.subheader("Impor data intervensi OPD")
ui_interventions.render_intervention_upload(store)

st.subheader("Data penduduk (untuk angka per 1.000 penduduk)")
ui_population.render_population_upload(store)
