"""The data page's population section: the stored table and uploading a new population file."""

from __future__ import annotations

import streamlit as st

from analytics import audit, export, population, ui
from analytics import formatting as fmt
from analytics.i18n import t
from analytics.registry import ImportRefused
from analytics.store import Store


def _audit(store: Store, action: str, prepared: population.PreparedPopulation, detail: str) -> None:
    user = ui.current_user()
    if user is not None:
        audit.log(
            store, user.name, user.role, action, prepared.file_name, prepared.sha256, f"penduduk: {detail}"
        )


def render_population_upload(store: Store) -> None:
    """Show the stored population table and let the user check and import a population file."""
    user = ui.current_user()
    user_name = user.name if user else "pengguna aplikasi"
    st.markdown(t("data_pop.help"))
    st.download_button(
        t("data_pop.template"),
        export.csv_bytes(population.TEMPLATE),
        "templat_penduduk.csv",
        "text/csv",
        key="data_pop_template",
    )
    if flash := st.session_state.pop("data_pop_flash", None):
        st.success(flash)
    stored = population.stored_table(store)
    if stored.empty:
        st.info(t("data_pop.none"))
    else:
        st.dataframe(stored, hide_index=True, width="stretch", key="data_pop_stored")
        ui.downloads(stored, "data_penduduk", key="data_pop_stored_dl")

    upload = st.file_uploader(t("data_pop.file"), type=["xlsx", "csv"], key="data_pop_upload")
    if upload is not None and st.button(t("data_pop.check"), key="data_pop_check"):
        try:
            checked = population.prepare(store, upload.getvalue(), upload.name, user_name)
        except ImportRefused as exc:
            checked = None
            st.session_state.pop("data_pop_prepared", None)
            st.error(str(exc))
        else:
            st.session_state["data_pop_prepared"] = checked
        if checked is not None and not checked.ok:
            _audit(store, "impor_ditolak", checked, f"{len(checked.errors)} galat validasi")
    prepared = st.session_state.get("data_pop_prepared")
    if prepared is None or upload is None or prepared.file_name != upload.name:
        return  # nothing checked yet, or the report belongs to another file
    if not prepared.ok:
        st.error(t("data.refused", file=fmt.md(prepared.file_name), n=fmt.number(len(prepared.errors))))
        st.dataframe(prepared.issues, hide_index=True, width="stretch", key="data_pop_issues")
        ui.downloads(prepared.issues, "laporan_validasi_penduduk", key="data_pop_issues_dl")
        return
    st.success(t("data.passed", file=fmt.md(prepared.file_name), n=fmt.number(len(prepared.rows))))
    st.dataframe(
        population.preview_table(store, prepared), hide_index=True, width="stretch", key="data_pop_preview"
    )
    replaced = population.replaced_rows(store, prepared)
    if not replaced.empty:
        st.warning(t("data_pop.will_replace", n=fmt.number(len(replaced))))
    if st.button(t("data_pop.commit"), key="data_pop_commit", type="primary"):
        try:
            n = population.commit(store, prepared, user_name)
        except ImportRefused as exc:
            _audit(store, "impor_ditolak", prepared, exc.log_text)  # Indonesian, as the log keeps
            st.error(fmt.md(exc))
        else:
            _audit(store, "impor", prepared, f"{n} baris")
            del st.session_state["data_pop_prepared"]
            st.session_state["data_pop_flash"] = t("data_pop.imported", file=fmt.md(prepared.file_name), n=n)
            st.rerun()
