"""Pengguna & pengaturan: accounts and programme settings, for admin only."""

from datetime import date

import pandas as pd
import streamlit as st

from analytics import audit, auth, settings, ui

store = ui.store()
admin = ui.require("admin")
st.title("Pengguna & pengaturan")

st.subheader("Akun")
users = auth.load_users()
ui.table(
    pd.DataFrame(
        [
            {"Nama": n, "Peran": u["peran"], "Aktif": bool(u.get("aktif")), "E-mail": u.get("email") or ""}
            for n, u in sorted(users.items())
        ]
    ),
    "akun",
    key="admin_users",
)
with st.form("admin_add"):
    st.markdown("**Tambah akun**")
    c1, c2, c3 = st.columns(3)
    name = c1.text_input("Nama pengguna", key="admin_new_name")
    role = c2.text_input("Peran (walikota, dinsos, admin, opd:<kode>)", key="admin_new_role")
    password = c3.text_input("Kata sandi awal", type="password", key="admin_new_password")
    if st.form_submit_button("Tambah"):
        try:
            auth.add_user(name.strip(), role.strip(), password)
            audit.log(store, admin.name, admin.role, "pengguna", name, detail=f"tambah, peran {role}")
            st.success(f"Akun {name} dibuat.")
        except auth.AuthError as exc:
            st.error(str(exc))

target = st.selectbox("Akun", sorted(users), key="admin_target") if users else None
c1, c2, c3 = st.columns(3)
if target and c1.button("Nonaktifkan", key="admin_disable"):
    auth.set_active(target, False)
    audit.log(store, admin.name, admin.role, "pengguna", target, detail="nonaktifkan")
    st.rerun()
if target and c2.button("Aktifkan", key="admin_enable"):
    auth.set_active(target, True)
    audit.log(store, admin.name, admin.role, "pengguna", target, detail="aktifkan")
    st.rerun()
new_password = c3.text_input("Kata sandi baru", type="password", key="admin_reset_password")
if target and c3.button("Atur ulang kata sandi", key="admin_reset"):
    try:
        auth.reset_password(target, new_password)
        audit.log(store, admin.name, admin.role, "pengguna", target, detail="atur ulang kata sandi")
        st.success(f"Kata sandi {target} diatur ulang.")
    except auth.AuthError as exc:
        st.error(str(exc))

st.subheader("Pengaturan program")
new_target = st.date_input(
    "Tanggal target nol",
    value=settings.target_date(store),
    key="admin_target_date",
    format="DD/MM/YYYY",
    min_value=date(2022, 1, 1),
)
st.caption("Inpres 4/2022: nol pada 2024. Inpres 4/2025 memindahkan target nasional ke 2026.")
if st.button("Simpan pengaturan", key="admin_save"):
    settings.put(store, "target_date", new_target.isoformat())
    audit.log(store, admin.name, admin.role, "pengaturan", "target_date", detail=new_target.isoformat())
    st.success("Pengaturan disimpan.")
