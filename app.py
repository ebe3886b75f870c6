"""Nol Ekstrem: the router. Every page shares the store handle and the demo banner."""

import streamlit as st

from analytics import config, ui

st.set_page_config(
    page_title="Nol Ekstrem — Kota Samarinda",
    page_icon=str(config.ROOT / "data" / "favicon.png"),
    layout="wide",
)

PAGES = [
    st.Page("pages/ringkasan.py", title="Ringkasan", url_path="ringkasan", default=True),
    st.Page("pages/burndown.py", title="Burn-down", url_path="burndown"),
    st.Page("pages/perubahan.py", title="Perubahan", url_path="perubahan"),
    st.Page("pages/data_impor.py", title="Data & Impor", url_path="data"),
]

navigation = st.navigation(PAGES)
st.sidebar.caption("Nol Ekstrem · Dinsos PM Kota Samarinda")
ui.demo_banner(ui.store())
navigation.run()
