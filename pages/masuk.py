"""Masuk: the only page a visitor who has not signed in can see."""

import streamlit as st

from analytics import auth, ui

store = ui.store()
st.title("Nol Ekstrem — Kota Samarinda")
st.caption("Dasbor penghapusan kemiskinan ekstrem Dinas Sosial dan Pemberdayaan Masyarakat.")

with st.form("masuk_form"):
    name = st.text_input("Nama pengguna", key="masuk_nama")
    password = st.text_input("Kata sandi", type="password", key="masuk_sandi")
    submitted = st.form_submit_button("Masuk", type="primary")
if submitted:
    error = ui.sign_in(store, name.strip(), password)
    if error:
        st.error(error)
    else:
        st.rerun()

if ui.oidc_configured():
    st.divider()
    if st.button("Masuk dengan akun Pemkot (SSO)", key="masuk_sso"):
        st.login()

if ui.demo_accounts_active():
    st.info(
        "**Akun contoh** (hanya untuk data contoh): "
        + ", ".join(f"`{n}` / `{p}` ({r})" for n, (r, p) in auth.DEMO_ACCOUNTS.items())
    )
