"""Proven graduation and families back in poverty (issue 19), read from flow_stats, the intervals
and the verification results: the overview's flag and the meeting's "Verifikasi dan graduasi".

A graduation is proven (terbukti) when a verval graduasi result with its checklist met stands behind
it; every other graduation, the registry's or a verification's without the full checklist, is
"graduasi tanpa bukti". Desil naik is counted apart and never as graduation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from analytics import formatting as fmt
from analytics.access import disclosure
from analytics.access.auth import User
from analytics.i18n import TextMap, t
from analytics.store import settings
from analytics.store.db import Store

# How a graduated family came back: a member on the list again, or a later desil of 1-2.
HOW = TextMap({"muncul_lagi": "c19.how_muncul_lagi", "desil_1_2": "c19.how_desil_1_2"})


@dataclass(frozen=True)
class Summary:
    """Exits (people) up to `as_of` by graduation proven or not and desil naik; families verified."""

    as_of: date
    graduasi_terbukti: int
    graduasi_tanpa_bukti: int
    desil_naik: int
    dari_verval: int  # exits whose reason a verification result gave
    tidak_diketahui: int
    keluar: int
    keluarga_di_daftar: int
    keluarga_diverifikasi: int  # of those on the list, verified in the last `months` months
    months: int

    @property
    def graduasi(self) -> int:
        return self.graduasi_terbukti + self.graduasi_tanpa_bukti

    @property
    def verified_share(self) -> float:
        return self.keluarga_diverifikasi / self.keluarga_di_daftar if self.keluarga_di_daftar else 0.0


def latest_snapshot(store: Store) -> date | None:
    dates = store.query("snapshot_list")["as_of"]
    return None if dates.empty else pd.Timestamp(dates.max()).date()


def summary(store: Store, as_of: date | None = None) -> Summary:
    """Proven and unproven graduations, desil naik, and the families verified in the last
    `verval_months` months (setting) among those on the list at `as_of` (default: latest snapshot)."""
    as_of = as_of or latest_snapshot(store) or settings.today()
    months = int(settings.get(store, "verval_months"))
    row = store.query("verval_graduation_summary", as_of=as_of, months=months).iloc[0]
    return Summary(as_of=as_of, months=months, **{k: int(row[k]) for k in row.index})


def kembali_miskin(store: Store, as_of: date | None = None) -> pd.DataFrame:
    """Families a member of which left by graduation and later came back on the list ('muncul_lagi')
    or shows desil 1-2 in a later interval ('desil_1_2'): id_keluarga, kode_kelurahan, kelurahan,
    kecamatan, tanggal_graduasi, cara; only snapshots up to `as_of` (None: all) count.
    Named records: show only to roles that see them."""
    df = store.query("verval_kembali_miskin", as_of=as_of)
    df["tanggal_graduasi"] = pd.to_datetime(df["tanggal_graduasi"]).dt.date
    return df


def kembali_miskin_table(df: pd.DataFrame) -> pd.DataFrame:
    """The families as shown (named records: ID Keluarga)."""
    return pd.DataFrame(
        {
            t("col.id_keluarga"): df["id_keluarga"],
            t("col.kecamatan"): df["kecamatan"].fillna("–"),
            t("col.kelurahan"): df["kelurahan"].fillna("–"),
            t("c19.col_graduated"): df["tanggal_graduasi"].map(fmt.tanggal),
            t("c19.col_how"): df["cara"].map(HOW),
        }
    )


def kembali_miskin_by_kecamatan(df: pd.DataFrame) -> pd.DataFrame:
    """Aggregates for roles without named access: families per kecamatan and how they came back."""
    if df.empty:
        return pd.DataFrame(columns=[t("col.kecamatan"), HOW["muncul_lagi"], HOW["desil_1_2"]])
    counts = (
        df.assign(kecamatan=df["kecamatan"].fillna("–"))
        .pivot_table(index="kecamatan", columns="cara", values="id_keluarga", aggfunc="count", fill_value=0)
        .reindex(columns=list(HOW), fill_value=0)
        .reset_index()
    )
    return counts.rename(columns={"kecamatan": t("col.kecamatan"), **{k: HOW[k] for k in HOW}})


def named_families(df: pd.DataFrame, user: User) -> pd.DataFrame | None:
    """The families a role may see by ID Keluarga: all for DinsosPM, its area's for a camat or lurah;
    None for a role that sees aggregates only (an OPD's scope is its beneficiaries, not this list)."""
    if not user.sees_named_records:
        return None
    if user.sees_all_records:
        return df
    if user.area:
        area = df["kode_kelurahan"].fillna("")
        return df[(area == user.area) | area.str.startswith(user.area + ".")].reset_index(drop=True)
    return None


def named_table(df: pd.DataFrame) -> pd.DataFrame:
    """kembali_miskin_table marked person-level (ID Keluarga rows are not suppressed as counts)."""
    out = kembali_miskin_table(df)
    out.attrs[disclosure.PERSON_LEVEL] = True
    return out
