"""Streamlit helpers shared by the pages: the store handle, the demo banner, downloads."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from analytics import bootstrap, config, export
from analytics import formatting as fmt
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


def area_filter(handle: Store, prefix: str, container=st) -> tuple[str | None, str | None, str]:
    """Kecamatan and kelurahan select boxes; returns (kode_kecamatan, kode_kelurahan, label)."""
    areas = handle.query("area_list")
    kec = areas.drop_duplicates("kode_kecamatan").set_index("kode_kecamatan")["kecamatan"]
    kode_kec = container.selectbox(
        "Kecamatan",
        [None, *kec.index],
        format_func=lambda k: "Seluruh kota" if k is None else kec[k],
        key=f"{prefix}_kecamatan",
    )
    if kode_kec is None:
        return None, None, "Kota Samarinda"
    kel = areas[areas["kode_kecamatan"] == kode_kec].set_index("kode_kelurahan")["kelurahan"]
    kode_kel = container.selectbox(
        "Kelurahan",
        [None, *kel.index],
        format_func=lambda k: "Semua kelurahan" if k is None else kel[k],
        key=f"{prefix}_kelurahan",
    )
    label = f"Kel. {kel[kode_kel]}, Kec. {kec[kode_kec]}" if kode_kel else f"Kec. {kec[kode_kec]}"
    return kode_kec, kode_kel, label


def snapshot_dates(handle: Store) -> list:
    """The stored snapshot dates, oldest first."""
    return list(handle.query("snapshot_list")["as_of"].dt.date)


def display_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy for the screen: integers as 9.032, decimals as 12,5, dates as 30 Nov 2022."""
    out = df.copy()
    for col in out.columns:
        s = out[col]
        if pd.api.types.is_bool_dtype(s):
            out[col] = s.map({True: "ya", False: "tidak"})
        elif pd.api.types.is_integer_dtype(s):
            out[col] = s.map(fmt.number)
        elif pd.api.types.is_float_dtype(s):
            out[col] = s.map(lambda v: fmt.number(v, 1))
        elif pd.api.types.is_datetime64_any_dtype(s) or (len(s) and isinstance(s.iloc[0], date)):
            out[col] = s.map(lambda v: fmt.tanggal(v) if pd.notna(v) else "–")
    return out


def table(df: pd.DataFrame, name: str, key: str) -> None:
    """Show a table with id-ID formatting and offer it as CSV and XLSX with raw values."""
    st.dataframe(display_frame(df), hide_index=True, width="stretch", key=f"{key}_table")
    downloads(df, name, key)
