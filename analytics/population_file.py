"""Reading and validating one population file (kode wilayah, penduduk, tahun, sumber).

The same rules as the registry file: every problem is reported in Indonesian with file, row,
column and value, and one problem refuses the whole file.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analytics import areas
from analytics.issues import Checked
from analytics.tabular import FileRefused, RawTable, normalise_header, read_table

COLUMNS: dict[str, tuple[str, tuple[str, ...]]] = {
    "kode": (
        "Kode Wilayah",
        ("kode", "kode kemdagri", "kode kemendagri", "kode kecamatan", "kode kelurahan", "kode area"),
    ),
    "penduduk": ("Penduduk", ("jumlah penduduk", "jumlah", "populasi", "jumlah jiwa")),
    "tahun": ("Tahun", ("tahun data",)),
    "sumber": ("Sumber", ("sumber data",)),
}
ISSUE_COLUMNS = ["tingkat", "berkas", "baris", "kolom", "nilai", "pesan"]
GALAT = "Galat"
YEARS = (1990, 2100)
TEMPLATE = pd.DataFrame(
    {
        "Kode Wilayah": ["64.72.05", "64.72.05.1004"],
        "Penduduk": [0, 0],
        "Tahun": [2024, 2024],
        "Sumber": ["BPS, Kota Samarinda Dalam Angka 2025, tabel ...", "Disdukcapil ..."],
    }
)


@dataclass
class PreparedPopulation(Checked):
    """A validated population file ready to import, or the reasons it cannot be."""

    file_name: str
    sha256: str
    rows: pd.DataFrame
    issues: pd.DataFrame
    row_count: int


class _Issues:
    def __init__(self, file_name: str, table: RawTable | None = None) -> None:
        self.file_name, self.table, self.items = file_name, table, []

    def add(self, idx: int | None, key: str | None, value: object, message: str) -> None:
        headers = self.table.headers if self.table else {}
        self.items.append(
            {
                "tingkat": GALAT,
                "berkas": self.file_name,
                "baris": self.table.rows[idx] if idx is not None and self.table else None,
                "kolom": headers.get(key, COLUMNS[key][0]) if key else None,
                "nilai": None if value is None else str(value),
                "pesan": message,
            }
        )

    def frame(self) -> pd.DataFrame:
        df = pd.DataFrame(self.items, columns=ISSUE_COLUMNS)
        df["baris"] = df["baris"].astype("Int64")
        return df.sort_values("baris", kind="stable", na_position="first").reset_index(drop=True)


def parse_count(text: str) -> int | None:
    """'12345', '12.345', '12,345' or '12 345' -> 12345; None when not a whole number."""
    s = text.strip().replace(" ", "").replace("\u00a0", "")
    if re.fullmatch(r"-?\d+", s):
        return int(s)
    if re.fullmatch(r"-?\d{1,3}([.,]\d{3})+", s) and len(set(re.findall(r"[.,]", s))) == 1:
        return int(re.sub(r"[.,]", "", s))
    return None


def resolve_code(raw: str, resolver: areas.AreaResolver, kecamatan: set[str]) -> tuple[str | None, str]:
    """(dotted code, level) for a kecamatan or kelurahan code, or (None, message in Indonesian)."""
    code = areas.digits_only(raw)
    if not code.startswith(areas.CITY_PREFIX):
        return None, "Kode wilayah di luar Kota Samarinda (harus diawali 6472)."
    if len(code) == 6:
        dotted = areas.dotted(code)
        if dotted in kecamatan:
            return dotted, "kecamatan"
        return None, "Kode kecamatan tidak dikenal di Kota Samarinda."
    if len(code) == 10:
        dotted, reason = resolver.resolve(code)
        if dotted:
            return dotted, "kelurahan"
        return None, "Kode kelurahan tidak dikenal di Kota Samarinda."
    return None, "Kode wilayah harus 6 digit (kecamatan, mis. 64.72.05) atau 10 digit (kelurahan)."


def _validate(table: RawTable, issues: _Issues, resolver: areas.AreaResolver, kec: set[str]) -> list[dict]:
    rows, first_row = [], {}
    for idx, rec in table.frame.iterrows():
        bad = False
        for key in COLUMNS:
            if pd.isna(rec.get(key)):
                issues.add(idx, key, None, f"Sel wajib '{COLUMNS[key][0]}' kosong.")
                bad = True
        if bad:
            continue
        code, level = resolve_code(rec["kode"], resolver, kec)
        if code is None:
            issues.add(idx, "kode", rec["kode"], level)
        count = parse_count(rec["penduduk"])
        if count is None:
            issues.add(idx, "penduduk", rec["penduduk"], "Penduduk harus bilangan bulat (jumlah orang).")
        elif count < 0:
            issues.add(idx, "penduduk", rec["penduduk"], "Penduduk tidak boleh negatif.")
        elif count == 0:
            issues.add(idx, "penduduk", rec["penduduk"], "Penduduk harus lebih dari 0.")
        year = parse_count(rec["tahun"]) if re.fullmatch(r"\d{4}", rec["tahun"].strip()) else None
        if year is None or not YEARS[0] <= year <= YEARS[1]:
            issues.add(idx, "tahun", rec["tahun"], f"Tahun harus 4 digit antara {YEARS[0]} dan {YEARS[1]}.")
        if code is None or count is None or count <= 0 or year is None:
            continue
        if (code, year) in first_row:
            issues.add(
                idx,
                "kode",
                rec["kode"],
                f"Kode {code} tahun {year} ganda: sama dengan baris {first_row[(code, year)]}.",
            )
            continue
        first_row[(code, year)] = table.rows[idx]
        rows.append({"kode_wilayah": code, "tingkat": level, "tahun": year, "penduduk": count,
                     "sumber": rec["sumber"]})  # fmt: skip
    return rows


def read(
    data: bytes, file_name: str, resolver: areas.AreaResolver, kecamatan: set[str]
) -> PreparedPopulation:
    """Read and validate a population file against the city's kecamatan and kelurahan codes."""
    sha = hashlib.sha256(data).hexdigest()
    name = Path(file_name).name
    columns = {key: {normalise_header(h), *aliases} for key, (h, aliases) in COLUMNS.items()}
    issues = _Issues(name)
    table = None
    try:
        table = read_table(data, name, columns, anchor="kode", anchor_label=COLUMNS["kode"][0])
    except FileRefused as exc:
        issues.add(None, None, None, str(exc))
    rows: list[dict] = []
    if table is not None:
        issues.table = table
        missing = [COLUMNS[k][0] for k in COLUMNS if k not in table.frame.columns]
        if missing:
            found = ", ".join(table.headers.values())
            issues.add(
                None, None, None, f"Kolom wajib tidak ada: {', '.join(missing)}. Kolom dikenali: {found}."
            )
        elif table.frame.empty:
            issues.add(
                None, None, None, "Berkas tidak berisi satu baris data pun di bawah baris judul kolom."
            )
        else:
            rows = _validate(table, issues, resolver, kecamatan)
    frame = issues.frame()
    count = len(table.frame) if table is not None else 0
    return PreparedPopulation(name, sha, pd.DataFrame(rows) if frame.empty else pd.DataFrame(), frame, count)
