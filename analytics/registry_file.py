"""Reading and validating one P3KE registry snapshot file into clean, pseudonymised rows."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from analytics import privacy
from analytics.areas import AreaResolver
from analytics.domain import REASON_SYNONYMS, STATUS_SYNONYMS
from analytics.issues import GALAT, ISSUE_COLUMNS, PERINGATAN, Checked, Issues
from analytics.tabular import FileRefused, RawTable, normalise_header, read_table

# Canonical key -> (header as P3KE writes it, other spellings seen in exports).
COLUMNS: dict[str, tuple[str, tuple[str, ...]]] = {
    "id_keluarga": ("ID Keluarga P3KE", ("id keluarga", "idkeluarga p3ke")),
    "id_individu": ("ID Individu", ("id individu p3ke",)),
    "kode_kemdagri": ("Kode Kemdagri", ("kode kemendagri", "kode wilayah", "kode kelurahan")),
    "kecamatan": ("Kecamatan", ()),
    "kelurahan": ("Desa/Kelurahan", ("kelurahan", "desa", "desa kelurahan")),
    "alamat": ("Alamat", ()),
    "desil": ("Desil Kesejahteraan", ("desil",)),
    "nama": ("Nama", ("nama lengkap",)),
    "nik": ("NIK", ("no nik", "nomor nik")),
    "jenis_kelamin": ("Jenis Kelamin", ()),
    "tanggal_lahir": ("Tanggal Lahir", ("tgl lahir",)),
    "status": ("Status", ("status daftar", "status p3ke")),
    "alasan": ("Alasan Keluar", ("alasan",)),
    "tanggal_verifikasi": ("Tanggal Verifikasi", ("tgl verifikasi",)),
}
REQUIRED = ("id_keluarga", "kode_kemdagri", "nama", "nik")
SEX = {"laki-laki": "L", "laki laki": "L", "l": "L", "perempuan": "P", "p": "P"}


def header(key: str) -> str:
    """The column header as the user's file names it."""
    return COLUMNS[key][0]


@dataclass
class PreparedSnapshot(Checked):
    """A validated snapshot ready to import, or the reasons it cannot be."""

    file_name: str
    sha256: str
    as_of: date
    rows: pd.DataFrame
    issues: pd.DataFrame
    row_count: int


class _Issues(Issues):
    def __init__(self, table: RawTable) -> None:
        super().__init__(table, header)


def _cell_schema() -> pa.DataFrameSchema:
    """Per-cell rules; each check's name selects the user message in _MESSAGES."""
    # Regexes run on Arrow strings: ~15x faster than Python's re over a 1M-row column.
    digits16 = pa.Check(lambda s: s.str.fullmatch(r"\d{16}"), name="nik_16_digit", ignore_na=True)
    sci = pa.Check(
        lambda s: ~s.str.fullmatch(r"\d+(?:[.,]\d+)?[eE]\+?\d+"),
        name="nik_angka_excel",
        ignore_na=True,
    )
    desil = pa.Check(lambda s: s.isin(["1", "2", "3", "4"]), name="desil_1_4", ignore_na=True)
    sex = pa.Check(lambda s: s.str.lower().isin(list(SEX)), name="jenis_kelamin", ignore_na=True)
    birth = pa.Check(
        lambda s: _parse_dates(s).notna(),
        name="tanggal",
        ignore_na=True,
    )
    status = pa.Check(
        lambda s: _per_value(s, normalise_header).isin(list(STATUS_SYNONYMS)), name="status", ignore_na=True
    )
    reason = pa.Check(
        lambda s: _per_value(s, normalise_header).isin(list(REASON_SYNONYMS)), name="alasan", ignore_na=True
    )
    # dtype None: cells arrive as Arrow-backed strings (see tabular.read_table(strings=True)).
    col = lambda *checks: pa.Column(None, checks=list(checks), nullable=True, required=False)  # noqa: E731
    return pa.DataFrameSchema(
        {
            "nik": col(sci, digits16),
            "desil": col(desil),
            "jenis_kelamin": col(sex),
            "tanggal_lahir": col(birth),
            "tanggal_verifikasi": col(birth),
            "status": col(status),
            "alasan": col(reason),
        }
    )


_MESSAGES: dict[str, tuple[str, str]] = {
    "nik_angka_excel": (
        GALAT,
        "NIK tersimpan sebagai angka oleh Excel sehingga digit terakhir hilang. Format kolom NIK "
        "sebagai Teks di sumber data, lalu ekspor ulang berkasnya.",
    ),
    "nik_16_digit": (GALAT, "NIK harus tepat 16 digit angka."),
    "desil_1_4": (PERINGATAN, "Desil Kesejahteraan di luar 1–4; nilai diabaikan."),
    "jenis_kelamin": (PERINGATAN, "Jenis Kelamin tidak dikenal; nilai diabaikan."),
    "tanggal": (PERINGATAN, "Tanggal tidak dapat dibaca; nilai diabaikan."),
    "status": (PERINGATAN, "Status tidak dikenal; orang ini dianggap masih Aktif."),
    "alasan": (PERINGATAN, "Alasan Keluar tidak dikenal; dicatat sebagai 'alasan tidak diketahui'."),
}


def _check_cells(table: RawTable, issues: _Issues) -> set[int]:
    """Run the cell rules; return the row indexes whose NIK is unusable."""
    df = table.frame
    bad_nik: set[int] = set()
    for idx in sorted(table.numeric_cells.get("nik", set())):
        issues.add(GALAT, idx, "nik", df.at[idx, "nik"], _MESSAGES["nik_angka_excel"][1])
        bad_nik.add(idx)
    try:
        _cell_schema().validate(df, lazy=True)
        return bad_nik
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    for case in cases.itertuples(index=False):
        if pd.isna(case.index):
            continue
        idx = int(case.index)
        if case.column == "nik":
            if idx in bad_nik:
                continue  # one message per cell: the Excel-number one explains the length too
            bad_nik.add(idx)
        level, message = _MESSAGES[case.check]
        issues.add(level, idx, case.column, case.failure_case, message)
    return bad_nik


def _check_required(table: RawTable, issues: _Issues) -> None:
    missing = [k for k in REQUIRED if k not in table.frame.columns]
    if missing:
        found = ", ".join(table.headers.values()) or "(tidak ada)"
        names = ", ".join(f"'{header(k)}'" for k in missing)
        issues.add(
            GALAT,
            None,
            None,
            None,
            f"Kolom wajib tidak ada: {names}. Kolom yang dikenali di baris {table.header_row}: {found}.",
        )
        return
    for key in REQUIRED:
        for idx in table.frame.index[table.frame[key].isna()]:
            issues.add(GALAT, idx, key, None, f"Sel wajib '{header(key)}' kosong.")


def _check_duplicates(table: RawTable, issues: _Issues, bad_nik: set[int]) -> None:
    nik = table.frame["nik"]
    usable = nik[~nik.index.isin(list(bad_nik)) & nik.notna()]
    dup = usable[usable.duplicated(keep=False)]
    for value, group in dup.groupby(dup):
        rows = [table.rows[i] for i in group.index]
        for idx in group.index[1:]:
            issues.add(
                GALAT,
                idx,
                "nik",
                privacy.mask_nik(value),
                f"NIK ganda dalam satu snapshot: sama dengan baris {rows[0]}.",
            )


def _per_value(values: pd.Series, fn: Callable[[object], object]) -> pd.Series:
    """fn applied once per distinct value (an empty cell is None), spread back to every row."""
    codes, uniques = pd.factorize(values)  # an empty cell gets code -1: the last entry below
    results = np.empty(len(uniques) + 1, dtype=object)
    results[:] = [*(fn(v) for v in uniques), fn(None)]
    return pd.Series(results[codes], index=values.index, dtype=object)


def _parse_dates(values: pd.Series) -> pd.Series:
    """pd.to_datetime(format="mixed") as before, with the ISO dates (nearly all) parsed in one pass."""
    iso = pd.to_datetime(values, errors="coerce", format="ISO8601")
    rest = iso.isna() & values.notna()
    if rest.any():
        iso[rest] = pd.to_datetime(values[rest], errors="coerce", format="mixed", dayfirst=False)
    return iso


def _resolve_areas(table: RawTable, issues: _Issues, resolver: AreaResolver) -> pd.Series:
    df = table.frame
    raw = df["kode_kemdagri"]
    uniques = pd.unique(raw[raw.notna()])
    resolved = {value: resolver.resolve(value) for value in uniques}
    codes = raw.map({v: r[0] for v, r in resolved.items()})
    reasons = raw.map({v: r[1] for v, r in resolved.items()})
    none = resolver.resolve(None)
    codes[raw.isna()], reasons[raw.isna()] = none[0], none[1]
    mismatch = pd.Series(False, index=df.index)
    if "kelurahan" in df.columns:
        check = codes.notna() & reasons.isna() & df["kelurahan"].notna()
        pairs = pd.MultiIndex.from_arrays([codes[check], df["kelurahan"][check].astype(str)])
        distinct = pairs.unique()
        ok = pd.Series(
            [not name or resolver.name_matches(code, name) for code, name in distinct], index=distinct
        )
        mismatch[check] = ~ok.reindex(pairs).to_numpy(dtype=bool)
    problem = reasons.isin(["luar_kota", "tidak_dikenal"]) | mismatch
    for idx in df.index[problem]:  # only the rows with something to report, in row order
        raw, code, reason = df.at[idx, "kode_kemdagri"], codes[idx], reasons[idx]
        if reason == "luar_kota":
            issues.add(
                GALAT, idx, "kode_kemdagri", raw, "Kode Kemdagri di luar Kota Samarinda (harus diawali 6472)."
            )
        elif reason == "tidak_dikenal":
            issues.add(
                GALAT,
                idx,
                "kode_kemdagri",
                raw,
                "Kode Kemdagri tidak dikenal sebagai kelurahan di Kota Samarinda.",
            )
        else:
            name = df.at[idx, "kelurahan"]
            issues.add(
                PERINGATAN,
                idx,
                "kelurahan",
                name,
                f"Nama kelurahan tidak cocok dengan kode {code} ({resolver.names[code]}); kode yang dipakai.",
            )
    return pd.Series(codes, index=df.index, dtype=object)


def _status_and_reason(table: RawTable, issues: _Issues) -> tuple[pd.Series, pd.Series]:
    df = table.frame
    raw_status = df["status"] if "status" in df else pd.Series(None, index=df.index, dtype=object)
    raw_reason = df["alasan"] if "alasan" in df else pd.Series(None, index=df.index, dtype=object)
    status = _per_value(raw_status, lambda v: STATUS_SYNONYMS.get(normalise_header(v), "aktif"))
    reason = _per_value(raw_reason, lambda v: REASON_SYNONYMS.get(normalise_header(v)) if v else None)
    leaving = status == "keluar"
    for idx in df.index[leaving & raw_reason.isna()]:
        issues.add(
            PERINGATAN,
            idx,
            "alasan",
            None,
            "Status Keluar tanpa Alasan Keluar; dicatat sebagai 'alasan tidak diketahui'.",
        )
    for idx in df.index[~leaving & raw_reason.notna()]:
        issues.add(
            PERINGATAN,
            idx,
            "alasan",
            raw_reason[idx],
            "Alasan Keluar diisi tetapi Status bukan Keluar; alasan diabaikan.",
        )
    reason = reason.where(leaving, None).where(~leaving | reason.notna(), "tidak_diketahui")
    return status, reason


def _clean_rows(
    table: RawTable, codes: pd.Series, status: pd.Series, reason: pd.Series, secret: bytes
) -> pd.DataFrame:
    df = table.frame
    opt = lambda key: df[key] if key in df else pd.Series(None, index=df.index, dtype=object)  # noqa: E731
    nik = df["nik"]  # Arrow strings: slicing and hashing stay vectorised
    return pd.DataFrame(
        {
            "person_key": privacy.person_keys(nik, secret),
            "nik_masked": (nik.str[:6] + "******" + nik.str[-4:]).astype(object),  # privacy.mask_nik
            "nama": df["nama"],
            "jenis_kelamin": _per_value(
                opt("jenis_kelamin"), lambda v: SEX.get(str(v).lower()) if v else None
            ),
            "tanggal_lahir": _parse_dates(opt("tanggal_lahir")).dt.date,
            "alamat": opt("alamat"),
            "id_individu": opt("id_individu"),
            "id_keluarga": df["id_keluarga"],
            "kode_kelurahan": codes,
            "desil": pd.to_numeric(opt("desil"), errors="coerce")
            .where(lambda s: s.between(1, 4))
            .astype("Int16"),
            "status": status,
            "alasan": reason,
        }
    )


def prepare(
    data: bytes, file_name: str, as_of: date, resolver: AreaResolver, secret: bytes
) -> PreparedSnapshot:
    """Read and validate one snapshot file; the result says what is wrong or holds clean rows."""
    sha = hashlib.sha256(data).hexdigest()
    name = Path(file_name).name
    columns = {key: {normalise_header(h), *aliases} for key, (h, aliases) in COLUMNS.items()}
    try:
        table = read_table(
            data, name, columns, anchor="nik", anchor_label="NIK", numeric_watch=("nik",), strings=True
        )
    except FileRefused as exc:
        issues = pd.DataFrame(
            [
                {
                    "tingkat": GALAT,
                    "berkas": name,
                    "baris": None,
                    "kolom": None,
                    "nilai": None,
                    "pesan": str(exc),
                }
            ],
            columns=ISSUE_COLUMNS,
        )
        return PreparedSnapshot(name, sha, as_of, pd.DataFrame(), issues, 0)
    issues = _Issues(table)
    _check_required(issues.table, issues)
    if issues.items:
        return PreparedSnapshot(name, sha, as_of, pd.DataFrame(), issues.frame(), len(table.frame))
    if table.frame.empty:
        issues.add(
            GALAT, None, None, None, "Berkas tidak berisi satu baris data pun di bawah baris judul kolom."
        )
        return PreparedSnapshot(name, sha, as_of, pd.DataFrame(), issues.frame(), 0)
    bad_nik = _check_cells(table, issues)
    _check_duplicates(table, issues, bad_nik)
    codes = _resolve_areas(table, issues, resolver)
    status, reason = _status_and_reason(table, issues)
    frame = issues.frame()
    if (frame["tingkat"] == GALAT).any():
        return PreparedSnapshot(name, sha, as_of, pd.DataFrame(), frame, len(table.frame))
    rows = _clean_rows(table, codes, status, reason, secret)
    return PreparedSnapshot(name, sha, as_of, rows, frame, len(table.frame))
