"""Nol Ekstrem: the router and sign-in gate. A visitor who has not signed in sees only Masuk."""

import streamlit as st

from analytics import config, ui

st.set_page_config(
    page_title="Nol Ekstrem — Kota Samarinda",
    page_icon=str(config.ROOT / "data" / "favicon.png"),
    layout="wide",
)

EVERYONE = {"walikota", "dinsos", "opd", "admin"}
# (page, the role kinds that may open it); each page checks its role again itself.
PAGES = [
    (st.Page("pages/ringkasan.py", title="Ringkasan", url_path="ringkasan", default=True), EVERYONE),
    (st.Page("pages/burndown.py", title="Burn-down", url_path="burndown"), EVERYONE),
    (st.Page("pages/perubahan.py", title="Perubahan", url_path="perubahan"), EVERYONE),
    (st.Page("pages/peta.py", title="Peta Kantong Kemiskinan", url_path="peta"), EVERYONE),
    (st.Page("pages/intervensi_opd.py", title="Intervensi OPD", url_path="intervensi"), EVERYONE),
    (st.Page("pages/data_impor.py", title="Data & Impor", url_path="data"), {"dinsos"}),
    (st.Page("pages/audit.py", title="Log audit", url_path="audit"), {"dinsos", "admin"}),
    (st.Page("pages/admin.py", title="Pengguna & pengaturan", url_path="admin"), {"admin"}),
]

store = ui.store()
ui.oidc_user(store)
user = ui.current_user()
if user is None:
    st.navigation([st.Page("pages/masuk.py", title="Masuk", url_path="masuk")]).run()
    st.stop()

navigation = st.navigation([page for page, kinds in PAGES if user.kind in kinds])
with st.sidebar:
    st.caption(f"Masuk sebagai **{user.name}** ({user.role})")
    if st.button("Keluar", key="app_sign_out"):
        ui.sign_out(store)
        st.rerun()
    st.caption("Nol Ekstrem · Dinsos PM Kota Samarinda")
ui.demo_banner(store)
navigation.run()
