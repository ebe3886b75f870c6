"""A scalable synthetic P3KE registry: monthly snapshot files with about 3% change per month.

Vectorised (numpy), so 5,000,000 people take seconds per snapshot. Each month about 1.5% of the
people on the list leave (half listed with Status Keluar and a reason, half simply omitted),
1% new people enter, 0.3% who left re-enter and 0.5% change kelurahan or desil. Families are
blocks of five consecutive people. Deterministic for a seed.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from analytics.store import areas

HEADER = [
    "ID Keluarga P3KE",
    "Kode Kemdagri",
    "Desa/Kelurahan",
    "Nama",
    "NIK",
    "Desil Kesejahteraan",
    "Jenis Kelamin",
    "Tanggal Lahir",
    "Status",
    "Alasan Keluar",
]
REASONS = np.array(["Graduasi", "Meninggal", "Pindah", "Tidak Layak", "Menolak", "Ganda"])
LEAVE, ENTER, REENTER, CHANGE = 0.015, 0.01, 0.003, 0.005


def month_ends(first: date, n: int) -> list[date]:
    """n month-end dates starting with the month of first."""
    out, y, m = [], first.year, first.month
    for _ in range(n):
        nxt = date(y + (m == 12), m % 12 + 1, 1)
        out.append(nxt - timedelta(days=1))
        y, m = nxt.year, nxt.month
    return out


class Registry:
    """The evolving list; `snapshots()` yields (date, DataFrame of the file's rows) month by month."""

    def __init__(
        self, people: int, months: int = 36, seed: int = 42, first: date = date(2022, 11, 30)
    ) -> None:
        self.rng = np.random.default_rng(seed)
        self.n0 = people
        capacity = int(people * (1 + (ENTER + 0.001) * months)) + 16
        self.dates = month_ends(first, months)
        kel = areas.area_tables()[1]
        self.codes = np.array([c.replace(".", "") for c in kel["kode_kelurahan"]])
        self.names = kel["nama"].to_numpy()
        self.capacity = capacity
        self.active = np.zeros(capacity, dtype=bool)
        self.active[:people] = True
        self.seen = self.active.copy()
        fam_kel = self.rng.integers(0, len(self.codes), capacity // 5 + 1)
        self.kel = fam_kel[np.arange(capacity) // 5]
        self.desil = self.rng.integers(1, 5, capacity)
        self.male = self.rng.random(capacity) < 0.5
        self.born = self.rng.integers(0, 365 * 80, capacity)
        self.next_id = people

    def _step(self) -> tuple[np.ndarray, np.ndarray]:
        """Advance one month; return (people leaving with an explicit row, their reasons)."""
        rng = self.rng
        on = np.flatnonzero(self.active)
        off = np.flatnonzero(self.seen & ~self.active)  # before this month's exits: no same-month return
        leaving = on[rng.random(len(on)) < LEAVE]
        self.active[leaving] = False
        explicit = leaving[rng.random(len(leaving)) < 0.5]
        reasons = REASONS[rng.integers(0, len(REASONS), len(explicit))]
        back = off[rng.random(len(off)) < REENTER * len(on) / max(len(off), 1)]
        self.active[back] = True
        new = min(int(round(len(on) * ENTER)), self.capacity - self.next_id)
        self.active[self.next_id : self.next_id + new] = True
        self.seen[self.next_id : self.next_id + new] = True
        self.next_id += new
        on = np.flatnonzero(self.active)
        change = on[rng.random(len(on)) < CHANGE]
        half = rng.random(len(change)) < 0.5
        self.kel[change[half]] = rng.integers(0, len(self.codes), half.sum())
        self.desil[change[~half]] = rng.integers(1, 5, (~half).sum())
        return explicit, reasons

    def _frame(self, idx: np.ndarray, status: np.ndarray, reason: np.ndarray) -> pd.DataFrame:
        ids = pd.Series(idx).astype(str)
        born = pd.Timestamp("1940-01-01") + pd.to_timedelta(self.born[idx], unit="D")
        return pd.DataFrame(
            {
                "ID Keluarga P3KE": "F" + pd.Series(idx // 5).astype(str).str.zfill(9),
                "Kode Kemdagri": self.codes[self.kel[idx]],
                "Desa/Kelurahan": self.names[self.kel[idx]],
                "Nama": "Warga " + ids,
                "NIK": "6472" + ids.str.zfill(12),
                "Desil Kesejahteraan": self.desil[idx].astype(str),
                "Jenis Kelamin": np.where(self.male[idx], "Laki-laki", "Perempuan"),
                "Tanggal Lahir": born.strftime("%Y-%m-%d"),
                "Status": status,
                "Alasan Keluar": reason,
            }
        )

    def snapshots(self) -> Iterator[tuple[date, pd.DataFrame]]:
        """Each month's file content, the baseline first."""
        for i, as_of in enumerate(self.dates):
            explicit = np.array([], dtype=np.int64)
            reasons = np.array([], dtype=object)
            if i:
                explicit, reasons = self._step()
            on = np.flatnonzero(self.active)
            idx = np.concatenate([on, explicit])
            status = np.concatenate([np.full(len(on), "Aktif"), np.full(len(explicit), "Keluar")])
            reason = np.concatenate([np.full(len(on), ""), reasons.astype(str)])
            yield as_of, self._frame(idx, status, reason)


def write_csv(df: pd.DataFrame, path: Path) -> Path:
    """Write a snapshot as the P3KE-style CSV the importer reads (all cells as text)."""
    table = pa.Table.from_pandas(df.astype(str), preserve_index=False)
    pacsv.write_csv(table, path)
    return path
