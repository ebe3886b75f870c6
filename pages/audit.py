"""Log audit: sign-ins, imports, replacements and downloads, for DinsosPM and admin only."""

import streamlit as st

from analytics import formatting as fmt
from analytics import ui
from analytics.i18n import t
from analytics.store import audit
from analytics.ui import view_state

store = ui.store()
ui.require("dinsos", "admin")
st.title(t("audit.title"))
broken = audit.verify_chain(store)
lost = audit.missing(store)
if lost is not None:  # entries the manifest's anchor vouches for are gone (e.g. a lost WAL)
    st.error(t("h4.audit_missing", expected=fmt.number(lost[0]), actual=fmt.number(lost[1])))
if broken is None:
    st.success(t("audit.intact"))
elif lost is None:
    st.error(t("audit.broken", entry=broken))
labels = {None: t("audit.all"), **audit.action_labels()}
action = view_state.selectbox(
    t("col.tindakan"), list(labels), "tindakan", format_func=labels.get, key="audit_action"
)
ui.table(audit.entries(store, action), "log_audit", key="audit_log")
st.caption(t("audit.append_only"))
