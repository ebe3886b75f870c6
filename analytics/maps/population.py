"""Population figures as stored: per area for the maps' per-1.000 rates, and the tables the data page
shows. Read only; the import and its commit live in analytics.ingest.population (the write side)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from analytics import formatting as fmt
from analytics.i18n import t
from analytics.store.db import Store

if TYPE_CHECKING:
    from analytics.ingest.population_file import PreparedPopulation


def population_by_area(store: Store, level: str) -> tuple[pd.Series, int | None, str]:
    """Population per area code at 'kecamatan' or 'kelurahan' level for the latest year with data.

    A kecamatan without its own row gets the sum of its kelurahan when every one is present.
    Returns (penduduk by code, year, sources).
    """
    df = store.query("population_list")
    if df.empty:
        return pd.Series(dtype=float), None, ""
    year = int(df["tahun"].max())
    df = df[df["tahun"] == year]
    sources = "; ".join(sorted(df["sumber"].unique()))
    kel = df[df["tingkat"] == "kelurahan"].set_index("kode_wilayah")["penduduk"].astype(float)
    if level == "kelurahan":
        return kel, year, sources
    own = df[df["tingkat"] == "kecamatan"].set_index("kode_wilayah")["penduduk"].astype(float)
    members = store.query("map_kelurahan_codes")
    members["penduduk"] = members["kode_kelurahan"].map(kel)
    complete = members.groupby("kode_kecamatan")["penduduk"].agg(
        lambda s: s.sum() if s.notna().all() else None
    )
    summed = complete.dropna()
    return own.combine_first(summed).astype(float), year, sources


def _names(store: Store) -> dict[str, tuple[str, str]]:
    """Area code -> (name, kecamatan name) for kecamatan and kelurahan codes."""
    kel = store.query("map_kelurahan_codes")
    kec = store.query("map_kecamatan_codes")
    names = {k: (n, n) for k, n in zip(kec["kode_kecamatan"], kec["kecamatan"], strict=True)}
    names.update(
        {k: (n, c) for k, n, c in zip(kel["kode_kelurahan"], kel["kelurahan"], kel["kecamatan"], strict=True)}
    )
    return names


def _display(df: pd.DataFrame, names: dict[str, tuple[str, str]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("impor_penduduk.col_tahun"): df["tahun"].astype(str),
            t("impor_penduduk.col_tingkat"): df["tingkat"].str.capitalize(),
            t("impor_penduduk.col_kode"): df["kode_wilayah"],
            t("impor_penduduk.col_wilayah"): df["kode_wilayah"].map(lambda k: names.get(k, ("?", "?"))[0]),
            t("col.kecamatan"): df["kode_wilayah"].map(lambda k: names.get(k, ("?", "?"))[1]),
            t("impor_penduduk.col_penduduk"): df["penduduk"].map(fmt.number),
            t("impor_penduduk.col_sumber"): df["sumber"],
        }
    )


def stored_table(store: Store) -> pd.DataFrame:
    """The stored population rows, newest year first, as shown on the data page."""
    df = store.query("population_list")
    out = _display(df, _names(store))
    out[t("col.berkas")] = df["file_name"]
    return out


def preview_table(store: Store, prepared: PreparedPopulation) -> pd.DataFrame:
    """The rows a checked file would store, with area names."""
    return _display(prepared.rows, _names(store))
