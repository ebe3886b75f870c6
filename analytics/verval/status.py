"""How far verification (verval) has come: per kelurahan, the families on the list at the latest
snapshot and the share with a result dated in the last `verval_months` months (setting, default 6)
before today; per family the last result; the overdue families (on the list, no result in that window)
for the roles that may see named records, each in its own area only."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd

from analytics.access.auth import User
from analytics.domain import VERVAL_BASES, verval_labels
from analytics.i18n import t
from analytics.store import settings
from analytics.store.db import Store, load_query


def window(store: Store, today: date | None = None) -> tuple[date, date]:
    """(first day, today) of the window a result must fall in to count as recent."""
    today = today or settings.today()
    months = int(settings.get(store, "verval_months"))
    return (pd.Timestamp(today) - pd.DateOffset(months=months)).date(), today


def latest(store: Store) -> date | None:
    """The latest snapshot date (None when the store holds none)."""
    value = store.scalar(load_query("snapshot_latest"))
    return value.date() if hasattr(value, "date") and not isinstance(value, date) else value


def per_kelurahan(store: Store, user: User | None = None, today: date | None = None) -> pd.DataFrame:
    """Per kelurahan: keluarga (on the list), terverifikasi (result in the window), share (0-1),
    terakhir (latest result date). A camat or lurah gets their own area only; the rest the city."""
    as_of = latest(store)
    cols = ["kode_kecamatan", "kecamatan", "kode_kelurahan", "kelurahan", "keluarga", "terverifikasi"]
    if as_of is None:
        return pd.DataFrame(columns=[*cols, "terakhir", "share"])
    since, until = window(store, today)
    df = store.query("verval_status_kelurahan", as_of=as_of, since=since, today=until)
    if user is not None and user.area:
        df = df[(df["kode_kecamatan"] == user.area) | (df["kode_kelurahan"] == user.area)]
    df = df.reset_index(drop=True)
    df["share"] = (df["terverifikasi"] / df["keluarga"].where(df["keluarga"] > 0)).fillna(0.0)
    return df


BAR_CELLS = 10


def bar(share: float) -> str:
    """A share (0-1) as a text progress bar of ten cells: ▰▰▰▱▱▱▱▱▱▱."""
    filled = max(0, min(BAR_CELLS, round(float(share) * BAR_CELLS)))
    return "▰" * filled + "▱" * (BAR_CELLS - filled)


def per_kelurahan_table(df: pd.DataFrame) -> pd.DataFrame:
    """The per-kelurahan status as shown (share in percent for a progress column)."""
    return pd.DataFrame(
        {
            t("col.kecamatan"): df["kecamatan"],
            t("col.kelurahan"): df["kelurahan"],
            t("b19.col_on_list"): df["keluarga"].astype("int64"),
            t("b19.col_verified"): df["terverifikasi"].astype("int64"),
            t("b19.col_share"): (df["share"] * 100).round(1),
            t("b19.col_bar"): df["share"].map(bar),
            t("b19.col_last"): pd.to_datetime(df["terakhir"]).dt.date,
        }
    )


def family_last(store: Store) -> pd.DataFrame:
    """Per family with any result: terakhir (date) and hasil_terakhir (code)."""
    return store.query("verval_family_last")


def overdue(store: Store, user: User, today: date | None = None) -> pd.DataFrame:
    """Families on the list without a result in the window, in the user's scope (empty for roles
    without named records)."""
    as_of = latest(store)
    if as_of is None or not user.sees_named_records:
        return pd.DataFrame()
    since, until = window(store, today)
    scope = {k: v for k, v in user.record_scope().items() if k != "kode_opd"}  # an OPD has no area
    return store.query("verval_overdue", as_of=as_of, since=since, today=until, **scope)


def overdue_table(df: pd.DataFrame) -> pd.DataFrame:
    """The overdue list as shown."""
    labels = verval_labels()
    return pd.DataFrame(
        {
            t("b19.col_family"): df["id_keluarga"],
            t("col.kecamatan"): df["kecamatan"],
            t("col.kelurahan"): df["kelurahan"],
            t("b19.col_head"): df["nama"],
            "NIK": df["nik_masked"],
            t("b19.col_members"): df["anggota"].astype("int64"),
            t("b19.col_last"): pd.to_datetime(df["terakhir"]).dt.date,
            t("b19.col_last_result"): df["hasil_terakhir"].map(lambda c: labels.get(c, "") if c else ""),
        }
    )


def family_history(store: Store, id_keluarga: str) -> pd.DataFrame:
    """Every result of one family, newest first (codes as stored)."""
    return store.query("verval_family", id_keluarga=id_keluarga)


def basis_labels() -> dict[str, str]:
    """Basis code -> label in the current language."""
    return {code: t(f"b19.basis_{code}") for code in VERVAL_BASES}


def checklist_text(raw: object) -> str:
    """A stored checklist as 'n/6' (empty for none)."""
    if not raw or not isinstance(raw, str):
        return ""
    marks = json.loads(raw)
    return f"{sum(bool(v) for v in marks.values())}/{len(marks)}"


def family_history_table(df: pd.DataFrame) -> pd.DataFrame:
    """A family's verification history as shown on its profile."""
    labels, bases = verval_labels(), basis_labels()
    complete = df["checklist_lengkap"].map(
        lambda v: "" if v is None or pd.isna(v) else t("b19.yes") if v else t("b19.no")
    )
    return pd.DataFrame(
        {
            t("b19.col_date"): pd.to_datetime(df["tanggal"]).dt.date,
            t("b19.col_result"): df["hasil"].map(labels),
            "NIK": df["nik_masked"],
            t("b19.col_basis"): df["dasar"].map(bases),
            t("b19.col_number"): df["nomor_dasar"],
            t("b19.col_basis_date"): pd.to_datetime(df["tanggal_dasar"]).dt.date,
            t("b19.col_officer"): df["petugas"],
            t("b19.col_checklist"): df["checklist"].map(checklist_text),
            t("b19.col_complete"): complete,
            t("b19.col_source"): df["sumber"].map(lambda s: t(f"b19.source_{s}")),
        }
    )
