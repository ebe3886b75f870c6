"""Log audit: sign-ins, imports, replacements and downloads, for DinsosPM and admin only."""

import streamlit as st

from analytics import audit, ui

store = ui.store()
ui.require("dinsos", "admin")
st.title("Log audit")
broken = audit.verify_chain(store)
if broken is None:
    st.success("Rantai log utuh: tidak ada entri yang diubah atau dihapus.")
else:
    st.error(f"Rantai log rusak mulai entri #{broken}: ada entri yang diubah atau dihapus di luar aplikasi.")
labels = {None: "Semua tindakan", **audit.ACTION_LABELS}
action = st.selectbox("Tindakan", list(labels), format_func=labels.get, key="audit_action")
ui.table(audit.entries(store, action), "log_audit", key="audit_log")
st.caption("Log hanya bisa ditambah; aplikasi tidak menyediakan cara mengubah atau menghapus entri.")
