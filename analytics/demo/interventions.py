"""Deterministic demo intervention files for the 15 OPDs, drawn from the demo P3KE snapshots.

Beneficiaries are taken from the list as it stood on each record's date (same NIKs and ID Keluarga
as analytics.demo.snapshots), so they match. Built in: gaps (a delayed BLT tranche, two months of BAAS data not sent),
overlaps (families reached by several strategies), late senders (Diskan, Disnaker and DPPP stopped
sending), planned-but-undelivered assignments, and a few beneficiaries who are not on the list (never
on it, or already left). Only np.random.default_rng(seed) is used.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from analytics.demo import snapshots as demo

HEADER = ["NIK", "ID Keluarga P3KE", "Nama", "Kode Program", "Tanggal", "Nilai (Rp)", "Status", "Keterangan"]
XLSX_MAX_ROWS = 3000  # small files go out as Excel (as OPDs send them), big ones as CSV
Pick = Callable[[pd.DataFrame], pd.Series]
HIDDEN_SHARE = 0.08


class _List:
    """The demo list by snapshot date, with lookups for 'on the list on day d'."""

    def __init__(self, snapshots: dict[date, pd.DataFrame], rng: np.random.Generator) -> None:
        self.dates = sorted(snapshots)
        cols = ["NIK", "ID Keluarga P3KE", "Nama", "Kode Kemdagri", "Hubungan dengan Kepala Keluarga"]
        cols += ["Usia", "Jenis Kelamin", "Desil Kesejahteraan", "Padan Dukcapil"]
        self.active = {}
        for d in self.dates:
            df = snapshots[d]
            on = df[df["Status"] == "Aktif"][cols].copy()
            on["kec"] = on["Kode Kemdagri"].str[4:6]
            on["usia"] = on["Usia"].astype(int)
            self.active[d] = on.reset_index(drop=True)
        everyone = pd.concat([snapshots[d][cols] for d in self.dates]).drop_duplicates("NIK", keep="last")
        self.everyone = everyone.set_index("NIK")
        self.families = set(everyone["ID Keluarga P3KE"])
        # Families no OPD manages to reach (not found at the address, no account, no documents).
        fams = np.array(sorted(self.families))
        self.hidden = set(fams[rng.random(fams.size) < HIDDEN_SHARE])

    def on(self, when: date) -> pd.DataFrame:
        """People on the list on day `when` (the latest snapshot on or before it)."""
        return self.active[self.dates[max(0, bisect_right(self.dates, when) - 1)]]

    def left_before(self, when: date) -> pd.DataFrame:
        """People seen on the list earlier who are no longer on it on day `when`."""
        gone = self.everyone.index.difference(self.on(when)["NIK"])
        return self.everyone.loc[gone].reset_index()


def _heads(df: pd.DataFrame) -> pd.DataFrame:
    """One row per family: the head when listed, else the first member."""
    order = (df["Hubungan dengan Kepala Keluarga"] != "Kepala Keluarga").astype(int)
    return df.assign(_o=order).sort_values(["_o"], kind="stable").drop_duplicates("ID Keluarga P3KE")


def _rows(people: pd.DataFrame, program: str, when: date, status: str, amount: int, note: str = "") -> list:
    return [
        [nik, fam, name, program, when, amount, status, note]
        for nik, fam, name in zip(people["NIK"], people["ID Keluarga P3KE"], people["Nama"], strict=True)
    ]


def _sample(
    rng: np.random.Generator, df: pd.DataFrame, n: int, weight: pd.Series | None = None
) -> pd.DataFrame:
    n = min(n, len(df))
    p = None if weight is None else (weight / weight.sum()).to_numpy()
    return df.iloc[np.sort(rng.choice(len(df), n, replace=False, p=p))]


def _campaign(
    rng: np.random.Generator,
    lst: _List,
    program: str,
    amount: int,
    unit: str,
    n: int,
    plan: date | None,
    pays: list[date],
    *,
    pick: Pick | None = None,
    kec: dict[str, float] | None = None,
    deliver: float = 1.0,
) -> list:
    """Choose n people (or families) on the list at the first date, plan them, pay those still listed."""
    start = plan or pays[0]
    pool = lst.on(start)
    if pick is not None:
        pool = pool[pick(pool)]
    if plan is None:  # hard-to-reach families are planned at most, never served
        pool = pool[~pool["ID Keluarga P3KE"].isin(lst.hidden)]
    if unit == "keluarga":
        pool = _heads(pool)
    weight = pool["kec"].map(kec or {}).fillna(0.0 if kec else 1.0)
    chosen = _sample(rng, pool, n, weight)
    rows = _rows(chosen, program, plan, "Rencana", amount) if plan else []
    paid = chosen[(rng.random(len(chosen)) < deliver) & ~chosen["ID Keluarga P3KE"].isin(lst.hidden)]
    key = "ID Keluarga P3KE" if unit == "keluarga" else "NIK"
    for when in pays:
        still = paid[paid[key].isin(lst.on(when)[key])]
        rows += _rows(still, program, when, "Tersalur", amount)
    return rows


def _fake_people(rng: np.random.Generator, lst: _List, n: int, kec: str = "05") -> pd.DataFrame:
    """People never on the list: valid-looking NIKs not in any snapshot, with their own family IDs."""
    niks: list[str] = []
    while len(niks) < n:
        nik = f"6472{kec}{rng.integers(1, 29):02d}{rng.integers(1, 13):02d}{rng.integers(60, 99)}"
        nik += f"{rng.integers(1, 9999):04d}"
        if nik not in lst.everyone.index and nik not in niks:
            niks.append(nik)
    fams: list[str] = []
    while len(fams) < n:
        fam = f"P3KE6472{90_000_000 + int(rng.integers(0, 9_999_999))}"
        if fam not in lst.families and fam not in fams:
            fams.append(fam)
    first = rng.choice(demo.MALE + demo.FEMALE, n)
    last = rng.choice(demo.SURNAMES, n)
    names = [f"{a} {b}".upper() for a, b in zip(first, last, strict=True)]
    return pd.DataFrame({"NIK": niks, "ID Keluarga P3KE": fams, "Nama": names})


def _off_list(
    rng: np.random.Generator, lst: _List, program: str, when: date, amount: int, fake: int, left: int
):
    """Beneficiaries an OPD took from outside the list: never listed, or already left by then."""
    rows = _rows(_fake_people(rng, lst, fake), program, when, "Tersalur", amount, "usulan kelurahan")
    gone = lst.left_before(when)
    if left:
        rows += _rows(_sample(rng, gone, left), program, when, "Tersalur", amount, "data lama")
    return rows


def _d(y: int, m: int, day: int = 15) -> date:
    return date(y, m, day)


UTARA, PALARAN, SEBERANG, ILIR, KUNJANG, SAMBUTAN, LJI = "05", "01", "02", "04", "06", "07", "10"
ADULT: Pick = lambda df: df["usia"].between(20, 58)  # noqa: E731
SCHOOL: Pick = lambda df: df["usia"].between(6, 17)  # noqa: E731
DESIL_1_2: Pick = lambda df: df["Desil Kesejahteraan"].isin(["1", "2"])  # noqa: E731
# BLT 2023 went to the elderly (60+) in desil-1 families.
BLT_2023: Pick = lambda df: (df["Desil Kesejahteraan"] == "1") & (df["usia"] >= 60)  # noqa: E731


def _records(rng: np.random.Generator, lst: _List) -> dict[str, list]:
    """Every OPD's records, in the order OPDs are generated (fixed, for determinism)."""
    c = _campaign
    r: dict[str, list] = {}
    monthly_2024 = [_d(2024, m, 20) for m in range(3, 10)] + [
        _d(2024, 11, 5),
        _d(2024, 11, 25),
        _d(2024, 12, 16),
    ]
    r["DINSOSPM"] = (
        c(
            rng,
            lst,
            "BLT-2023",
            300_000,
            "orang",
            99_999,
            _d(2023, 1, 16),
            [_d(2023, 4, 17), _d(2023, 7, 17), _d(2023, 10, 16)],
            pick=BLT_2023,
            deliver=0.85,
        )
        + c(
            rng,
            lst,
            "BLT-2024",
            300_000,
            "keluarga",
            99_999,
            _d(2024, 2, 20),
            monthly_2024,
            pick=DESIL_1_2,
            deliver=0.88,
        )
        + c(
            rng,
            lst,
            "RSRTLH",
            15_000_000,
            "keluarga",
            25,
            _d(2023, 3, 1),
            [_d(2023, 9, 28)],
            kec={UTARA: 3, PALARAN: 2, SAMBUTAN: 1},
        )
        + c(
            rng,
            lst,
            "RSRTLH",
            15_000_000,
            "keluarga",
            30,
            _d(2024, 3, 1),
            [_d(2024, 10, 10)],
            kec={UTARA: 3, LJI: 2, SAMBUTAN: 1},
            deliver=0.7,
        )
    )
    r["DISKOPUKM"] = (
        c(
            rng,
            lst,
            "UEP",
            2_500_000,
            "orang",
            150,
            _d(2023, 2, 1),
            [_d(2023, 6, 12)],
            pick=ADULT,
            kec={UTARA: 3, PALARAN: 2, KUNJANG: 1, SAMBUTAN: 1, ILIR: 1},
        )
        + c(
            rng,
            lst,
            "UEP",
            2_500_000,
            "orang",
            130,
            _d(2024, 2, 1),
            [_d(2024, 7, 8)],
            pick=ADULT,
            kec={UTARA: 2, SEBERANG: 1, KUNJANG: 1, "03": 1, "08": 1},
            deliver=0.85,
        )
        + _off_list(rng, lst, "UEP", _d(2023, 6, 12), 2_500_000, fake=6, left=0)
        + _off_list(rng, lst, "UEP", _d(2024, 7, 8), 2_500_000, fake=5, left=4)
    )
    r["DISPERKIM"] = (
        c(
            rng,
            lst,
            "BEDAH-RUMAH",
            20_000_000,
            "keluarga",
            35,
            _d(2023, 2, 20),
            [_d(2023, 11, 20)],
            kec={UTARA: 4, PALARAN: 2, LJI: 2, SAMBUTAN: 1},
        )
        + c(
            rng,
            lst,
            "BEDAH-RUMAH",
            20_000_000,
            "keluarga",
            45,
            _d(2024, 2, 19),
            [_d(2024, 11, 18)],
            kec={UTARA: 4, SEBERANG: 2, KUNJANG: 1},
            deliver=0.65,
        )
        + c(
            rng,
            lst,
            "BEDAH-RUMAH-CSR",
            20_000_000,
            "keluarga",
            12,
            _d(2024, 4, 1),
            [_d(2024, 9, 30)],
            kec={ILIR: 1, "08": 1, "09": 1},
        )
        + _off_list(rng, lst, "BEDAH-RUMAH", _d(2024, 11, 18), 20_000_000, fake=2, left=0)
    )
    r["DINKES"] = c(rng, lst, "PBI-DAERAH", 504_000, "orang", 700, None, [_d(2023, 1, 31)]) + c(
        rng, lst, "PBI-DAERAH", 504_000, "orang", 500, None, [_d(2024, 1, 31)]
    )
    r["DISDIKBUD"] = c(
        rng, lst, "PERLENGKAPAN-SEKOLAH", 750_000, "orang", 600, None, [_d(2023, 7, 17)], pick=SCHOOL
    ) + c(rng, lst, "PERLENGKAPAN-SEKOLAH", 750_000, "orang", 450, None, [_d(2024, 7, 15)], pick=SCHOOL)
    r["DISNAKER"] = c(
        rng,
        lst,
        "PELATIHAN-KERJA",
        3_000_000,
        "orang",
        60,
        _d(2023, 3, 1),
        [_d(2023, 5, 22), _d(2023, 11, 13)],
        pick=ADULT,
        kec={UTARA: 1, KUNJANG: 1, "08": 1, ILIR: 1},
    )
    r["DPPP"] = c(
        rng,
        lst,
        "PEKARANGAN",
        1_000_000,
        "keluarga",
        100,
        None,
        [_d(2023, 8, 14)],
        kec={PALARAN: 2, SAMBUTAN: 2, UTARA: 1, LJI: 1},
    ) + c(
        rng,
        lst,
        "PEKARANGAN",
        1_000_000,
        "keluarga",
        70,
        None,
        [_d(2024, 4, 22)],
        kec={PALARAN: 2, SAMBUTAN: 1, SEBERANG: 1},
    )
    r["DISKAN"] = c(
        rng,
        lst,
        "BUDIDAYA-IKAN",
        3_000_000,
        "keluarga",
        30,
        _d(2023, 3, 6),
        [_d(2023, 8, 7)],
        kec={PALARAN: 2, SEBERANG: 2, LJI: 1, ILIR: 1},
    )
    r["DISDAG"] = (
        c(
            rng,
            lst,
            "GEROBAK-PKL",
            2_000_000,
            "orang",
            25,
            None,
            [_d(2023, 9, 4)],
            pick=ADULT,
            kec={ILIR: 2, "09": 1, "03": 1, KUNJANG: 1},
        )
        + c(
            rng,
            lst,
            "GEROBAK-PKL",
            2_000_000,
            "orang",
            25,
            None,
            [_d(2024, 8, 5)],
            pick=ADULT,
            kec={ILIR: 2, "09": 1, "08": 1},
        )
        + _off_list(rng, lst, "GEROBAK-PKL", _d(2024, 8, 5), 2_000_000, fake=3, left=0)
    )
    nopadan: Pick = lambda df: df["Padan Dukcapil"] == "Tidak"  # noqa: E731
    r["DISDUKCAPIL"] = c(rng, lst, "ADMINDUK", 0, "orang", 260, None, [_d(2023, 5, 10)], pick=nopadan) + c(
        rng, lst, "ADMINDUK", 0, "orang", 180, None, [_d(2024, 5, 13)], pick=nopadan
    )
    r["DPUPR"] = c(
        rng,
        lst,
        "JAMBAN-SEHAT",
        5_000_000,
        "keluarga",
        40,
        _d(2023, 4, 3),
        [_d(2023, 10, 2)],
        kec={UTARA: 3, KUNJANG: 2, SAMBUTAN: 1},
    ) + c(
        rng,
        lst,
        "JAMBAN-SEHAT",
        5_000_000,
        "keluarga",
        50,
        _d(2024, 4, 1),
        [_d(2024, 9, 16)],
        kec={UTARA: 3, KUNJANG: 1, PALARAN: 1},
        deliver=0.6,
    )
    women: Pick = lambda df: (df["Jenis Kelamin"] == "Perempuan") & df["usia"].between(20, 58)  # noqa: E731
    r["DP2PA"] = (
        c(rng, lst, "USAHA-PEREMPUAN", 1_500_000, "orang", 50, None, [_d(2023, 8, 21)], pick=women)
        + c(rng, lst, "USAHA-PEREMPUAN", 1_500_000, "orang", 60, None, [_d(2024, 6, 24)], pick=women)
        + _off_list(rng, lst, "USAHA-PEREMPUAN", _d(2024, 6, 24), 1_500_000, fake=4, left=2)
    )
    toddler: Pick = lambda df: df["ID Keluarga P3KE"].isin(df.loc[df["usia"] <= 4, "ID Keluarga P3KE"])  # noqa: E731
    r["DPPKB"] = c(
        rng, lst, "BAAS", 300_000, "keluarga", 110, None, [_d(2023, m, 5) for m in range(6, 12)], pick=toddler
    ) + c(
        rng, lst, "BAAS", 300_000, "keluarga", 90, None, [_d(2024, m, 5) for m in range(6, 12)], pick=toddler
    )
    r["DISPERIN"] = c(
        rng,
        lst,
        "IKM",
        2_500_000,
        "orang",
        40,
        _d(2024, 3, 4),
        [_d(2024, 10, 14)],
        pick=ADULT,
        kec={ILIR: 1, "08": 1, "03": 1},
        deliver=0.25,
    )
    r["DLH"] = (
        c(
            rng,
            lst,
            "PADAT-KARYA",
            1_500_000,
            "orang",
            80,
            None,
            [_d(2023, m, 28) for m in (3, 4, 5)],
            pick=ADULT,
        )
        + c(
            rng,
            lst,
            "PADAT-KARYA",
            1_500_000,
            "orang",
            70,
            None,
            [_d(2024, m, 28) for m in (5, 6, 7)],
            pick=ADULT,
        )
        + _off_list(rng, lst, "PADAT-KARYA", _d(2024, 5, 28), 1_500_000, fake=5, left=0)
    )
    # Later rounds in Oct-Dec 2024, so the OPDs that report regularly have recent data.
    later: list[tuple[str, str, int, int, date, Pick | None]] = [
        ("DISKOPUKM", "UEP", 2_500_000, 30, _d(2024, 11, 11), ADULT),
        ("DINKES", "PBI-DAERAH", 504_000, 150, _d(2024, 10, 31), None),
        ("DISDIKBUD", "PERLENGKAPAN-SEKOLAH", 750_000, 120, _d(2024, 12, 2), SCHOOL),
        ("DISDUKCAPIL", "ADMINDUK", 0, 90, _d(2024, 10, 21), nopadan),
        ("DP2PA", "USAHA-PEREMPUAN", 1_500_000, 30, _d(2024, 11, 18), women),
        ("DISDAG", "GEROBAK-PKL", 2_000_000, 15, _d(2024, 10, 7), ADULT),
    ]
    for opd, program, amount, n, when, pick in later:
        r[opd] += c(rng, lst, program, amount, "orang", n, None, [when], pick=pick)
    r["DLH"] += c(
        rng,
        lst,
        "PADAT-KARYA",
        1_500_000,
        "orang",
        50,
        None,
        [_d(2024, m, 28) for m in (10, 11, 12)],
        pick=ADULT,
    )
    return r


# The last date each OPD had sent data for (late senders) and quarters left out (gaps).
CUTOFF = {"DISKAN": date(2023, 8, 31), "DISNAKER": date(2023, 11, 30), "DPPP": date(2024, 6, 30)}
GAPS = {"DPPKB": (date(2024, 8, 1), date(2024, 9, 30))}


def generate_interventions(seed: int = 7) -> dict[str, pd.DataFrame]:
    """Every OPD's intervention records (template columns), from the demo snapshots."""
    rng = np.random.default_rng(seed)
    lst = _List(demo.generate_snapshots(), rng)
    out = {}
    for opd, rows in _records(rng, lst).items():
        df = pd.DataFrame(rows, columns=HEADER)
        keep = df["Tanggal"] <= CUTOFF.get(opd, date.max)
        if opd in GAPS:
            start, end = GAPS[opd]
            keep &= ~df["Tanggal"].between(start, end)
        out[opd] = df[keep].sort_values(["Tanggal", "Status", "NIK"], kind="stable").reset_index(drop=True)
    return out


def _write_xlsx(df: pd.DataFrame, path: Path, title: str) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Penyaluran")
    ws.append([title])
    ws.append([])
    ws.append(HEADER)
    for row in df.itertuples(index=False, name=None):
        cells = []
        for col, value in zip(HEADER, row, strict=True):
            if col in ("NIK", "ID Keluarga P3KE"):
                value = WriteOnlyCell(ws, value=str(value))
                value.number_format = "@"
            cells.append(value if value != "" else None)
        ws.append(cells)
    wb.save(path)


def write_intervention_files(folder: Path, seed: int = 7) -> list[tuple[str, Path]]:
    """Write one file per OPD and year (Excel when small, CSV when large); return (OPD, path) in order."""
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for opd, df in generate_interventions(seed).items():
        for year, part in df.groupby(df["Tanggal"].map(lambda d: d.year)):
            stem = f"intervensi_{opd}_{year}"
            if len(part) <= XLSX_MAX_ROWS:
                path = folder / f"{stem}.xlsx"
                _write_xlsx(
                    part, path, f"LAPORAN PENYALURAN PROGRAM PENGHAPUSAN KEMISKINAN EKSTREM — {opd} — {year}"
                )
            else:
                path = folder / f"{stem}.csv"
                out = part.assign(Tanggal=part["Tanggal"].map(lambda d: d.strftime("%d/%m/%Y")))
                out.to_csv(path, index=False)
            files.append((opd, path))
    return files
