"""The Data & Impor section for the command-line inbox: what waits, what was imported, what failed."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics import formatting as fmt
from analytics.i18n import t
from analytics.ingest import inbox
from analytics.store.db import Store
from analytics.ui.upload import SPECS


def _kind_label(kind: str) -> str:
    if kind == "audit":
        return t("h3.kind_audit")
    return t(SPECS[kind].label) if kind in SPECS else kind


def outcome_table(outcomes: list[inbox.Outcome]) -> pd.DataFrame:
    """Finished inbox items as shown, newest first (the message is the Indonesian log text)."""
    return pd.DataFrame(
        {
            t("h3.col_finished"): [o.finished_at.replace("T", " ") for o in outcomes],
            t("h3.col_file"): [o.file_name for o in outcomes],
            t("h3.col_kind"): [_kind_label(o.kind) for o in outcomes],
            t("h3.col_result"): [t(f"h3.status_{o.status}") for o in outcomes],
            t("h3.col_message"): [o.message for o in outcomes],
        }
    )


def render_inbox(store: Store) -> None:
    """Warn of items waiting over an hour, then list the finished ones."""
    if store.path is None:
        return
    folder = inbox.folder_for(store.path)
    st.caption(t("h3.inbox_caption", folder=folder / "rejected"))
    if stale := inbox.stale(store.path):
        st.warning(t("h3.inbox_stale", n=fmt.number(len(stale)), folder=folder), icon="⚠️")
    elif waiting := inbox.waiting(store.path):
        st.info(t("h3.inbox_waiting", n=fmt.number(len(waiting))))
    finished = inbox.outcomes(store.path)
    if not finished:
        st.info(t("h3.inbox_none"))
        return
    st.dataframe(outcome_table(finished), hide_index=True, width="stretch", key="data_inbox_table")
