"""Reading and validating one population file (kode wilayah, penduduk, tahun, sumber).

The same rules as the registry file: every problem is reported in the user's language (and logged
in Indonesian) with file, row, column and value, and one problem refuses the whole file.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analytics import formatting as fmt
from analytics import i18n
from analytics.ingest.issues import Checked, both, report_value, unexpected_report
from analytics.ingest.tabular import FileRefused, RawTable, normalise_header, read_table
from analytics.store import areas

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
MAX_COUNT_CHARS = 15
MAX_PENDUDUK = 100_000_000  # far above any city; the stored column is a 32-bit integer
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
    log_texts: dict[str, str] = field(default_factory=dict, repr=False)  # shown message -> Indonesian


class _Issues:
    def __init__(self, file_name: str, table: RawTable | None = None) -> None:
        self.file_name, self.table, self.items = file_name, table, []
        self.log_texts: dict[str, str] = {}

    def say(self, idx: int | None, key: str | None, value: object, text_key: str, **fmt_args: object) -> None:
        self.add(idx, key, value, *both(lambda lang: i18n.text(lang, text_key, **fmt_args)))

    def add(self, idx: int | None, key: str | None, value: object, message: str, log_text: str) -> None:
        self.log_texts[message] = log_text
        headers = self.table.headers if self.table else {}
        self.items.append(
            {
                "tingkat": GALAT,
                "berkas": self.file_name,
                "baris": self.table.rows[idx] if idx is not None and self.table else None,
                "kolom": headers.get(key, COLUMNS[key][0]) if key else None,
                "nilai": report_value(key, headers.get(key), value),
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
    if len(s) > MAX_COUNT_CHARS:
        return None  # no area has that many people (and int() refuses 4,300+ digits)
    if re.fullmatch(r"-?\d+", s):
        return int(s)
    if re.fullmatch(r"-?\d{1,3}([.,]\d{3})+", s) and len(set(re.findall(r"[.,]", s))) == 1:
        return int(re.sub(r"[.,]", "", s))
    return None


def resolve_code(raw: str, resolver: areas.AreaResolver, kecamatan: set[str]) -> tuple[str | None, str]:
    """(dotted code, level) for a kecamatan or kelurahan code, or (None, text key of the problem)."""
    code = areas.digits_only(raw)
    if not code.startswith(areas.CITY_PREFIX):
        return None, "impor_penduduk.outside_city"
    if len(code) == 6:
        dotted = areas.dotted(code)
        if dotted in kecamatan:
            return dotted, "kecamatan"
        return None, "impor_penduduk.unknown_kecamatan"
    if len(code) == 10:
        dotted, reason = resolver.resolve(code)
        if dotted:
            return dotted, "kelurahan"
        return None, "impor_penduduk.unknown_kelurahan"
    return None, "impor_penduduk.code_length"


def _validate(table: RawTable, issues: _Issues, resolver: areas.AreaResolver, kec: set[str]) -> list[dict]:
    rows, first_row = [], {}
    for idx, rec in table.frame.iterrows():
        bad = False
        for key in COLUMNS:
            if pd.isna(rec.get(key)):
                issues.say(idx, key, None, "berkas.empty_cell", column=COLUMNS[key][0])
                bad = True
        if bad:
            continue
        code, level = resolve_code(rec["kode"], resolver, kec)
        if code is None:
            issues.say(idx, "kode", rec["kode"], level)
        count = parse_count(rec["penduduk"])
        if count is None:
            issues.say(idx, "penduduk", rec["penduduk"], "impor_penduduk.not_whole")
        elif count < 0:
            issues.say(idx, "penduduk", rec["penduduk"], "impor_penduduk.negative")
        elif count == 0:
            issues.say(idx, "penduduk", rec["penduduk"], "impor_penduduk.zero")
        elif count > MAX_PENDUDUK:
            issues.say(
                idx,
                "penduduk",
                rec["penduduk"],
                "h5.population_too_large",
                most=fmt.number(MAX_PENDUDUK),
            )
        year = parse_count(rec["tahun"]) if re.fullmatch(r"\d{4}", rec["tahun"].strip()) else None
        if year is None or not YEARS[0] <= year <= YEARS[1]:
            issues.say(idx, "tahun", rec["tahun"], "impor_penduduk.year", first=YEARS[0], last=YEARS[1])
        if code is None or count is None or not 0 < count <= MAX_PENDUDUK or year is None:
            continue
        if (code, year) in first_row:
            row = first_row[(code, year)]
            issues.say(idx, "kode", rec["kode"], "impor_penduduk.duplicate", code=code, year=year, row=row)
            continue
        first_row[(code, year)] = table.rows[idx]
        rows.append({"kode_wilayah": code, "tingkat": level, "tahun": year, "penduduk": count,
                     "sumber": rec["sumber"]})  # fmt: skip
    return rows


def read(
    data: bytes, file_name: str, resolver: areas.AreaResolver, kecamatan: set[str]
) -> PreparedPopulation:
    """Read and validate a population file against the city's kecamatan and kelurahan codes.

    An unexpected error while checking refuses the file too, naming only the error's type.
    """
    sha = hashlib.sha256(data).hexdigest()
    name = Path(file_name).name
    try:
        return _read(data, name, sha, resolver, kecamatan)
    except Exception as exc:  # noqa: BLE001 - any failure is a refusal, never a traceback
        report, logged = unexpected_report(name, exc)
        return PreparedPopulation(name, sha, pd.DataFrame(), report, 0, logged)


def _read(
    data: bytes, name: str, sha: str, resolver: areas.AreaResolver, kecamatan: set[str]
) -> PreparedPopulation:
    columns = {key: {normalise_header(h), *aliases} for key, (h, aliases) in COLUMNS.items()}
    issues = _Issues(name)
    table = None
    try:
        table = read_table(data, name, columns, anchor="kode", anchor_label=COLUMNS["kode"][0])
    except FileRefused as exc:
        issues.add(None, None, None, str(exc), exc.log_text)
    rows: list[dict] = []
    if table is not None:
        issues.table = table
        missing = [COLUMNS[k][0] for k in COLUMNS if k not in table.frame.columns]
        if missing:
            found = ", ".join(table.headers.values())
            names = ", ".join(missing)
            issues.say(None, None, None, "impor_penduduk.missing_columns", names=names, found=found)
        elif table.frame.empty:
            issues.say(None, None, None, "berkas.no_rows")
        else:
            rows = _validate(table, issues, resolver, kecamatan)
    frame = issues.frame()
    count = len(table.frame) if table is not None else 0
    rows_frame = pd.DataFrame(rows) if frame.empty else pd.DataFrame()
    return PreparedPopulation(name, sha, rows_frame, frame, count, issues.log_texts)
