"""Masuk: the only page a visitor who has not signed in can see."""

import streamlit as st

from analytics import formatting as fmt
from analytics import ui
from analytics.access import auth
from analytics.i18n import t

store = ui.store(building=ui.PASS)
st.title(t("masuk.title"))
st.caption(t("masuk.caption"))
ui.demo_progress(stop=False)  # on first run: the demo build's progress; the form works meanwhile
ui.session_ended_notice()
demo_accounts = ui.demo_accounts_active(store)  # created before the form, so a quick first sign-in finds them

with st.form("masuk_form"):
    name = st.text_input(t("masuk.name"), key="masuk_nama")
    password = st.text_input(t("masuk.password"), type="password", key="masuk_sandi")
    submitted = st.form_submit_button(t("masuk.submit"), type="primary")
if submitted:
    error = ui.sign_in(store, name.strip(), password)
    if error:
        st.error(fmt.md(error))
    else:
        st.rerun()

if ui.oidc_configured():
    st.divider()
    if st.button(t("masuk.sso"), key="masuk_sso"):
        st.login()

if demo_accounts:
    st.info(
        t("masuk.demo_accounts")
        + ", ".join(f"`{n}` / `{p}` ({r})" for n, (r, p) in auth.DEMO_ACCOUNTS.items())
    )
ui.warm_charts()  # last, so it costs the form nothing
