"""Reading and validating one OPD intervention file into clean, pseudonymised records."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from analytics import formatting as fmt
from analytics import i18n
from analytics.ingest.issues import GALAT, PERINGATAN, Checked, Issues, both, refused_file, unexpected_report
from analytics.ingest.tabular import FileRefused, RawTable, fold_digits, normalise_header, read_table
from analytics.store import privacy

# Canonical key -> (header as the template writes it, other spellings seen in OPD files).
COLUMNS: dict[str, tuple[str, tuple[str, ...]]] = {
    "nik": ("NIK", ("no nik", "nomor nik", "nik penerima")),
    "id_keluarga": ("ID Keluarga P3KE", ("id keluarga", "idkeluarga p3ke", "id keluarga p3ke")),
    "nama": ("Nama", ("nama penerima", "nama lengkap")),
    "kode_program": ("Kode Program", ("program", "kode kegiatan")),
    "tanggal": ("Tanggal", ("tanggal penyaluran", "tanggal salur", "tgl", "tanggal bantuan")),
    "nilai": ("Nilai (Rp)", ("nilai", "nilai rp", "jumlah", "jumlah (rp)", "nominal", "nilai bantuan")),
    "status": ("Status", ("status penyaluran", "status bantuan")),
    "catatan": ("Keterangan", ("catatan", "ket")),
}
REQUIRED = ("kode_program", "tanggal", "status")
STATUS_SYNONYMS: dict[str, str] = {
    "rencana": "rencana",
    "direncanakan": "rencana",
    "ditetapkan": "rencana",
    "usulan": "rencana",
    "belum tersalur": "rencana",
    "planned": "rencana",
    "tersalur": "tersalur",
    "sudah tersalur": "tersalur",
    "disalurkan": "tersalur",
    "diterima": "tersalur",
    "selesai": "tersalur",
    "realisasi": "tersalur",
    "terealisasi": "tersalur",
    "delivered": "tersalur",
}
RECORD_COLUMNS = [
    "baris",
    "kode_program",
    "tanggal",
    "status",
    "nilai",
    "person_key",
    "nik_masked",
    "id_keluarga_berkas",
    "nama_berkas",
    "catatan",
]


def header(key: str) -> str:
    """The column header as the template names it."""
    return COLUMNS[key][0]


@dataclass
class PreparedInterventions(Checked):
    """A validated OPD file ready to import, or the reasons it cannot be."""

    file_name: str
    sha256: str
    kode_opd: str
    rows: pd.DataFrame
    issues: pd.DataFrame
    row_count: int
    log_texts: dict[str, str] = field(default_factory=dict, repr=False)  # shown message -> Indonesian

    @property
    def period(self) -> tuple[date, date]:
        """The first and last record date in the file."""
        return min(self.rows["tanggal"]), max(self.rows["tanggal"])


MAX_RUPIAH = 1e15  # above any programme's amount, and far inside int64


def parse_date(text: object) -> date | None:
    """2024-03-05, 05/03/2024, 5-3-2024 or 05.03.2024 (day first) as a date; None when unreadable."""
    s = str(text or "").strip()
    try:
        if m := re.match(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$", s):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if m := re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", s):
            return date(int(m[3]), int(m[2]), int(m[1]))
    except ValueError:
        return None
    return None


def parse_rupiah(text: object) -> int | None:
    """'Rp 300.000', '300000', '300,000' or '1.500.000,00' as whole rupiah; None when not a number."""
    s = re.sub(r"(?i)^rp\.?", "", str(text or "").strip()).replace(" ", "")
    if re.fullmatch(r"\d{1,3}(\.\d{3})+(,\d+)?", s):
        s = s.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", s):
        s = s.replace(",", "")
    elif re.fullmatch(r"\d+,\d{1,2}", s):
        s = s.replace(",", ".")
    elif not re.fullmatch(r"\d+(\.\d+)?", s):
        return None
    value = float(s)
    return round(value) if value < MAX_RUPIAH else None  # 10,000 digits would overflow int64


def _status(value: object) -> str | None:
    return STATUS_SYNONYMS.get(normalise_header(value))


def _cell_schema() -> pa.DataFrameSchema:
    """Per-cell format rules; each check's name selects the user message (a text key) in _MESSAGES."""
    # [0-9], not \d: other scripts' digits would pass \d and reach the key as non-ASCII text.
    digits16 = pa.Check(lambda s: s.str.fullmatch(r"[0-9]{16}"), name="nik_16_digit", ignore_na=True)
    sci = pa.Check(
        lambda s: ~s.str.fullmatch(r"[0-9]+(?:[.,][0-9]+)?[eE]\+?[0-9]+"),
        name="nik_angka_excel",
        ignore_na=True,
    )
    when = pa.Check(lambda s: s.map(parse_date).notna(), name="tanggal", ignore_na=True)
    status = pa.Check(lambda s: s.map(_status).notna(), name="status", ignore_na=True)
    amount = pa.Check(lambda s: s.map(parse_rupiah).notna(), name="nilai", ignore_na=True)
    col = lambda *checks: pa.Column(object, checks=list(checks), nullable=True, required=False)  # noqa: E731
    return pa.DataFrameSchema(
        {"nik": col(sci, digits16), "tanggal": col(when), "status": col(status), "nilai": col(amount)}
    )


_MESSAGES: dict[str, str] = {
    "nik_angka_excel": "berkas.nik_excel_number",
    "nik_16_digit": "berkas.nik_16_digits",
    "tanggal": "impor_intervensi.date",
    "status": "impor_intervensi.status",
    "nilai": "impor_intervensi.amount",
}


def _check_cells(table: RawTable, issues: Issues) -> set[int]:
    """Run the format rules (all of them are refusals); return the rows that failed any."""
    df = table.frame
    bad: set[int] = set()
    for idx in sorted(table.numeric_cells.get("nik", set())):
        issues.say(GALAT, idx, "nik", df.at[idx, "nik"], _MESSAGES["nik_angka_excel"])
        bad.add(idx)
    try:
        _cell_schema().validate(df, lazy=True)
        return bad
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    seen: set[tuple[int, str]] = set()
    for case in cases.itertuples(index=False):
        if pd.isna(case.index) or (int(case.index), case.column) in seen:
            continue
        idx = int(case.index)
        if case.column == "nik" and idx in table.numeric_cells.get("nik", set()):
            continue  # one message per cell: the Excel-number one explains the length too
        seen.add((idx, case.column))
        bad.add(idx)
        issues.say(GALAT, idx, case.column, case.failure_case, _MESSAGES[case.check])
    return bad


def _check_required(table: RawTable, issues: Issues) -> None:
    df = table.frame
    missing = [k for k in REQUIRED if k not in df.columns]
    if "nik" not in df.columns and "id_keluarga" not in df.columns:
        missing.append("nik")
    if missing:

        def message(lang: str) -> str:
            names = ", ".join(f"'{header(k)}'" for k in missing)
            if "nik" in missing:
                names = names.replace("'NIK'", i18n.text(lang, "impor_intervensi.nik_or_family"))
            found = ", ".join(table.headers.values()) or i18n.text(lang, "berkas.none_found")
            return i18n.text(lang, "berkas.missing_columns", names=names, row=table.header_row, found=found)

        issues.add(GALAT, None, None, None, *both(message))
        return
    for key in REQUIRED:
        for idx in df.index[df[key].isna()]:
            issues.say(GALAT, idx, key, None, "berkas.empty_cell", column=header(key))


def _check_programs(
    table: RawTable, issues: Issues, kode_opd: str, programs: pd.DataFrame, opd_names: dict[str, str]
) -> pd.Series:
    """Each row's programme code, upper-cased; unknown codes and other OPDs' programmes are refusals."""
    codes = table.frame["kode_program"].map(lambda v: str(v).strip().upper() if v else None)
    own = sorted(programs.index[programs["kode_opd"] == kode_opd])
    for idx, code in codes.items():
        if code is None:
            continue
        if code not in programs.index:
            unknown = lambda lang: i18n.text(  # noqa: E731
                lang,
                "impor_intervensi.unknown_program",
                opd=opd_names.get(kode_opd, kode_opd),
                codes=", ".join(own) or i18n.text(lang, "impor_intervensi.no_programs"),
            )
            issues.add(GALAT, idx, "kode_program", table.frame.at[idx, "kode_program"], *both(unknown))
        elif programs.at[code, "kode_opd"] != kode_opd:
            owner = programs.at[code, "kode_opd"]
            issues.say(
                GALAT,
                idx,
                "kode_program",
                code,
                "impor_intervensi.other_opd",
                code=code,
                owner=opd_names.get(owner, owner),
                opd=opd_names.get(kode_opd, kode_opd),
            )
    return codes


def _amount_differs(code: str, amount: int, unit: str) -> tuple[str, str]:
    """The warning for a file amount that differs from the programme's, shown and logged."""
    return both(
        lambda lang: i18n.text(
            lang,
            "impor_intervensi.amount_differs",
            code=code,
            amount=fmt.rupiah(amount),
            unit=i18n.text(lang, f"meeting.per_unit.{unit}"),
        )
    )


def _check_rows(
    table: RawTable, issues: Issues, codes: pd.Series, programs: pd.DataFrame, today: date, bad: set[int]
) -> None:
    """Rules that need the programme: who must be named, dates in the programme, amounts, duplicates."""
    df = table.frame
    nik = df["nik"] if "nik" in df else pd.Series(None, index=df.index, dtype=object)
    fam = df["id_keluarga"] if "id_keluarga" in df else pd.Series(None, index=df.index, dtype=object)
    raw_amount = df["nilai"] if "nilai" in df else pd.Series(None, index=df.index, dtype=object)
    prog = programs.reindex(codes.fillna("")).set_index(df.index)
    known = prog["satuan"].notna()
    when = df["tanggal"].map(parse_date)
    state = df["status"].map(_status)
    amount = raw_amount.map(lambda v: parse_rupiah(v) if v else None)
    for idx in df.index[known & (prog["satuan"] == "orang") & nik.isna()]:
        issues.say(GALAT, idx, "nik", None, "impor_intervensi.nik_required", code=codes[idx])
    for idx in df.index[known & (prog["satuan"] == "keluarga") & nik.isna() & fam.isna()]:
        issues.say(GALAT, idx, "id_keluarga", None, "impor_intervensi.family_or_nik")
    future = when.notna() & (state == "tersalur") & (when.map(lambda d: d is not None and d > today))
    for idx in df.index[known & future]:
        issues.say(GALAT, idx, "tanggal", df.at[idx, "tanggal"], "impor_intervensi.future")
    outside = known & (state == "tersalur") & when.notna() & prog["mulai"].notna() & ~future
    in_period = [
        bool(w and isinstance(m, date) and m <= w <= e)
        for w, m, e in zip(when, prog["mulai"], prog["selesai"], strict=True)
    ]
    outside &= ~pd.Series(in_period, index=df.index)
    for idx in df.index[outside]:
        issues.say(
            PERINGATAN,
            idx,
            "tanggal",
            df.at[idx, "tanggal"],
            "impor_intervensi.outside_period",
            code=codes[idx],
            start=fmt.tanggal(prog.at[idx, "mulai"]),
            end=fmt.tanggal(prog.at[idx, "selesai"]),
        )
    differs = known & amount.notna() & (prog["nilai"] > 0) & (amount != prog["nilai"])
    for idx in df.index[differs]:
        message = _amount_differs(codes[idx], prog.at[idx, "nilai"], prog.at[idx, "satuan"])
        issues.add(PERINGATAN, idx, "nilai", df.at[idx, "nilai"], *message)
    who = nik.where(nik.notna(), "KEL:" + fam.fillna(""))
    key = pd.DataFrame({"who": who, "prog": codes, "tanggal": when, "st": state})
    usable = key[~key.index.isin(list(bad)) & key.notna().all(axis=1) & (who != "KEL:")]
    dup = usable[usable.duplicated(keep=False)]
    for _, group in dup.groupby(list(dup.columns)):
        first = table.rows[group.index[0]]
        for idx in group.index[1:]:
            column = "nik" if nik[idx] else "id_keluarga"
            value = nik[idx] if nik[idx] else fam[idx]  # a NIK is masked by Issues
            issues.say(GALAT, idx, column, value, "impor_intervensi.duplicate_row", row=first)


def _clean_rows(table: RawTable, codes: pd.Series, programs: pd.DataFrame, secret: bytes) -> pd.DataFrame:
    df = table.frame
    opt = lambda key: df[key] if key in df else pd.Series(None, index=df.index, dtype=object)  # noqa: E731
    nik = opt("nik")
    has_nik = nik.notna()
    keys = pd.Series(None, index=df.index, dtype=object)
    keys[has_nik] = privacy.person_keys(nik[has_nik].astype(str), secret)
    default = codes.map(programs["nilai"])
    amount = opt("nilai").map(lambda v: parse_rupiah(v) if v else None)
    return pd.DataFrame(
        {
            "baris": pd.Series(table.rows, index=df.index, dtype="int64"),
            "kode_program": codes,
            "tanggal": df["tanggal"].map(parse_date),
            "status": df["status"].map(_status),
            "nilai": amount.where(amount.notna(), default).astype("int64"),
            "person_key": keys,
            "nik_masked": nik.map(lambda v: privacy.mask_nik(v) if v else None),
            "id_keluarga_berkas": opt("id_keluarga"),
            "nama_berkas": opt("nama"),
            "catatan": opt("catatan"),
        },
        columns=RECORD_COLUMNS,
    ).reset_index(drop=True)


def prepare(
    data: bytes,
    file_name: str,
    kode_opd: str,
    programs: pd.DataFrame,
    opd_names: dict[str, str],
    secret: bytes,
    today: date | None = None,
) -> PreparedInterventions:
    """Read and validate one OPD file; programs is the catalog indexed by kode_program.

    An unexpected error while checking refuses the file too, naming only the error's type.
    """
    sha = hashlib.sha256(data).hexdigest()
    name = Path(file_name).name
    try:
        return _prepare(data, name, sha, kode_opd, programs, opd_names, secret, today)
    except Exception as exc:  # noqa: BLE001 - any failure is a refusal, never a traceback
        report, logged = unexpected_report(name, exc)
        return PreparedInterventions(
            name, sha, kode_opd, pd.DataFrame(columns=RECORD_COLUMNS), report, 0, logged
        )


def _prepare(
    data: bytes,
    name: str,
    sha: str,
    kode_opd: str,
    programs: pd.DataFrame,
    opd_names: dict[str, str],
    secret: bytes,
    today: date | None,
) -> PreparedInterventions:
    empty = pd.DataFrame(columns=RECORD_COLUMNS)
    columns = {key: {normalise_header(h), *aliases} for key, (h, aliases) in COLUMNS.items()}
    try:
        table = read_table(
            data, name, columns, anchor="kode_program", anchor_label="Kode Program", numeric_watch=("nik",)
        )
    except FileRefused as exc:
        report = refused_file(name, str(exc))
        return PreparedInterventions(name, sha, kode_opd, empty, report, 0, {str(exc): exc.log_text})
    if "nik" in table.frame:
        table.frame["nik"] = fold_digits(table.frame["nik"])
    issues = Issues(table, header)
    logged = issues.log_texts
    _check_required(table, issues)
    if not issues.items and table.frame.empty:
        issues.say(GALAT, None, None, None, "berkas.no_rows")
    if issues.items:
        return PreparedInterventions(name, sha, kode_opd, empty, issues.frame(), len(table.frame), logged)
    bad = _check_cells(table, issues)
    codes = _check_programs(table, issues, kode_opd, programs, opd_names)
    _check_rows(table, issues, codes, programs, today or date.today(), bad)
    frame = issues.frame()
    if (frame["tingkat"] == GALAT).any():
        return PreparedInterventions(name, sha, kode_opd, empty, frame, len(table.frame), logged)
    rows = _clean_rows(table, codes, programs, secret)
    return PreparedInterventions(name, sha, kode_opd, rows, frame, len(table.frame), logged)
