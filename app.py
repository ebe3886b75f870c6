"""Nol Ekstrem: the router. Every page shares the store handle and the demo banner."""

import streamlit as st

from analytics import ui

st.set_page_config(page_title="Nol Ekstrem — Kota Samarinda", page_icon="📉", layout="wide")

PAGES = [
    st.Page("pages/data_impor.py", title="Data & Impor", icon="🗂️", url_path="data"),
]

navigation = st.navigation(PAGES)
st.sidebar.caption("Nol Ekstrem · Dinsos PM Kota Samarinda")
ui.demo_banner(ui.store())
navigation.run()
