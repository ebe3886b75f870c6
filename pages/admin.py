"""Pengguna & pengaturan: accounts and programme settings, for admin only."""

from datetime import date

import pandas as pd
import streamlit as st

from analytics import formatting as fmt
from analytics import ui
from analytics.access import auth
from analytics.i18n import t
from analytics.store import audit, settings

store = ui.store()
admin = ui.require("admin")
st.title(t("admin.title"))

st.subheader(t("admin.accounts"))
users = auth.load_users()
ui.table(
    pd.DataFrame(
        [
            {
                t("col.nama"): n,
                t("col.peran"): u["peran"],
                t("admin.active"): bool(u.get("aktif")),
                "E-mail": u.get("email") or "",
            }
            for n, u in sorted(users.items())
        ]
    ),
    "akun",
    key="admin_users",
)
with st.form("admin_add"):
    st.markdown(t("admin.add_heading"))
    c1, c2, c3 = st.columns(3)
    name = c1.text_input(t("masuk.name"), key="admin_new_name")
    role = c2.text_input(t("admin.role"), key="admin_new_role")
    password = c3.text_input(t("admin.initial_password"), type="password", key="admin_new_password")
    if st.form_submit_button(t("admin.add")):
        try:
            auth.add_user(name.strip(), role.strip(), password)
            audit.log(store, admin.name, admin.role, "pengguna", name, detail=f"tambah, peran {role}")
            st.success(t("admin.created", name=fmt.md(name)))
        except auth.AuthError as exc:
            st.error(fmt.md(exc))

target = st.selectbox(t("admin.account"), sorted(users), key="admin_target") if users else None
c1, c2, c3 = st.columns(3)
if target and c1.button(t("admin.disable"), key="admin_disable"):
    auth.set_active(target, False)
    audit.log(store, admin.name, admin.role, "pengguna", target, detail="nonaktifkan")
    st.rerun()
if target and c2.button(t("admin.enable"), key="admin_enable"):
    auth.set_active(target, True)
    audit.log(store, admin.name, admin.role, "pengguna", target, detail="aktifkan")
    st.rerun()
new_password = c3.text_input(t("admin.new_password"), type="password", key="admin_reset_password")
if target and c3.button(t("admin.reset"), key="admin_reset"):
    try:
        auth.reset_password(target, new_password)
        audit.log(store, admin.name, admin.role, "pengguna", target, detail="atur ulang kata sandi")
        st.success(t("h6.reset_done", name=fmt.md(target)))
    except auth.AuthError as exc:
        st.error(fmt.md(exc))

st.subheader(t("admin.settings"))
st.markdown(t("i15s.targets_heading"))
ui.dataframe(
    pd.DataFrame(
        [
            {
                t("i15s.col_basis"): target.basis,
                t("i15s.col_issued"): fmt.tanggal(target.issued),
                t("i15s.col_zero_by"): fmt.tanggal(target.zero_by),
            }
            for target in settings.targets(store)
        ]
    ),
    key="admin_targets",
)
st.caption(t("i15s.targets_caption"))
with st.form("admin_add_target"):
    st.markdown(t("i15s.add_target_heading"))
    c1, c2, c3 = st.columns(3)
    issued = c1.date_input(
        t("i15s.col_issued"),
        value=None,
        key="admin_target_issued",
        format="DD/MM/YYYY",
        min_value=date(2000, 1, 1),
    )
    zero_by = c2.date_input(
        t("i15s.col_zero_by"),
        value=None,
        key="admin_target_zero",
        format="DD/MM/YYYY",
        min_value=date(2000, 1, 1),
    )
    basis = c3.text_input(t("i15s.col_basis"), key="admin_target_basis", max_chars=settings.BASIS_MAX)
    if st.form_submit_button(t("i15s.add_target")):
        try:
            if issued is None or zero_by is None:
                raise settings.SettingError.keyed("i15s.dates_needed")
            added = settings.add_target(store, issued, zero_by, basis)
            audit.log(
                store,
                admin.name,
                admin.role,
                "pengaturan",
                "targets",
                detail=f"tambah target {added.basis}: terbit {added.issued}, nol pada {added.zero_by}",
            )
            st.success(t("i15s.target_added", basis=fmt.md(added.basis)))
        except settings.SettingError as exc:
            st.error(str(exc))

stale = st.number_input(
    t("i15s.stale_days"),
    min_value=settings.STALE_DAYS[0],
    max_value=settings.STALE_DAYS[1],
    value=settings.stale_days(store),
    step=1,
    key="admin_stale_days",
)
max_removed = st.number_input(
    t("h2.max_removed"),
    min_value=1,
    max_value=100,
    value=int(settings.max_removed_percent(store)),
    step=1,
    key="admin_max_removed",
)
if st.button(t("admin.save"), key="admin_save"):
    try:
        if int(stale) != settings.stale_days(store):
            settings.put_stale_days(store, int(stale))
            audit.log(store, admin.name, admin.role, "pengaturan", "stale_days", detail=str(int(stale)))
        if str(max_removed) != settings.get(store, "max_removed_percent"):
            settings.put(store, "max_removed_percent", str(max_removed))
            audit.log(
                store, admin.name, admin.role, "pengaturan", "max_removed_percent", detail=str(max_removed)
            )
        st.success(t("admin.saved"))
    except settings.SettingError as exc:
        st.error(str(exc))

st.subheader(t("h6.sessions"))
limits = settings.session_limits(store)
c1, c2 = st.columns(2)
idle_hours = c1.number_input(
    t("h6.idle_hours"),
    min_value=settings.IDLE_HOURS[0],
    max_value=settings.IDLE_HOURS[1],
    value=int(limits.idle.total_seconds() // 3600),
    step=1,
    key="admin_idle_hours",
)
absolute_hours = c2.number_input(
    t("h6.absolute_hours"),
    min_value=settings.ABSOLUTE_HOURS[0],
    max_value=settings.ABSOLUTE_HOURS[1],
    value=int(limits.absolute.total_seconds() // 3600),
    step=1,
    key="admin_absolute_hours",
)
st.caption(t("h6.sessions_caption"))
if st.button(t("h6.save_sessions"), key="admin_save_sessions"):
    try:
        settings.put_session_limits(store, int(idle_hours), int(absolute_hours))
        audit.log(
            store,
            admin.name,
            admin.role,
            "pengaturan",
            "sesi",
            detail=f"tidak aktif {int(idle_hours)} jam, maksimal {int(absolute_hours)} jam",
        )
        st.success(t("admin.saved"))
    except settings.SettingError as exc:
        st.error(str(exc))
