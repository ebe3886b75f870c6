"""Reading and validating one verification (verval) sheet into clean rows, and the checks one result
entered on the family profile shares with it.

The columns are those of data/formats/verval.toml, plus one Ya/Tidak column per graduation checklist
dimension (data/graduasi.csv, headed by its `dimensi` name). Every problem names file, row and column;
one problem refuses the whole file. A NIK is keyed with the store's secret here and never kept.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from analytics import config, i18n
from analytics import formatting as fmt
from analytics.domain import VERVAL_BASES, VERVAL_RESULTS, VERVAL_SYNONYMS, normalise_header
from analytics.ingest import formats
from analytics.ingest.intervention_file import parse_date
from analytics.ingest.issues import GALAT, Checked, Issues, refused_file, unexpected_report
from analytics.ingest.tabular import FileRefused, RawTable, fold_digits, read_table
from analytics.store import privacy

FORMAT_NAME = "verval"
CHECK_PREFIX = "cek_"  # a checklist column's key: cek_<kode>
ENTRY_KEYS = ("hasil", "tanggal", "dasar", "nomor_dasar", "tanggal_dasar", "petugas")
ROW_COLUMNS = [
    "baris",
    "id_keluarga",
    "person_key",
    "kode_kelurahan",
    "hasil",
    "tanggal",
    "dasar",
    "nomor_dasar",
    "tanggal_dasar",
    "petugas",
    "checklist",
    "checklist_lengkap",
    "sumber",
]
# How a sheet may write its basis: berita acara of the musyawarah kelurahan, or a signed SPTJM.
BASIS_SYNONYMS: dict[str, str] = {
    "ba_muskel": "ba_muskel",
    "ba muskel": "ba_muskel",
    "ba": "ba_muskel",
    "berita acara": "ba_muskel",
    "berita acara muskel": "ba_muskel",
    "berita acara musyawarah kelurahan": "ba_muskel",
    "muskel": "ba_muskel",
    "musyawarah kelurahan": "ba_muskel",
    "sptjm": "sptjm",
}
YES = {"ya", "y", "yes", "1", "true", "benar", "v", "✓", "memenuhi"}
NO = {"tidak", "t", "no", "0", "false", "salah", "x", "belum", "tidak memenuhi"}


@functools.cache
def checklist() -> tuple[tuple[str, str], ...]:
    """The graduation checklist as (kode, dimensi) pairs, from data/graduasi.csv."""
    with open(config.ROOT / "data" / "graduasi.csv", encoding="utf-8") as fh:
        return tuple((row["kode"], row["dimensi"]) for row in csv.DictReader(fh))


def spec() -> formats.Format:
    """The verval sheet's format (data/formats/verval.toml)."""
    return formats.get(FORMAT_NAME)


def header(key: str) -> str:
    """A column's header as the template writes it."""
    if key.startswith(CHECK_PREFIX):
        return dict(checklist())[key[len(CHECK_PREFIX) :]]
    return spec().header(key)


def columns() -> dict[str, set[str]]:
    """Every column the reader knows, by key: the format's fields and the checklist dimensions."""
    out = spec().columns()
    for kode, dimensi in checklist():
        out[CHECK_PREFIX + kode] = {normalise_header(dimensi), normalise_header(kode)}
    return out


def parse_result(value: object) -> str | None:
    """A result as written ('Graduasi', 'Lulus', 'Masih miskin ekstrem', ...) -> its code, or None."""
    text = normalise_header(value).replace("_", " ")
    if text.replace(" ", "_") in VERVAL_RESULTS:
        return text.replace(" ", "_")
    return VERVAL_SYNONYMS.get(text) or _labels().get(text)


@functools.cache
def _labels() -> dict[str, str]:
    """Every result's label in every language, folded -> code (a sheet may carry the English labels)."""
    return {
        normalise_header(i18n.text(lang, f"verval.{code}")): code
        for lang in i18n.LANGUAGES
        for code in VERVAL_RESULTS
    }


def parse_basis(value: object) -> str | None:
    """'BA Muskel', 'Berita Acara', 'SPTJM' -> 'ba_muskel' / 'sptjm'; None when unclear."""
    text = normalise_header(value).replace(".", "").replace("-", " ")
    return BASIS_SYNONYMS.get(text) or BASIS_SYNONYMS.get(text.replace("_", " "))


def basis_from_number(number: object) -> str | None:
    """The basis a document number implies ('123/SPTJM/2025' -> sptjm, 'BA/05/...' -> ba_muskel)."""
    text = normalise_header(number)
    sptjm = "sptjm" in text
    ba = bool(re.search(r"(?<![a-z])ba(?![a-z])|berita acara|muskel", text))
    if sptjm != ba:
        return "sptjm" if sptjm else "ba_muskel"
    return None


def parse_yes_no(value: object) -> bool | None:
    """Ya/Tidak (and a few other spellings) as True/False; None when empty or unreadable."""
    text = normalise_header(value)
    return True if text in YES else False if text in NO else None


@dataclass
class PreparedVerval(Checked):
    """A validated verval sheet ready to import, or the reasons it cannot be."""

    file_name: str
    sha256: str
    rows: pd.DataFrame
    issues: pd.DataFrame
    row_count: int
    log_texts: dict[str, str] = field(default_factory=dict, repr=False)  # shown message -> Indonesian


@dataclass
class Context:
    """What the checks need from the store: family -> kelurahan, and which families a keyed NIK is in."""

    families: dict[str, str]
    members: Callable[[list[str]], dict[str, set[str]]]
    secret: bytes
    today: date


Problem = tuple[str | None, object, str, dict]  # (column key, value, text key, format args)


def check_entry(values: dict[str, object], ctx: Context, member_of: dict[str, set[str]]) -> tuple[dict, list]:
    """Check one result (a sheet row's cells, or the profile form's fields) against the rules.

    values: id_keluarga, person_key (already keyed, or None), hasil, tanggal, dasar (None = infer from
    the number), nomor_dasar, tanggal_dasar, petugas, and cek_<kode> per checklist dimension.
    Returns (clean row without baris/sumber, problems); the row is meaningless when there are problems.
    """
    problems: list[Problem] = []
    blank = lambda v: v is None or (isinstance(v, str) and not v.strip()) or v is pd.NA  # noqa: E731
    for key in ("id_keluarga", "hasil", "tanggal", "nomor_dasar", "petugas"):
        if blank(values.get(key)):
            problems.append((key, None, "berkas.empty_cell", {"column": header(key)}))
    fam = None if blank(values.get("id_keluarga")) else str(values["id_keluarga"]).strip()
    kel = ctx.families.get(fam) if fam else None
    if fam and kel is None:
        problems.append(("id_keluarga", fam, "b19.unknown_family", {"id": fam}))
    key = values.get("person_key")
    if key and fam and kel is not None and fam not in member_of.get(key, set()):
        problems.append(("nik", values.get("nik_shown"), "b19.nik_other_family", {"id": fam}))
    hasil = None
    if not blank(values.get("hasil")):
        hasil = parse_result(values["hasil"])
        if hasil is None:
            known = ", ".join(i18n.t(f"verval.{c}") for c in VERVAL_RESULTS)
            problems.append(("hasil", values["hasil"], "b19.bad_result", {"known": known}))
    when = _date(values.get("tanggal"))
    if not blank(values.get("tanggal")):
        if when is None:
            problems.append(("tanggal", values["tanggal"], "b19.bad_date", {}))
        elif when > ctx.today:
            problems.append(("tanggal", values["tanggal"], "b19.future", {"today": fmt.tanggal(ctx.today)}))
    basis_date = _date(values.get("tanggal_dasar"))
    if not blank(values.get("tanggal_dasar")) and basis_date is None:
        problems.append(("tanggal_dasar", values["tanggal_dasar"], "b19.bad_date", {}))
    basis = None
    if not blank(values.get("dasar")):
        basis = values["dasar"] if values["dasar"] in VERVAL_BASES else parse_basis(values["dasar"])
        if basis is None:
            problems.append(("dasar", values["dasar"], "b19.bad_basis", {}))
    elif not blank(values.get("nomor_dasar")):
        basis = basis_from_number(values["nomor_dasar"])
        if basis is None:
            problems.append(("nomor_dasar", values["nomor_dasar"], "b19.basis_unclear", {}))
    marks: dict[str, bool] | None = None
    if hasil == "graduasi":
        marks = {}
        for kode, dimensi in checklist():
            raw = values.get(CHECK_PREFIX + kode)
            mark = raw if isinstance(raw, bool) else parse_yes_no(raw)
            if mark is None:
                problems.append((CHECK_PREFIX + kode, raw, "b19.checklist_cell", {"dimension": dimensi}))
            else:
                marks[kode] = mark
    row = {
        "id_keluarga": fam,
        "person_key": key or None,
        "kode_kelurahan": kel,
        "hasil": hasil,
        "tanggal": when,
        "dasar": basis,
        "nomor_dasar": None if blank(values.get("nomor_dasar")) else str(values["nomor_dasar"]).strip(),
        "tanggal_dasar": basis_date,
        "petugas": None if blank(values.get("petugas")) else str(values["petugas"]).strip(),
        "checklist": json.dumps(marks, sort_keys=True) if marks is not None else None,
        "checklist_lengkap": all(marks.values()) if marks is not None else None,
    }
    return row, problems


def _date(value: object) -> date | None:
    if isinstance(value, date):
        return value
    if value is None or value is pd.NA:
        return None
    return parse_date(value)


def _filled(rec: pd.Series, keys: list[str]) -> bool:
    return any(rec.get(k) is not None and not pd.isna(rec.get(k)) for k in keys)


def _validate(table: RawTable, issues: Issues, ctx: Context) -> list[dict]:
    df = table.frame
    entry = [k for k in (*ENTRY_KEYS, *(CHECK_PREFIX + k for k, _ in checklist())) if k in df.columns]
    filled = [idx for idx, rec in df.iterrows() if _filled(rec, entry)]
    if not filled:
        issues.say(GALAT, None, None, None, "b19.nothing_filled", column=header("hasil"))
        return []
    nik = df["nik"] if "nik" in df.columns else pd.Series(None, index=df.index, dtype=object)
    bad_nik: set[int] = set(table.numeric_cells.get("nik", set()))
    for idx in sorted(bad_nik):
        issues.say(GALAT, idx, "nik", nik[idx], "berkas.nik_excel_number")
    for idx in filled:
        value = nik[idx]
        if value is not None and not pd.isna(value) and idx not in bad_nik:
            if not re.fullmatch(r"[0-9]{16}", str(value)):
                issues.say(GALAT, idx, "nik", value, "berkas.nik_16_digits")
                bad_nik.add(idx)
    with_nik = [i for i in filled if i not in bad_nik and nik[i] is not None and not pd.isna(nik[i])]
    keys = dict(zip(with_nik, privacy.person_keys([str(nik[i]) for i in with_nik], ctx.secret), strict=True))
    member_of = ctx.members(sorted(set(keys.values()))) if keys else {}
    rows = []
    for idx in filled:
        rec = df.loc[idx]
        values = {k: (None if pd.isna(rec.get(k)) else rec.get(k)) for k in df.columns}
        values["person_key"] = keys.get(idx)
        values["nik_shown"] = nik[idx]
        row, problems = check_entry(values, ctx, member_of)
        for key, value, text_key, args in problems:
            issues.say(GALAT, idx, key, value, text_key, **args)
        rows.append({"baris": table.rows[idx], **row, "sumber": "berkas"})
    return rows


def read(data: bytes, file_name: str, ctx: Context) -> PreparedVerval:
    """Read and validate a verval sheet. An unexpected error refuses the file, naming only its type."""
    sha = hashlib.sha256(data).hexdigest()
    name = Path(file_name).name
    try:
        return _read(data, name, sha, ctx)
    except Exception as exc:  # noqa: BLE001 - any failure is a refusal, never a traceback
        report, logged = unexpected_report(name, exc)
        return PreparedVerval(name, sha, pd.DataFrame(columns=ROW_COLUMNS), report, 0, logged)


def _read(data: bytes, name: str, sha: str, ctx: Context) -> PreparedVerval:
    empty = pd.DataFrame(columns=ROW_COLUMNS)
    try:
        table = read_table(
            data, name, columns(), anchor="hasil", anchor_label=header("hasil"), numeric_watch=("nik",)
        )
    except FileRefused as exc:
        return PreparedVerval(name, sha, empty, refused_file(name, str(exc)), 0, {str(exc): exc.log_text})
    if "nik" in table.frame:
        table.frame["nik"] = fold_digits(table.frame["nik"].astype(object))
    issues = Issues(table, header)
    missing = [
        k for k in ("id_keluarga", "hasil", "tanggal", "nomor_dasar", "petugas") if k not in table.frame
    ]
    if missing:
        names = ", ".join(f"'{header(k)}'" for k in missing)
        found = ", ".join(table.headers.values())
        issues.say(GALAT, None, None, None, "berkas.missing_columns", names=names, row=table.header_row,
                   found=found)  # fmt: skip
        return PreparedVerval(name, sha, empty, issues.frame(), len(table.frame), issues.log_texts)
    rows = _validate(table, issues, ctx)
    frame = issues.frame()
    clean = pd.DataFrame(rows, columns=ROW_COLUMNS) if frame.empty else empty
    return PreparedVerval(name, sha, clean, frame, len(rows), issues.log_texts)
