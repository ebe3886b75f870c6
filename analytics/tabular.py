"""Reading spreadsheet-like inputs (.xlsx, .csv) whose header row may sit below title rows."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from analytics import upload_guard

HEADER_SCAN_ROWS = 30


class FileRefused(Exception):
    """The file cannot be read at all; the message is for the user, in Indonesian."""


def normalise_header(text: object) -> str:
    """Header text folded for matching: lower case, single spaces, no space around '/'."""
    s = re.sub(r"\s+", " ", str(text or "").strip().lower())
    return re.sub(r"\s*/\s*", "/", s)


@dataclass
class RawTable:
    """Cells as text under canonical column keys, with the row numbers the user sees."""

    file_name: str
    frame: pd.DataFrame
    rows: list[int]
    header_row: int
    headers: dict[str, str]
    numeric_cells: dict[str, set[int]] = field(default_factory=dict)


def _cell_text(value: object) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    text = str(value).strip()
    return text or None


def _xlsx_rows(data: bytes) -> list[tuple]:
    # calamine (Rust) reads a 9,000-row export in ~0.2 s where openpyxl takes ~4-8 s; its XML
    # reader expands no entities. Rows start at A1 so row numbers match what Excel shows.
    from python_calamine import CalamineWorkbook

    try:
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
        return [tuple(r) for r in sheet.to_python(skip_empty_area=False)]
    except Exception as exc:  # calamine raises its own error types for broken files
        raise FileRefused(f"Berkas Excel tidak dapat dibaca (rusak atau bukan .xlsx): {exc}") from exc


def _csv_rows(data: bytes) -> list[tuple]:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    return [tuple(r) for r in csv.reader(io.StringIO(text), delimiter=delimiter)]


def read_table(
    data: bytes,
    file_name: str,
    columns: dict[str, set[str]],
    anchor: str,
    anchor_label: str,
    numeric_watch: tuple[str, ...] = (),
) -> RawTable:
    """Find the header row (the first with the anchor column) and return the cells under it.

    columns maps each canonical key to the folded header texts that mean it. Columns not
    named there are ignored. numeric_watch lists keys whose numeric Excel cells are recorded,
    because a long code stored as a number has lost digits.
    """
    refused = upload_guard.problem(data, file_name)
    if refused:
        raise FileRefused(f"{file_name}: berkas ditolak karena {refused}.")
    suffix = Path(file_name).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        rows = _xlsx_rows(data)
    elif suffix in (".csv", ".txt"):
        rows = _csv_rows(data)
    else:
        raise FileRefused(
            f"{file_name}: jenis berkas {suffix or '(tanpa ekstensi)'} tidak didukung; "
            "gunakan .xlsx atau .csv."
        )
    lookup = {alias: key for key, aliases in columns.items() for alias in aliases}
    header_idx = None
    for i, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        keys = {lookup.get(normalise_header(c)) for c in row}
        if anchor in keys:
            header_idx = i
            break
    if header_idx is None:
        raise FileRefused(
            f"{file_name}: baris judul kolom tidak ditemukan di {HEADER_SCAN_ROWS} baris pertama "
            f"(dicari kolom '{anchor_label}')."
        )
    header = rows[header_idx]
    positions: dict[str, int] = {}
    headers: dict[str, str] = {}
    for pos, cell in enumerate(header):
        key = lookup.get(normalise_header(cell))
        if key and key not in positions:
            positions[key] = pos
            headers[key] = str(cell).strip()
    records: dict[str, list] = {key: [] for key in positions}
    numeric: dict[str, set[int]] = {key: set() for key in numeric_watch if key in positions}
    row_numbers: list[int] = []
    for offset, row in enumerate(rows[header_idx + 1 :]):
        if not any(_cell_text(c) for c in row):
            continue
        idx = len(row_numbers)
        row_numbers.append(header_idx + 2 + offset)
        for key, pos in positions.items():
            value = row[pos] if pos < len(row) else None
            if key in numeric and isinstance(value, (int, float)) and not isinstance(value, bool):
                numeric[key].add(idx)
                value = f"{float(value):.5E}"
            records[key].append(_cell_text(value))
    frame = pd.DataFrame(records, dtype=object)
    return RawTable(file_name, frame, row_numbers, header_idx + 1, headers, numeric)
