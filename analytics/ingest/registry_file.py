"""Reading and validating one P3KE registry snapshot file into clean, pseudonymised rows."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from analytics import i18n
from analytics.domain import REASON_SYNONYMS, STATUS_SYNONYMS
from analytics.ingest import formats, upload_guard
from analytics.ingest.issues import (
    GALAT,
    PERINGATAN,
    Checked,
    Issues,
    both,
    refused_file,
    unexpected_report,
)
from analytics.ingest.tabular import FileRefused, RawTable, fold_digits, normalise_header, read_table
from analytics.store import privacy
from analytics.store.areas import AreaResolver

P3KE = "p3ke_individu"  # the format a P3KE individu export is read with (data/formats/p3ke_individu.toml)
# Canonical key -> (header as P3KE writes it, other spellings seen in exports): from the format file.
COLUMNS: dict[str, tuple[str, tuple[str, ...]]] = {
    key: (spellings[0], tuple(normalise_header(h) for h in spellings[1:]))
    for key, spellings in formats.get(P3KE).fields.items()
}
REQUIRED = formats.get(P3KE).required
DESIL = {"1": 1, "2": 2, "3": 3, "4": 4}  # anything else is warned about and left empty
DESIL_DTSEN = {str(d): d for d in range(1, 11)}  # the national ranking: anything else refuses the file
SEX = {"laki-laki": "L", "laki laki": "L", "l": "L", "perempuan": "P", "p": "P"}


# A DTSEN file's last step, which reads the store (analytics.ingest.dtsen_file.finish without it).
DtsenFinish = Callable[..., tuple[pd.DataFrame, pd.DataFrame]]


def header(key: str) -> str:
    """The column header as a P3KE file names it."""
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
    log_texts: dict[str, str] = field(default_factory=dict, repr=False)  # shown message -> Indonesian
    sumber: str = P3KE  # the format the file was read with (data/formats/<name>.toml)
    # DTSEN: families and people per kelurahan x desil over the whole file (analytics.ingest.dtsen_file)
    desil_area: pd.DataFrame | None = field(default=None, repr=False)


class _Issues(Issues):
    def __init__(self, table: RawTable, fmt: formats.Format | None = None) -> None:
        super().__init__(table, (fmt or formats.get(P3KE)).header)


def _cell_schema(dtsen: bool = False) -> pa.DataFrameSchema:
    """Per-cell rules; each check's name selects the user message in _MESSAGES. A DTSEN file's desil
    is the national ranking 1-10 (anything else refuses it) and its No KK is checked like NIK."""
    # Regexes run on Arrow strings: ~15x faster than Python's re over a 1M-row column.
    # [0-9], not \d: other scripts' digits would pass \d and reach the key as non-ASCII text.
    digits16 = pa.Check(lambda s: s.str.fullmatch(r"[0-9]{16}"), name="nik_16_digit", ignore_na=True)
    sci = pa.Check(
        lambda s: ~s.str.fullmatch(r"[0-9]+(?:[.,][0-9]+)?[eE]\+?[0-9]+"),
        name="nik_angka_excel",
        ignore_na=True,
    )
    desil = pa.Check(lambda s: s.isin(["1", "2", "3", "4"]), name="desil_1_4", ignore_na=True)
    if dtsen:
        desil = pa.Check(lambda s: s.isin(list(DESIL_DTSEN)), name="desil_1_10", ignore_na=True)
    kk16 = pa.Check(lambda s: s.str.fullmatch(r"[0-9]{16}"), name="kk_16_digit", ignore_na=True)
    kk_sci = pa.Check(
        lambda s: ~s.str.fullmatch(r"[0-9]+(?:[.,][0-9]+)?[eE]\+?[0-9]+"),
        name="kk_angka_excel",
        ignore_na=True,
    )
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
            **({"no_kk": col(kk_sci, kk16)} if dtsen else {}),
            "desil": col(desil),
            "jenis_kelamin": col(sex),
            "tanggal_lahir": col(birth),
            "tanggal_verifikasi": col(birth),
            "status": col(status),
            "alasan": col(reason),
        }
    )


# check name -> (level, text key of the message)
_MESSAGES: dict[str, tuple[str, str]] = {
    "nik_angka_excel": (GALAT, "berkas.nik_excel_number"),
    "nik_16_digit": (GALAT, "berkas.nik_16_digits"),
    "desil_1_4": (PERINGATAN, "impor.desil"),
    "desil_1_10": (GALAT, "a19.desil_1_10"),
    "kk_angka_excel": (GALAT, "a19.kk_excel_number"),
    "kk_16_digit": (GALAT, "a19.kk_16_digits"),
    "jenis_kelamin": (PERINGATAN, "impor.sex"),
    "tanggal": (PERINGATAN, "impor.date"),
    "status": (PERINGATAN, "impor.status"),
    "alasan": (PERINGATAN, "impor.reason"),
}


def _check_cells(table: RawTable, issues: _Issues, dtsen: bool = False) -> set[int]:
    """Run the cell rules; return the row indexes whose NIK is unusable."""
    df = table.frame
    bad_nik: set[int] = set()
    bad_kk: set[int] = set()
    for idx in sorted(table.numeric_cells.get("nik", set())):
        issues.say(GALAT, idx, "nik", df.at[idx, "nik"], _MESSAGES["nik_angka_excel"][1])
        bad_nik.add(idx)
    for idx in sorted(table.numeric_cells.get("no_kk", set()) if dtsen else ()):
        issues.say(GALAT, idx, "no_kk", df.at[idx, "no_kk"], _MESSAGES["kk_angka_excel"][1])
        bad_kk.add(idx)
    try:
        _cell_schema(dtsen).validate(df, lazy=True)
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
        if case.column == "no_kk":
            if idx in bad_kk:
                continue
            bad_kk.add(idx)
        level, message = _MESSAGES[case.check]
        # An unreadable birth date is still most of NIK digits 7-12: the row and column say where.
        value = None if case.column == "tanggal_lahir" else case.failure_case
        issues.say(level, idx, case.column, value, message)
    return bad_nik


def _check_required(
    table: RawTable,
    issues: _Issues,
    fmt: formats.Format,
    tried: tuple[formats.Format, ...] = (),
    seen: str = "",
    may_be_empty: tuple[str, ...] = (),
) -> None:
    """The format's required columns are there and filled (except may_be_empty); when the file's
    format was not recognised, tried names the formats tried and seen the header row's cells."""
    missing = [k for k in fmt.required if k not in table.frame.columns]
    if missing:
        names = ", ".join(f"'{fmt.header(k)}'" for k in missing)

        def message(lang: str) -> str:
            text = i18n.text(
                lang,
                "berkas.missing_columns",
                names=names,
                row=table.header_row,
                found=", ".join(table.headers.values()) or i18n.text(lang, "berkas.none_found"),
            )
            if not tried:
                return text
            found = seen or i18n.text(lang, "berkas.none_found")
            return f"{text} {_tried_text(lang, tried, found)}"

        issues.add(GALAT, None, None, None, *both(message))
        return
    for key in fmt.required:
        if key in may_be_empty:
            continue
        for idx in table.frame.index[table.frame[key].isna()]:
            issues.say(GALAT, idx, key, None, "berkas.empty_cell", column=fmt.header(key))


def _check_duplicates(table: RawTable, issues: _Issues, bad_nik: set[int]) -> None:
    nik = table.frame["nik"]
    usable = nik[~nik.index.isin(list(bad_nik)) & nik.notna()]
    dup = usable[usable.duplicated(keep=False)]
    for value, group in dup.groupby(dup):
        rows = [table.rows[i] for i in group.index]
        for idx in group.index[1:]:
            issues.say(GALAT, idx, "nik", value, "impor.nik_duplicate", row=rows[0])  # masked by Issues


def _per_value(values: pd.Series, fn: Callable[[object], object]) -> pd.Series:
    """fn applied once per distinct value (an empty cell is None), spread back to every row."""
    codes, uniques = pd.factorize(values)  # an empty cell gets code -1: the last entry below
    results = np.empty(len(uniques) + 1, dtype=object)
    results[:] = [*(fn(v) for v in uniques), fn(None)]
    return pd.Series(results[codes], index=values.index, dtype=object)


def _parse_distinct(values: pd.Series) -> tuple[np.ndarray, pd.Series]:
    """Each row's index into the distinct texts (-1 = empty cell) and those texts parsed as
    pd.to_datetime(format="mixed") would, the ISO dates (nearly all) in one pass. A 5M-row file
    holds a few thousand distinct dates, so parsing each once saves ~2 s."""
    codes, uniques = pd.factorize(values)
    distinct = pd.Series(np.asarray(uniques, dtype=object))
    parsed = pd.to_datetime(distinct, errors="coerce", format="ISO8601")
    rest = parsed.isna() & distinct.notna()
    if rest.any():
        parsed[rest] = pd.to_datetime(distinct[rest], errors="coerce", format="mixed", dayfirst=False)
    return codes, parsed


def _parse_dates(values: pd.Series) -> pd.Series:
    """The cells parsed as dates (NaT when empty or unreadable)."""
    codes, parsed = _parse_distinct(values)
    every = np.append(parsed.to_numpy(dtype="datetime64[ns]"), np.datetime64("NaT", "ns"))
    return pd.Series(every[codes], index=values.index)


def _years(values: pd.Series) -> pd.Series:
    """The year of each cell's date (empty when the cell is empty or unreadable)."""
    codes, parsed = _parse_distinct(values)
    years = pd.DatetimeIndex(parsed.to_numpy(dtype="datetime64[ns]")).year.to_numpy(dtype="float64")
    every = np.append(years, np.nan)
    return pd.Series(every[codes], index=values.index).astype("Int16")


def _resolve_areas(table: RawTable, issues: _Issues, resolver: AreaResolver) -> pd.Series:
    df = table.frame
    raw = df["kode_kemdagri"]
    # Resolved once per distinct code (the last entry is for empty cells, code -1), then spread.
    code_of, uniques = pd.factorize(raw)
    resolved = [resolver.resolve(v) for v in uniques] + [resolver.resolve(None)]
    found = np.array([r[0] for r in resolved], dtype=object)
    codes = pd.Series(found[code_of], index=df.index, dtype=object)
    reasons = pd.Series(np.array([r[1] for r in resolved], dtype=object)[code_of], index=df.index)
    mismatch = np.zeros(len(df), dtype=bool)
    if "kelurahan" in df.columns:
        check = (codes.notna() & reasons.isna() & df["kelurahan"].notna()).to_numpy()
        name_of, names = pd.factorize(df["kelurahan"])
        pair_of, pairs = pd.factorize(code_of[check].astype(np.int64) * (len(names) + 1) + name_of[check])
        ok = np.array(
            [
                resolver.name_matches(found[pair // (len(names) + 1)], str(names[pair % (len(names) + 1)]))
                for pair in pairs
            ],
            dtype=bool,
        )
        mismatch[check] = ~ok[pair_of]
    problem = reasons.isin(["luar_kota", "tidak_dikenal"]) | mismatch
    for idx in df.index[problem]:  # only the rows with something to report, in row order
        raw, code, reason = df.at[idx, "kode_kemdagri"], codes[idx], reasons[idx]
        if reason == "luar_kota":
            issues.say(GALAT, idx, "kode_kemdagri", raw, "impor.outside_city")
        elif reason == "tidak_dikenal":
            issues.say(GALAT, idx, "kode_kemdagri", raw, "impor.unknown_code")
        else:
            name = df.at[idx, "kelurahan"]
            known = resolver.names[code]
            issues.say(PERINGATAN, idx, "kelurahan", name, "impor.name_mismatch", code=code, name=known)
    return pd.Series(codes, index=df.index, dtype=object)


def _status_and_reason(table: RawTable, issues: _Issues) -> tuple[pd.Series, pd.Series]:
    df = table.frame
    raw_status = df["status"] if "status" in df else pd.Series(None, index=df.index, dtype=object)
    raw_reason = df["alasan"] if "alasan" in df else pd.Series(None, index=df.index, dtype=object)
    status = _per_value(raw_status, lambda v: STATUS_SYNONYMS.get(normalise_header(v), "aktif"))
    reason = _per_value(raw_reason, lambda v: REASON_SYNONYMS.get(normalise_header(v)) if v else None)
    leaving = status == "keluar"
    for idx in df.index[leaving & raw_reason.isna()]:
        issues.say(PERINGATAN, idx, "alasan", None, "impor.left_without_reason")
    for idx in df.index[~leaving & raw_reason.notna()]:
        issues.say(PERINGATAN, idx, "alasan", raw_reason[idx], "impor.reason_not_leaving")
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
            "nik_masked": privacy.mask_niks(nik),
            "nama": df["nama"],
            "jenis_kelamin": _per_value(
                opt("jenis_kelamin"), lambda v: SEX.get(str(v).lower()) if v else None
            ),
            # The year only: the full date is NIK digits 7-12 (see privacy.mask_nik).
            "tahun_lahir": _years(opt("tanggal_lahir")),
            "alamat": opt("alamat"),
            "id_individu": opt("id_individu"),
            "id_keluarga": df["id_keluarga"],
            "kode_kelurahan": codes,
            "desil": _per_value(opt("desil"), DESIL.get).astype("Int16"),
            "status": status,
            "alasan": reason,
        }
    )


def choose_format(
    data: bytes, file_name: str, given: str | None = None
) -> tuple[formats.Format, tuple[formats.Format, ...]]:
    """(format, tried): the format given, or the one detected from the header. When no registry
    format is recognised: the one closest to the header (P3KE when nothing matches), and `tried`
    holds the formats tried (for the refusal; empty when the format is known)."""
    if given:
        return formats.get(given), ()
    found = formats.detect(data, file_name, kind="registri")
    if found is not None:
        return found, ()
    candidates = sorted(formats.of_kind("registri").values(), key=lambda f: -f.priority)
    best, score = formats.get(P3KE), (0, 0)
    for row in formats.head_rows(data, file_name):
        for fmt in candidates:
            key = (len(set(fmt.detect) & fmt.matched(row)), fmt.priority)
            if key[0] and key > score:
                best, score = fmt, key
    return best, tuple(candidates)


def _tried_text(lang: str, tried: tuple[formats.Format, ...], found: str) -> str:
    """'Format not recognised; formats tried: <label> (<the headers it needs>); ... Headers found: ...'
    (a format's label in the language when the locale has one)."""
    labels = i18n.texts(lang)
    names = "; ".join(
        f"{labels.get(f'a19.format_{f.name}', f.label)} ({', '.join(f.header(k) for k in f.detect)})"
        for f in tried
    )
    return i18n.text(lang, "a19.formats_tried_found", tried=names, found=found)


def _headers_seen(data: bytes, file_name: str, row: int | None = None) -> str:
    """The cells of the header row (1-based; None: the first row that looks like column headers), for
    a refusal. Cells without letters (numbers: maybe a NIK) are never shown."""
    rows = formats.head_rows(data, file_name)
    if row is not None:
        rows = rows[row - 1 : row]
    for cells in rows:
        texts = [str(c).strip()[:40] for c in cells if isinstance(c, str) and any(ch.isalpha() for ch in c)]
        if len(texts) >= 2 or row is not None:
            return ", ".join(texts)
    return ""


def _no_format(
    exc: FileRefused, data: bytes, name: str, tried: tuple[formats.Format, ...]
) -> tuple[str, str]:
    """A header-less refusal with the formats tried and the headers found: (shown, Indonesian)."""
    seen = _headers_seen(data, name)

    def build(lang: str, base: str) -> str:
        found = seen or i18n.text(lang, "berkas.none_found")
        return f"{base} {_tried_text(lang, tried, found)}"

    return build(i18n.language(), str(exc)), build(i18n.DEFAULT, exc.log_text)


def prepare(
    data: bytes,
    file_name: str,
    as_of: date,
    resolver: AreaResolver,
    secret: bytes,
    fmt: str | None = None,
    dtsen: DtsenFinish | None = None,
) -> PreparedSnapshot:
    """Read and validate one snapshot file; the result says what is wrong or holds clean rows.

    fmt names the source format (data/formats/<name>.toml); None detects it from the header. A
    DTSEN file is finished by dtsen(table, issues, format, area codes, secret, as_of) -> (rows,
    desil per area), which reads the store (analytics.ingest.dtsen_file.finish). An unexpected
    error while checking refuses the file too, naming only the error's type.
    """
    sha = hashlib.sha256(data).hexdigest()
    name = Path(file_name).name
    try:
        return _prepare(data, name, sha, as_of, resolver, secret, fmt, dtsen)
    except Exception as exc:  # noqa: BLE001 - any failure is a refusal, never a traceback
        report, logged = unexpected_report(name, exc)
        return PreparedSnapshot(name, sha, as_of, pd.DataFrame(), report, 0, logged)


def _prepare(
    data: bytes,
    name: str,
    sha: str,
    as_of: date,
    resolver: AreaResolver,
    secret: bytes,
    fmt_name: str | None,
    dtsen_finish: DtsenFinish | None,
) -> PreparedSnapshot:
    fmt, tried = choose_format(data, name, fmt_name)
    dtsen = fmt.sumber == "dtsen"
    empty = lambda report, n, logged: PreparedSnapshot(  # noqa: E731
        name, sha, as_of, pd.DataFrame(), report, n, logged, sumber=fmt.name
    )
    try:
        table = read_table(
            data,
            name,
            fmt.columns(),
            anchor=fmt.anchor,
            anchor_label=fmt.header(fmt.anchor),
            numeric_watch=("nik", "no_kk") if dtsen else ("nik",),
            strings=True,
        )
    except FileRefused as exc:
        shown, logged = str(exc), exc.log_text
        if tried and upload_guard.problem(data, name) is None and formats.head_rows(data, name):
            shown, logged = _no_format(exc, data, name, tried)  # readable, but no header row of a format
        return empty(refused_file(name, shown), 0, {shown: logged})
    for key in ("nik", "no_kk") if dtsen else ("nik",):
        if key in table.frame:
            table.frame[key] = fold_digits(table.frame[key])
    issues = _Issues(table, fmt)
    logged = issues.log_texts
    # A DTSEN row without its area code takes the person's last known kelurahan (dtsen_file).
    seen = _headers_seen(data, name, table.header_row) if tried else ""
    _check_required(issues.table, issues, fmt, tried, seen, may_be_empty=("kode_kemdagri",) if dtsen else ())
    if issues.items:
        return empty(issues.frame(), len(table.frame), logged)
    if table.frame.empty:
        issues.say(GALAT, None, None, None, "berkas.no_rows")
        return empty(issues.frame(), 0, logged)
    bad_nik = _check_cells(table, issues, dtsen)
    _check_duplicates(table, issues, bad_nik)
    if "kode_kemdagri" in table.frame:
        codes = _resolve_areas(table, issues, resolver)
    else:
        codes = pd.Series(None, index=table.frame.index, dtype=object)
    if dtsen:
        if (issues.frame()["tingkat"] == GALAT).any():
            return empty(issues.frame(), len(table.frame), logged)
        if dtsen_finish is None:
            raise ValueError("a DTSEN file is prepared against the store")
        rows, desil_area = dtsen_finish(table, issues, fmt, codes, secret, as_of)
        frame = issues.frame()
        if (frame["tingkat"] == GALAT).any():
            return empty(frame, len(table.frame), logged)
        return PreparedSnapshot(
            name, sha, as_of, rows, frame, len(table.frame), logged, sumber=fmt.name, desil_area=desil_area
        )
    status, reason = _status_and_reason(table, issues)
    frame = issues.frame()
    if (frame["tingkat"] == GALAT).any():
        return empty(frame, len(table.frame), logged)
    rows = _clean_rows(table, codes, status, reason, secret)
    return PreparedSnapshot(name, sha, as_of, rows, frame, len(table.frame), logged, sumber=fmt.name)
