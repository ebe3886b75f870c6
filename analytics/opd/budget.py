"""The BLT budget: planned = recipients x amount x months under the programme's settings (data/program.csv),
delivered against planned by month and kecamatan, what remains, and the need to the target date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from analytics import formatting as fmt
from analytics.i18n import t
from analytics.store.db import Store


def unknown_area() -> str:
    """The kecamatan shown for recipients whose area is unknown (they are off the list)."""
    return t("budget.unknown_area")


@dataclass
class Budget:
    """One cash programme's budget at a snapshot date."""

    program: pd.Series
    as_of: date
    target: date
    penerima: int  # recipients: distinct units with a record on or before as_of
    rencana: int  # planned rupiah = penerima x nilai x bulan
    tersalur: int  # delivered rupiah on or before as_of
    monthly: pd.DataFrame  # bulan, rencana, tersalur, rencana_kumulatif, tersalur_kumulatif
    kecamatan: pd.DataFrame  # kecamatan, penerima, rencana, tersalur, sisa
    sisa_daftar: int  # units (people or families, per the programme) on the list at as_of
    bulan_ke_target: int  # whole months after as_of's month up to the target's month

    @property
    def sisa(self) -> int:
        """Planned but not (yet) delivered rupiah."""
        return self.rencana - self.tersalur

    @property
    def realisasi(self) -> float | None:
        """Delivered as a share of planned."""
        return self.tersalur / self.rencana if self.rencana else None

    @property
    def kebutuhan_per_bulan(self) -> int:
        """Rupiah a month if every unit on the list at as_of were paid the programme amount."""
        return self.sisa_daftar * int(self.program["nilai"])

    @property
    def kebutuhan_ke_target(self) -> int:
        """Rupiah to pay the list at as_of every month until the target date."""
        return self.kebutuhan_per_bulan * self.bulan_ke_target


def cash_programs(store: Store) -> pd.DataFrame:
    """Programmes a budget can be computed for (income support with a rupiah amount)."""
    df = store.query("blt_programs")
    for col in ("mulai", "selesai"):
        df[col] = df[col].map(lambda v: v.date() if pd.notna(v) else None)
    return df


def default_program(programs: pd.DataFrame, as_of: date) -> str | None:
    """The BLT programme running at as_of, else the latest one started, else the next one to start."""
    if programs.empty:
        return None
    blt = programs[programs["kode_program"].str.upper().str.startswith("BLT")]
    if blt.empty:
        return str(programs["kode_program"].iloc[0])
    blt = blt.sort_values("mulai", na_position="first")
    started = blt[blt["mulai"].map(lambda d: d is None or d <= as_of)]
    running = started[started["selesai"].map(lambda d: d is None or d >= as_of)]
    for pool in (running, started):
        if not pool.empty:  # the one that started last; on a tie the first by code
            return str(pool[pool["mulai"] == pool["mulai"].max()]["kode_program"].iloc[0])
    return str(blt["kode_program"].iloc[0])


def month_index(d: date) -> int:
    """Months since year 0, to count whole months between dates."""
    return d.year * 12 + d.month - 1


def _month(i: int) -> date:
    return date(i // 12, i % 12 + 1, 1)


def _schedule(program: pd.Series, rencana: int, months: list[date]) -> pd.Series:
    """Planned rupiah per month: spread evenly over the programme's period (mulai..selesai months)."""
    if program["mulai"] is None:
        return pd.Series(0, index=months, dtype="int64")
    first, last = month_index(program["mulai"]), month_index(program["selesai"])
    span = last - first + 1
    per = [rencana / span if first <= month_index(m) <= last else 0.0 for m in months]
    return pd.Series(per, index=months).round().astype("int64")


def budget(store: Store, kode_program: str, as_of: date, target: date) -> Budget:
    """The budget of one cash programme at as_of, with the projection to target."""
    programs = cash_programs(store).set_index("kode_program", drop=False)
    program = programs.loc[kode_program]
    nilai, bulan = int(program["nilai"]), int(program["bulan"])
    raw = store.query("blt_monthly", kode_program=kode_program, as_of=as_of)
    raw["bulan"] = raw["bulan"].map(lambda v: v.date())
    penerima = int(raw["penerima_baru"].sum())
    rencana = penerima * nilai * bulan
    span = [month_index(d) for d in raw["bulan"]]
    if program["mulai"] is not None:
        span += [month_index(program["mulai"]), month_index(program["selesai"])]
    months = [_month(i) for i in range(min(span), max(span) + 1)] if span else []
    got = dict(zip(raw["bulan"], raw["nilai_tersalur"], strict=True))
    # Months after the snapshot's month have no delivery data yet: unknown, not zero.
    delivered = [int(got.get(m, 0)) if month_index(m) <= month_index(as_of) else None for m in months]
    monthly = pd.DataFrame(
        {
            "bulan": months,
            "rencana": _schedule(program, rencana, months).to_numpy(),
            "tersalur": pd.array(delivered, dtype="Int64"),
        }
    )
    monthly["rencana_kumulatif"] = monthly["rencana"].cumsum()
    monthly["tersalur_kumulatif"] = monthly["tersalur"].cumsum()
    kec = store.query("blt_kecamatan", kode_program=kode_program, as_of=as_of)
    kecamatan = pd.DataFrame(
        {
            "kecamatan": kec["kecamatan"].fillna(unknown_area()),
            "penerima": kec["penerima"].astype("int64"),
            "rencana": kec["penerima"].astype("int64") * nilai * bulan,
            "tersalur": kec["nilai_tersalur"].astype("int64"),
        }
    )
    kecamatan["sisa"] = kecamatan["rencana"] - kecamatan["tersalur"]
    remaining = store.query("blt_remaining", as_of=as_of).iloc[0]
    units = int(remaining["keluarga" if program["satuan"] == "keluarga" else "orang"])
    return Budget(
        program=program,
        as_of=as_of,
        target=target,
        penerima=penerima,
        rencana=rencana,
        tersalur=int(raw["nilai_tersalur"].sum()),
        monthly=monthly,
        kecamatan=kecamatan,
        sisa_daftar=units,
        bulan_ke_target=max(0, month_index(target) - month_index(as_of)),
    )


def monthly_table(b: Budget) -> pd.DataFrame:
    """Planned against delivered per month, as shown."""
    return pd.DataFrame(
        {
            t("col.bulan"): b.monthly["bulan"].map(fmt.bulan),
            t("col.rencana_rp"): b.monthly["rencana"],
            t("col.tersalur_rp"): b.monthly["tersalur"],
            t("col.rencana_kum_rp"): b.monthly["rencana_kumulatif"],
            t("col.tersalur_kum_rp"): b.monthly["tersalur_kumulatif"],
        }
    )


def kecamatan_table(b: Budget) -> pd.DataFrame:
    """Planned against delivered per kecamatan, as shown."""
    return pd.DataFrame(
        {
            t("col.kecamatan"): b.kecamatan["kecamatan"],
            t("col.penerima"): b.kecamatan["penerima"],
            t("col.rencana_rp"): b.kecamatan["rencana"],
            t("col.tersalur_rp"): b.kecamatan["tersalur"],
            t("col.sisa_rp"): b.kecamatan["sisa"],
        }
    )
