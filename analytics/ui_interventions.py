"""The Data & Impor section for OPD intervention files: choose the OPD, check the file, import it."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics import audit, bootstrap, interventions, opd, tables, ui
from analytics import formatting as fmt
from analytics.i18n import t
from analytics.intervention_file import PreparedInterventions
from analytics.store import Store

# import mode: text key of its label
MODE_LABELS = {None: "data_itv.mode_reject", "tambah": "data_itv.mode_add", "ganti": "data_itv.mode_replace"}


def preview_table(df: pd.DataFrame) -> pd.DataFrame:
    """What the checked file would add, per programme, as shown."""
    return pd.DataFrame(
        {
            t("intervensi.program"): df["kode_program"],
            t("col.baris"): df["baris"].astype("int64"),
            t("intervensi.delivered"): df["tersalur"].astype("int64"),
            t("intervensi.plan"): df["rencana"].astype("int64"),
            t("col.penerima"): df["penerima"].astype("int64"),
            t("data_itv.off_list"): df["luar_daftar"].astype("int64"),
            t("col.rupiah_tersalur"): df["nilai_tersalur"].fillna(0).astype("int64"),
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
    if problem := bootstrap.bring_up_to_date(store):  # the write side: load a changed catalog
        st.warning(fmt.md(problem))
    listed = store.query("opd_list")
    names = dict(zip(listed["kode_opd"], listed["nama"], strict=True))
    if flash := st.session_state.pop("data_itv_flash", None):
        st.success(flash)
    st.caption(t("data_itv.caption"))
    kode = st.selectbox(t("data_itv.sender"), list(names), format_func=names.get, key="data_itv_opd")
    upload = st.file_uploader(t("data_itv.file"), type=["xlsx", "csv"], key="data_itv_upload")
    mode = st.radio(
        t("data_itv.mode"),
        list(MODE_LABELS),
        format_func=lambda m: t(MODE_LABELS[m]),
        key="data_itv_mode",
        help=t("data_itv.mode_help"),
    )
    if upload is not None and st.button(t("data_itv.check"), key="data_itv_check"):
        try:
            with st.spinner(t("data.checking")):
                checked = interventions.prepare_file(store, upload.getvalue(), upload.name, kode, who)
        except interventions.ImportRefused as exc:
            checked = None
            st.session_state.pop("data_itv_prepared", None)
            st.error(str(exc))
        else:
            st.session_state["data_itv_prepared"] = checked
        if checked is not None and not checked.ok:
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
        st.caption(t("data_itv.no_files"))
    else:
        st.markdown(t("data_itv.stored", n=fmt.number(len(files))))
        ui.table(files, "berkas_intervensi", key="data_itv_files")


def _report(store: Store, prepared: PreparedInterventions, mode: str | None, who: str) -> None:
    if prepared.ok:
        start, end = prepared.period
        st.success(
            t(
                "data_itv.passed",
                file=fmt.md(prepared.file_name),
                n=fmt.number(prepared.row_count),
                start=fmt.tanggal(start),
                end=fmt.tanggal(end),
            )
        )
    else:
        refused = t("data.refused", file=fmt.md(prepared.file_name), n=fmt.number(len(prepared.errors)))
        st.error(refused + "\n\n" + tables.issue_lines(prepared.errors))
    if not prepared.issues.empty:
        ui.table(tables.issues_view(prepared.issues), "laporan_validasi_intervensi", key="data_itv_issues")
    if not prepared.ok:
        return
    st.markdown(t("data_itv.will_add"))
    st.dataframe(
        ui.display_frame(preview_table(interventions.preview(store, prepared))),
        hide_index=True,
        key="data_itv_pv",
    )
    if st.button(t("data_itv.commit"), key="data_itv_commit", type="primary"):
        bar = st.progress(0.0, text=t("data.starting"))
        try:
            result = interventions.commit(
                store, prepared, mode=mode, user=who, progress=lambda f, m: bar.progress(f, text=m)
            )
        except interventions.ImportRefused as exc:
            _audit(store, "impor_ditolak", prepared, exc.log_text)  # Indonesian, as the log keeps
            st.error(fmt.md(exc))
            return
        # the audit log keeps one language (Indonesian); the message follows the toggle
        logged = f"; mengganti {', '.join(result.replaced)}" if result.replaced else ""
        _audit(store, "impor", prepared, f"intervensi {result.kode_opd}: {result.rows} baris{logged}")
        del st.session_state["data_itv_prepared"]
        replaced = (
            t("data_itv.replacing", files=fmt.md(", ".join(result.replaced))) if result.replaced else ""
        )
        st.session_state["data_itv_flash"] = t(
            "data_itv.imported",
            opd=result.kode_opd,
            file=fmt.md(result.file_name),
            rows=fmt.number(result.rows),
            delivered=fmt.number(result.delivered),
            off_list=fmt.number(result.off_list),
            replaced=replaced,
        )
        st.rerun()
