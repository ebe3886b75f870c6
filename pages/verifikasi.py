"""Verifikasi: how far verification (verval) has come per kelurahan, the families overdue for it, the
kelurahan sheet to fill in, and (DinsosPM) importing a filled sheet.

DinsosPM sees the whole city and imports; a camat or lurah sees their area's table and overdue list and
takes their kelurahan's sheet; the walikota sees the per-kelurahan table only; an OPD nothing."""

import streamlit as st

from analytics import formatting as fmt
from analytics import ui
from analytics.access import export
from analytics.access.auth import User
from analytics.i18n import t
from analytics.ingest import verval_template
from analytics.ingest.base import ImportRefused
from analytics.store import settings
from analytics.ui import upload
from analytics.verval import status

store = ui.store()
user = ui.require("dinsos", "kecamatan", "kelurahan", "walikota")
st.title(t("b19.title"))
as_of = status.latest(store)
if as_of is None:
    st.info(t("b19.no_data"))
    st.stop()
since, today = status.window(store)
months = settings.get(store, "verval_months")
st.caption(t("b19.intro", date=fmt.tanggal(as_of), months=months, since=fmt.tanggal(since)))

st.subheader(t("b19.per_kel"))
per_kel = status.per_kelurahan(store, user)
ui.table(status.per_kelurahan_table(per_kel), "verifikasi_per_kelurahan", key="verval_kel")

if user.sees_named_records:
    st.subheader(t("b19.overdue_title", months=months))
    late = status.overdue(store, user)
    if late.empty:
        st.success(t("b19.overdue_none", since=fmt.tanggal(since)))
    else:
        st.caption(t("b19.overdue_count", n=fmt.number(len(late)), since=fmt.tanggal(since)))
        ui.table(status.overdue_table(late), "belum_diverifikasi", key="verval_late")

    st.subheader(t("b19.template_section"))
    st.caption(t("b19.template_help"))
    choices = per_kel[["kode_kelurahan", "kecamatan", "kelurahan", "kode_kecamatan"]]
    names = {r.kode_kelurahan: f"{r.kelurahan} ({r.kecamatan})" for r in choices.itertuples()}
    code = st.selectbox(t("b19.pick_kelurahan"), list(names), format_func=names.get, key="verval_kelurahan")
    if code is not None:
        chosen = choices[choices["kode_kelurahan"] == code].iloc[0]
        if verval_template.may_download(user, code, chosen["kode_kecamatan"]):
            name = verval_template.file_name(code, chosen["kelurahan"])

            def make(role: str, code: str = code) -> tuple[bytes, str]:
                try:
                    data = verval_template.build(store, User(user.name, role), code)
                except ImportRefused as exc:  # the role changed since the page was drawn
                    return str(exc).encode("utf-8"), f"lembar verval {code} ditolak"
                return data, f"lembar verval {code}"

            st.download_button(
                t("b19.download_template"),
                export.audited(store, user, name, make),
                name,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                key="verval_template",
                on_click="ignore",
                icon=":material/download:",
            )

if user.sees_all_records:
    st.subheader(t("b19.upload_section"))
    upload.render(store, "verval")
