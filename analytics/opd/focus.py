"""The OPD's own view (issue 16 item 5): one OPD's headline figures beside the city's.

An OPD account, or anyone with "Sorot OPD" chosen, sees the OPD's families reached, their share of
the families on the list, assignments planned but not delivered, beneficiaries off the list and
the days since its latest data, each beside the same figure for the city (any OPD). The figures
come from the same summaries as the Intervensi OPD page (named query opd_focus). OPDs are named
with the catalogue's names (data/opd.csv, loaded into the store), never their codes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from analytics.access.auth import User
from analytics.i18n import t
from analytics.store import catalog
from analytics.store.db import Store

# The headline, in the order shown: (measure id in analytics.measures, attribute of Figures).
HEADLINE = (
    ("keluarga_terjangkau", "keluarga_terjangkau"),
    ("persen_keluarga_terjangkau", "cakupan_keluarga"),
    ("penugasan_belum_tersalur", "penugasan_belum_tersalur"),
    ("penerima_luar_daftar", "penerima_luar_daftar"),
    ("hari_sejak_data_opd", "hari_sejak_data"),
)


@dataclass(frozen=True)
class Figures:
    """The headline figures of one scope (an OPD, or the city = any OPD) at one snapshot date."""

    keluarga_di_daftar: int
    keluarga_terjangkau: int
    penugasan_belum_tersalur: int
    penerima_luar_daftar: int
    data_terakhir: date | None  # the latest OPD record on or before the date; None: none yet
    hari_sejak_data: int | None

    @property
    def cakupan_keluarga(self) -> float | None:
        """Families reached as a share of the families on the list (None when the list is empty)."""
        return self.keluarga_terjangkau / self.keluarga_di_daftar if self.keluarga_di_daftar else None


@dataclass(frozen=True)
class Focus:
    """One OPD's figures beside the city's, with the OPD's catalogue names."""

    kode_opd: str
    nama: str  # "Dinas Koperasi dan Usaha Kecil Menengah"
    singkatan: str  # "Diskop UKM"
    as_of: date
    opd: Figures
    city: Figures

    @property
    def title(self) -> str:
        """'Dinas Koperasi dan Usaha Kecil Menengah (Diskop UKM)'."""
        return self.nama if self.nama == self.singkatan else f"{self.nama} ({self.singkatan})"


def names(store: Store) -> dict[str, tuple[str, str]]:
    """(full name, short name) by OPD code: the catalogue loaded into the store, and the catalogue
    files for an OPD they list that the store has not loaded yet."""
    df = store.query("opd_list")
    found = {k: (n, s) for k, n, s in zip(df["kode_opd"], df["nama"], df["singkatan"], strict=True)}
    try:
        files, _ = catalog.read_catalog(*catalog.catalog_paths())
    except (catalog.CatalogError, OSError):
        return found
    for k, n, s in zip(files["kode_opd"], files["nama"], files["singkatan"], strict=True):
        found.setdefault(k, (n, s))
    return found


def short_name(store: Store, kode_opd: str | None) -> str | None:
    """The OPD's short catalogue name ('Diskop UKM'); None for no OPD or one not in the catalogue."""
    if not kode_opd:
        return None
    found = names(store).get(kode_opd.upper())
    return found[1] if found else None


def role_label(store: Store, role: str) -> str:
    """A role as a person reads it: 'OPD Diskop UKM' for opd:DISKOPUKM; other roles unchanged."""
    user = User("?", role)
    if user.kind != "opd":
        return role
    return t("s4.role_opd", opd=short_name(store, user.opd) or "?")


def default_focus(user: User) -> str | None:
    """The OPD a page highlights before anyone chooses: an OPD account's own, else none."""
    return user.opd.upper() if user.kind == "opd" and user.opd else None


def _figures(row: pd.Series) -> Figures:
    last = row["data_terakhir"]
    days = row["hari_sejak_data"]
    return Figures(
        keluarga_di_daftar=int(row["keluarga_di_daftar"]),
        keluarga_terjangkau=int(row["keluarga_terjangkau"]),
        penugasan_belum_tersalur=int(row["penugasan_belum_tersalur"]),
        penerima_luar_daftar=int(row["penerima_luar_daftar"]),
        data_terakhir=None if pd.isna(last) else pd.Timestamp(last).date(),
        hari_sejak_data=None if pd.isna(days) else int(days),
    )


def focus(store: Store, kode_opd: str, as_of: date) -> Focus | None:
    """The OPD's headline figures beside the city's at snapshot as_of; None when the code is not an
    OPD of the catalogue (a mistyped role shows city figures, never a traceback)."""
    kode = kode_opd.upper()
    known = names(store).get(kode)
    if known is None:
        return None
    df = store.query("opd_focus", kode_opd=kode, as_of=as_of).set_index("lingkup")
    return Focus(kode, known[0], known[1], as_of, _figures(df.loc["opd"]), _figures(df.loc["kota"]))


def latest_snapshot(store: Store) -> date | None:
    """The latest snapshot date (the date Ringkasan's headline is about), None without one."""
    df = store.query("snapshot_list")
    return None if df.empty else pd.Timestamp(df["as_of"].max()).date()
