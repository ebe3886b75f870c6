"""The Data & Impor section for OPD intervention files: choose the OPD, check the file, import it."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics import audit, interventions, opd, tables, ui
from analytics import formatting as fmt
from analytics.intervention_file import PreparedInterventions
from analytics.store import Store

MODE_LABELS = {
    None: "Tolak bila tumpang tindih (bawaan)",
    "tambah": "Tambahkan ke berkas sebelumnya",
    "ganti": "Ganti berkas sebelumnya",
}


def preview_table(df: pd.DataFrame) -> pd.DataFrame:
    """What the checked file would add, per programme, as shown."""
    return pd.DataFrame(
        {
            "Program": df["kode_program"],
            "Baris": df["baris"].astype("int64"),
            "Tersalur": df["tersalur"].astype("int64"),
            "Rencana": df["rencana"].astype("int64"),
            "Penerima": df["penerima"].astype("int64"),
            "Di luar daftar P3KE": df["luar_daftar"].astype("int64"),
            "Rupiah tersalur": df["nilai_tersalur"].fillna(0).astype("int64"),
        }
    )


def _audit(store: Store, action: str, prepared: PreparedInterventions, detail: str) -> None:
    user = ui.current_user()
    if user is not None:
        audit.log(store, user.name, user.role, action, prepared.file_name, prepared.sha256, detail)


def render_intervention_upload(store: Store) -> None:
    """Upload, check and import one OPD file; then list the stored OPD files."""
    user = ui.current_user()
    who = user.name if user is not None else "pengguna aplikasi"
    if problem := opd.ensure_ready(store):
        st.warning(problem)
    listed = store.query("opd_list")
    names = dict(zip(listed["kode_opd"], listed["nama"], strict=True))
    if flash := st.session_state.pop("data_itv_flash", None):
        st.success(flash)
    st.caption(
        "Satu berkas per OPD (.xlsx atau .csv) dengan kolom `NIK` atau `ID Keluarga P3KE`, `Kode Program`, "
        "`Tanggal`, `Nilai (Rp)`, `Status` (Rencana/Tersalur) dan `Keterangan`. Kode program dan OPD "
        "diatur di data/program.csv dan data/opd.csv. Penerima di luar daftar P3KE tetap disimpan dan "
        "ditandai. Tidak ada yang disimpan sebelum Anda menekan **Impor berkas intervensi**."
    )
    kode = st.selectbox("OPD pengirim", list(names), format_func=names.get, key="data_itv_opd")
    upload = st.file_uploader("Berkas intervensi OPD", type=["xlsx", "csv"], key="data_itv_upload")
    mode = st.radio(
        "Bila OPD ini sudah mengirim berkas untuk periode yang tumpang tindih",
        list(MODE_LABELS),
        format_func=MODE_LABELS.get,
        key="data_itv_mode",
        help="Periode berkas = tanggal catatan pertama s.d. terakhir. Berkas yang sama persis (SHA-256) "
        "selalu ditolak. 'Tambahkan' menyimpan berkas ini di samping berkas lama (ditolak bila ada baris "
        "yang sama persis dengan catatan tersimpan). 'Ganti' menghapus berkas lama OPD ini yang periodenya "
        "tumpang tindih lalu menyimpan berkas ini, dalam satu transaksi.",
    )
    if upload is not None and st.button("Periksa berkas intervensi", key="data_itv_check"):
        with st.spinner("Memeriksa berkas…"):
            checked = interventions.prepare_file(store, upload.getvalue(), upload.name, kode, who)
        st.session_state["data_itv_prepared"] = checked
        if not checked.ok:
            _audit(
                store, "impor_ditolak", checked, f"intervensi {kode}: {len(checked.errors)} galat validasi"
            )
    prepared = st.session_state.get("data_itv_prepared")
    if prepared is not None and (
        upload is None or prepared.file_name != upload.name or prepared.kode_opd != kode
    ):
        prepared = None  # the report belongs to another file or OPD
    if prepared is not None:
        _report(store, prepared, mode, who)
    files = opd.files_table(store)
    if files.empty:
        st.caption("Belum ada berkas intervensi OPD yang tersimpan.")
    else:
        st.markdown(f"**Berkas intervensi tersimpan** ({fmt.number(len(files))})")
        ui.table(files, "berkas_intervensi", key="data_itv_files")


def _report(store: Store, prepared: PreparedInterventions, mode: str | None, who: str) -> None:
    if prepared.ok:
        start, end = prepared.period
        st.success(
            f"{prepared.file_name}: {fmt.number(prepared.row_count)} baris lolos pemeriksaan "
            f"({fmt.tanggal(start)} – {fmt.tanggal(end)})."
        )
    else:
        st.error(
            f"**{prepared.file_name} ditolak**: {fmt.number(len(prepared.errors))} galat. Perbaiki berkasnya "
            "lalu unggah ulang; data yang tersimpan tidak berubah.\n\n" + tables.issue_lines(prepared.errors)
        )
    if not prepared.issues.empty:
        ui.table(tables.issues_view(prepared.issues), "laporan_validasi_intervensi", key="data_itv_issues")
    if not prepared.ok:
        return
    st.markdown("**Yang akan ditambahkan, dicocokkan dengan daftar P3KE yang tersimpan:**")
    st.dataframe(
        ui.display_frame(preview_table(interventions.preview(store, prepared))),
        hide_index=True,
        key="data_itv_pv",
    )
    if st.button("Impor berkas intervensi", key="data_itv_commit", type="primary"):
        bar = st.progress(0.0, text="Mulai impor…")
        try:
            result = interventions.commit(
                store, prepared, mode=mode, user=who, progress=lambda f, m: bar.progress(f, text=m)
            )
        except interventions.ImportRefused as exc:
            _audit(store, "impor_ditolak", prepared, str(exc))
            st.error(str(exc))
            return
        replaced = f"; mengganti {', '.join(result.replaced)}" if result.replaced else ""
        _audit(store, "impor", prepared, f"intervensi {result.kode_opd}: {result.rows} baris{replaced}")
        del st.session_state["data_itv_prepared"]
        st.session_state["data_itv_flash"] = (
            f"Intervensi {result.kode_opd} diimpor dari {result.file_name}: {fmt.number(result.rows)} baris "
            f"({fmt.number(result.delivered)} tersalur), {fmt.number(result.off_list)} penerima di luar "
            f"daftar P3KE ditandai{replaced}."
        )
        st.rerun()
