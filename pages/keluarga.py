"""Profil keluarga: one family for a home visit (members, on/off dates, interventions, BLT), and its PDF."""

import streamlit as st

from analytics import formatting as fmt
from analytics import ui
from analytics.domain import verval_labels
from analytics.i18n import t
from analytics.ingest import verval, verval_file
from analytics.ingest.base import ImportRefused
from analytics.profiles import family, family_pdf
from analytics.store import settings
from analytics.verval import status as verval_status

user = ui.require()
if not user.sees_named_records:
    st.error(t("s2.no_named_access"))
    st.stop()
handle = ui.store()
id_keluarga = st.query_params.get(family.QUERY_PARAM)
if not id_keluarga:
    st.title(t("s2.nav"))
    st.info(t("s2.pick"))
    ui.family_search(handle, user, container=st, prefix="keluarga_halaman")
    st.stop()

try:
    profile = family.profile(handle, user, id_keluarga)  # audited: who looked at which family
except family.FamilyRefusal as exc:
    st.title(t("s2.nav"))
    st.error(str(exc))
    ui.family_search(handle, user, container=st, prefix="keluarga_halaman")
    st.stop()

st.title(t("s2.title", id=profile.id_keluarga))
status = t("s2.on_list_yes") if profile.on_list else t("s2.on_list_no")
st.markdown(t("s2.status_line", place=profile.kelurahan, status=status, date=fmt.tanggal(profile.latest)))
st.caption(t("s2.audited_note"))
st.download_button(
    t("s2.pdf_button"),
    family_pdf.download(handle, user, profile.id_keluarga, demo=handle.holds_demo()),
    family_pdf.file_name(profile.id_keluarga),
    "application/pdf",
    key="keluarga_pdf",
    on_click="ignore",
    icon=":material/print:",
)

st.subheader(t("s2.members"))
ui.dataframe(profile.members_table(), key="keluarga_anggota")
st.subheader(t("s2.events"))
ui.dataframe(profile.events_table(), key="keluarga_riwayat")

# Verification (verval) results: the history, and for DinsosPM a form to record one (issue 19).
st.subheader(t("b19.history"))
if flash := st.session_state.pop("keluarga_verval_flash", None):
    st.success(flash)
verval_history = verval_status.family_history(handle, profile.id_keluarga)
if verval_history.empty:
    st.caption(t("b19.history_none"))
else:
    ui.dataframe(verval_status.family_history_table(verval_history), key="keluarga_verval")
if user.sees_all_records:
    with st.expander(t("b19.form_title")):
        labels = verval_labels()
        hasil = st.selectbox(
            t("b19.form_result"), list(labels), format_func=labels.get, key="keluarga_vv_hasil"
        )
        tanggal = st.date_input(t("b19.form_date"), value=settings.today(), max_value=settings.today(),
                                format="DD/MM/YYYY", key="keluarga_vv_tanggal")  # fmt: skip
        bases = verval_status.basis_labels()
        dasar = st.selectbox(t("b19.form_basis"), list(bases), format_func=bases.get, key="keluarga_vv_dasar")
        nomor = st.text_input(t("b19.form_number"), key="keluarga_vv_nomor")
        tanggal_dasar = None
        if st.checkbox(t("b19.form_has_basis_date"), key="keluarga_vv_ada_tgl_dasar"):
            tanggal_dasar = st.date_input(t("b19.form_basis_date"), value=tanggal, format="DD/MM/YYYY",
                                          key="keluarga_vv_tanggal_dasar")  # fmt: skip
        petugas = st.text_input(t("b19.form_officer"), key="keluarga_vv_petugas")
        checklist = None
        if hasil == "graduasi":
            st.caption(t("b19.form_checklist"))
            checklist = {
                kode: st.checkbox(dimensi, key=f"keluarga_vv_cek_{kode}")
                for kode, dimensi in verval_file.checklist()
            }
        if st.button(t("b19.form_submit"), key="keluarga_vv_simpan", type="primary"):
            try:
                verval.record_one(handle, user, profile.id_keluarga, hasil, tanggal, dasar, nomor,
                                  tanggal_dasar, petugas, checklist)  # fmt: skip
            except ImportRefused as exc:
                st.error(fmt.md(exc))
            else:
                st.session_state["keluarga_verval_flash"] = t("b19.recorded")
                st.rerun()
st.subheader(t("s2.programmes"))
ui.dataframe(profile.programmes_table(), key="keluarga_program")
with st.expander(t("s2.records")):
    ui.dataframe(profile.records_table(), key="keluarga_catatan")
st.subheader(t("s2.blt"))
ui.dataframe(profile.blt_table(), key="keluarga_blt")


def _extreme_poor_flag() -> None:
    """DinsosPM's extreme-poor flag: the family stays on the list in DTSEN snapshots (issue 19)."""
    from analytics.ui import dtsen

    dtsen.flag_section(handle, user, profile.id_keluarga)


_extreme_poor_flag()
