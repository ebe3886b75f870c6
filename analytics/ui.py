"""Streamlit helpers shared by the pages: the store handle, the demo banner, downloads."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics import bootstrap, config, export
from analytics.store import Store


@st.cache_resource(max_entries=4)
def _open_store(path: str) -> Store:
    return Store.open(path)


def store() -> Store:
    """The process-wide store for the configured path, built from demo data on first run."""
    handle = _open_store(str(config.db_path()))
    if bootstrap.snapshot_count(handle) == 0 and bootstrap.demo_allowed():
        bar = st.progress(0.0, text="Menyiapkan data contoh untuk pertama kali…")
        bootstrap.ensure_demo(handle, lambda f, m: bar.progress(min(f, 1.0), text=m))
        bar.empty()
    return handle


def demo_banner(handle: Store) -> None:
    """Say plainly when the numbers on screen are demo data."""
    if bootstrap.is_demo_store(handle):
        st.warning(
            "**DATA CONTOH** — angka di aplikasi ini berasal dari data contoh yang dibangkitkan, "
            "bukan data P3KE asli Kota Samarinda.",
            icon="⚠️",
        )


def downloads(df: pd.DataFrame, name: str, key: str) -> None:
    """CSV and XLSX download buttons for exactly the table shown."""
    left, right = st.columns(2)
    left.download_button(
        "Unduh CSV",
        export.csv_bytes(df),
        f"{name}.csv",
        "text/csv",
        key=f"{key}_csv",
        width="stretch",
    )
    right.download_button(
        "Unduh XLSX",
        export.xlsx_bytes(df, name),
        f"{name}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"{key}_xlsx",
        width="stretch",
    )
