"""Deterministic demo DTSEN files: the SIKS-NG desil ranking that continues the demo's P3KE series.

From 2025 the city's list comes from DTSEN. Each file ranks every family of the demo city into
desil 1-4 (the families of the P3KE list that remain, those who left it, and families never on it),
with title rows above the header and the header spelt as SIKS-NG exports do (aliases of
data/formats/dtsen_desil.toml). Between files some list families rise to desil 2-4 ("desil naik"),
some of those fall back, a few families that graduated under P3KE fall back to desil 1-2 ("kembali
miskin") and a few new desil-1 families appear. Only np.random.default_rng(seed) is used.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from analytics.demo import snapshots as p3ke

DTSEN_DATES: list[date] = [date(2025, 6, 30), date(2025, 12, 31), date(2026, 6, 30), date(2026, 9, 30)]
HEADERS = [
    "NOMOR KARTU KELUARGA", "NOMOR INDUK KEPENDUDUKAN", "NAMA", "DESIL NASIONAL", "KODE WILAYAH",
    "KECAMATAN", "DESA/KELURAHAN",
]  # fmt: skip
TEXT_COLUMNS = {"NOMOR KARTU KELUARGA", "NOMOR INDUK KEPENDUDUKAN", "KODE WILAYAH"}
RISE_SHARE = 0.07  # of the list's families, per file: desil rises to 2-4
FALL_BACK_SHARE = 0.12  # of the families that rose earlier, per file: back to desil 1
OFF_LIST_FAMILIES = 1.2  # families never on the list in desil 2-4, per list family (for the map)
NEW_DESIL1_SHARE = 0.015  # new desil-1 families per file, per list family
BACK_TO_POVERTY = 12  # families that graduated under P3KE and fall back to desil 1-2 in the third file


def _kk(rng: np.random.Generator, kec: np.ndarray) -> np.ndarray:
    """16-digit No KK: 6472 + kecamatan + 10 digits (unique)."""
    tail = rng.choice(10**10, size=kec.size, replace=False)
    return np.array([f"6472{k}{t:010d}" for k, t in zip(kec, tail, strict=True)])


def _synthetic(
    rng: np.random.Generator, families: int, kel: pd.DataFrame, serial: int, first_person: int
) -> pd.DataFrame:
    """Families never on the P3KE list: 1-5 members, NIKs whose 7th digit is 9 (no birth day is 9x,
    so they cannot equal a P3KE NIK) numbered from first_person, names from the demo's lists."""
    sizes = rng.integers(1, 6, families)
    home = np.repeat(np.arange(families), sizes)
    where = kel.iloc[rng.integers(0, len(kel), families)].reset_index(drop=True)
    kec = where["kode_kec"].str[-2:].to_numpy()
    kk = _kk(rng, kec)
    male = rng.random(home.size) < 0.5
    given = np.where(male, rng.choice(p3ke.MALE, home.size), rng.choice(p3ke.FEMALE, home.size))
    names = np.char.upper(np.char.add(np.char.add(given, " "), rng.choice(p3ke.SURNAMES, home.size)))
    nik = [f"6472{kec[f]}9{first_person + i:09d}" for i, f in enumerate(home)]
    return pd.DataFrame(
        {
            "family": home + serial,
            "kk": kk[home],
            "nik": nik,
            "nama": names,
            "kode": where["kode"].to_numpy()[home],
            "kec": where["kec"].to_numpy()[home],
            "kel": where["nama"].to_numpy()[home],
        }
    )


def _p3ke_people(snapshots: dict[date, pd.DataFrame]) -> tuple[pd.DataFrame, np.ndarray]:
    """Everyone of the last P3KE file (on the list or not) and the families that left by graduation."""
    last = snapshots[max(snapshots)]
    every = pd.concat(snapshots.values(), ignore_index=True).drop_duplicates("NIK", keep="last")
    graduated = every.loc[every["Alasan Keluar"] == "Graduasi", "ID Keluarga P3KE"].unique()
    listed = last[last["Status"] == "Aktif"]
    graduated = np.setdiff1d(graduated, listed["ID Keluarga P3KE"].unique())
    # the people on the list at its last P3KE file, and every member of the families that graduated
    people = pd.concat([listed, every[every["ID Keluarga P3KE"].isin(graduated)]], ignore_index=True)
    frame = pd.DataFrame(
        {
            "family": people["ID Keluarga P3KE"].to_numpy(),
            "nik": people["NIK"].to_numpy(),
            "nama": people["Nama"].to_numpy(),
            "kode": people["Kode Kemdagri"].to_numpy(),
            "kec": people["Kecamatan"].to_numpy(),
            "kel": people["Desa/Kelurahan"].to_numpy(),
        }
    )
    return frame, graduated


def generate_dtsen(
    seed: int = 42, snapshots: dict[date, pd.DataFrame] | None = None
) -> dict[date, pd.DataFrame]:
    """One DTSEN ranking per DTSEN_DATES date, in SIKS-NG column layout (HEADERS)."""
    rng = np.random.default_rng(seed + 2025)
    snapshots = snapshots if snapshots is not None else p3ke.generate_snapshots(seed)
    people, graduated = _p3ke_people(snapshots)
    families = people["family"].unique()
    kk_of = dict(
        zip(
            families,
            _kk(rng, np.array([k[8:10] for k in people.groupby("family")["kode"].first()[families]])),
            strict=True,
        )
    )
    people["kk"] = people["family"].map(kk_of)
    on_list = np.setdiff1d(families, graduated)
    desil = pd.Series(1, index=families, dtype=int)
    desil[graduated] = rng.integers(3, 5, graduated.size)  # graduated families sit in desil 3-4
    kel = p3ke._kelurahan()
    kel = kel.assign(
        kode=kel["kode"].str.replace(".", "", regex=False),
        kec=kel["kec"].str.upper(),
        nama=kel["nama"].str.upper(),
    )
    off = _synthetic(rng, int(on_list.size * OFF_LIST_FAMILIES), kel, 0, 0)
    off_desil = pd.Series(
        rng.choice([2, 3, 4], off["family"].nunique(), p=[0.3, 0.35, 0.35]), index=off["family"].unique()
    )
    serial = int(off["family"].max()) + 1
    new_people = []
    out: dict[date, pd.DataFrame] = {}
    for i, as_of in enumerate(DTSEN_DATES):
        listed = desil.index[(desil == 1) & desil.index.isin(on_list)]
        rise = rng.choice(listed, int(listed.size * RISE_SHARE), replace=False)
        risen = desil.index[(desil > 1) & desil.index.isin(on_list)]
        back = rng.choice(risen, int(risen.size * FALL_BACK_SHARE), replace=False) if risen.size else []
        desil[rise] = rng.choice([2, 3, 4], rise.size, p=[0.5, 0.3, 0.2])
        desil[back] = 1
        if i == 2:
            fallen = rng.choice(graduated, min(BACK_TO_POVERTY, graduated.size), replace=False)
            desil[fallen] = np.where(np.arange(fallen.size) % 3 == 0, 1, 2)
        persons = len(off) + sum(len(p) for p in new_people)
        fresh = _synthetic(rng, max(1, int(on_list.size * NEW_DESIL1_SHARE)), kel, serial, persons)
        serial += int(fresh["family"].nunique()) + 1
        new_people.append(fresh)
        known = people.assign(desil=people["family"].map(desil))
        synthetic = off.assign(desil=off["family"].map(off_desil))
        newcomers = pd.concat(new_people, ignore_index=True).assign(desil=1)
        frame = pd.concat([known, synthetic, newcomers], ignore_index=True)
        frame = frame.sample(frac=1.0, random_state=int(rng.integers(1 << 31))).sort_values(
            "kode", kind="stable"
        )
        out[as_of] = pd.DataFrame(
            {
                "NOMOR KARTU KELUARGA": frame["kk"].to_numpy(),
                "NOMOR INDUK KEPENDUDUKAN": frame["nik"].to_numpy(),
                "NAMA": frame["nama"].to_numpy(),
                "DESIL NASIONAL": frame["desil"].astype(int).to_numpy(),
                "KODE WILAYAH": frame["kode"].to_numpy(),
                "KECAMATAN": frame["kec"].to_numpy(),
                "DESA/KELURAHAN": frame["kel"].to_numpy(),
            }
        )
    return out


def write_xlsx(df: pd.DataFrame, path: Path, as_of: date) -> None:
    """One ranking as SIKS-NG writes it: three title rows, then the header; numbers kept as text."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("DTSEN")
    for title in (
        "DATA TUNGGAL SOSIAL EKONOMI NASIONAL (DTSEN)",
        "PERINGKAT DESIL KELUARGA - KOTA SAMARINDA",
        f"Diunduh dari SIKS-NG per {as_of:%d-%m-%Y}",
        None,
    ):
        ws.append([title])
    ws.append(list(df.columns))
    text = [c in TEXT_COLUMNS for c in df.columns]

    def cell(value: object, as_text: bool) -> object:
        if not as_text:
            return value.item() if isinstance(value, np.generic) else value
        c = WriteOnlyCell(ws, value=str(value))
        c.number_format = "@"
        return c

    for row in df.itertuples(index=False, name=None):
        ws.append([cell(v, t) for v, t in zip(row, text, strict=True)])
    wb.save(path)


def write_csv(df: pd.DataFrame, path: Path, as_of: date) -> None:
    """One ranking as a CSV saved from the SIKS-NG sheet: the title rows stay above the header."""
    titles = (
        "DATA TUNGGAL SOSIAL EKONOMI NASIONAL (DTSEN)\n"
        "PERINGKAT DESIL KELUARGA - KOTA SAMARINDA\n"
        f"Diunduh dari SIKS-NG per {as_of:%d-%m-%Y}\n\n"
    )
    path.write_text(titles + df.to_csv(index=False, lineterminator="\n"), encoding="utf-8")


def write_dtsen_files(
    folder: Path, seed: int = 42, snapshots: dict[date, pd.DataFrame] | None = None, fmt: str = "csv"
) -> list[tuple[date, Path]]:
    """Write folder/dtsen_desil_samarinda_YYYY-MM-DD.csv (or .xlsx, ~2.5 s each) per DTSEN date; return
    (date, path) sorted."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for as_of, df in sorted(generate_dtsen(seed, snapshots).items()):
        path = folder / f"dtsen_desil_samarinda_{as_of.isoformat()}.{fmt}"
        (write_xlsx if fmt == "xlsx" else write_csv)(df, path, as_of)
        written.append((as_of, path))
    return written
