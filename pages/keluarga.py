"""Profil keluarga: one family for a home visit (members, on/off dates, interventions, BLT), and its PDF."""

import streamlit as st

from analytics import formatting as fmt
from analytics import ui
from analytics.i18n import t
from analytics.profiles import family, family_pdf

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
