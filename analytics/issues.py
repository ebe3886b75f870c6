"""Collecting validation issues of an input file in one report format (level, file, row, column)."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from analytics.tabular import RawTable

ISSUE_COLUMNS = ["tingkat", "berkas", "baris", "kolom", "nilai", "pesan"]
GALAT, PERINGATAN = "Galat", "Peringatan"


def _masked(key: str | None, value: str) -> str:
    """A NIK-like value in a report keeps only its region prefix and last four digits."""
    if key == "nik" and value.isdigit() and len(value) >= 10:
        return f"{value[:6]}{'*' * (len(value) - 10)}{value[-4:]}"
    return value


class Checked:
    """Mixin for a validated input holding an `issues` report: which issues refuse it."""

    issues: pd.DataFrame

    @property
    def errors(self) -> pd.DataFrame:
        """Only the issues that refuse the file."""
        return self.issues[self.issues["tingkat"] == GALAT]

    @property
    def warnings(self) -> pd.DataFrame:
        """Only the issues that do not refuse the file."""
        return self.issues[self.issues["tingkat"] == PERINGATAN]

    @property
    def ok(self) -> bool:
        """True when no issue refuses the file."""
        return self.errors.empty


def _blank(value: object) -> bool:
    """An empty cell: None, or the NaN/NA that Arrow-backed string columns hold."""
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


class Issues:
    """Issues found in one file, each naming the Excel row and the column as the user's file names it."""

    def __init__(self, table: RawTable, header: Callable[[str], str]) -> None:
        self.table = table
        self.header = header
        self.items: list[dict] = []

    def add(self, level: str, idx: int | None, key: str | None, value: object, message: str) -> None:
        """Record one issue; idx is the table's row index (None = the whole file)."""
        self.items.append(
            {
                "tingkat": level,
                "berkas": self.table.file_name,
                "baris": self.table.rows[idx] if idx is not None else None,
                "kolom": self.table.headers.get(key, self.header(key)) if key else None,
                "nilai": None if _blank(value) else _masked(key, str(value)),
                "pesan": message,
            }
        )

    def frame(self) -> pd.DataFrame:
        """The issues as a table: file-level first, then by level and row."""
        df = pd.DataFrame(self.items, columns=ISSUE_COLUMNS)
        df["baris"] = df["baris"].astype("Int64")
        return df.sort_values(["tingkat", "baris"], kind="stable", na_position="first").reset_index(drop=True)


def refused_file(file_name: str, message: str) -> pd.DataFrame:
    """The one-row report of a file that cannot be read at all."""
    row = {
        "tingkat": GALAT,
        "berkas": file_name,
        "baris": None,
        "kolom": None,
        "nilai": None,
        "pesan": message,
    }
    return pd.DataFrame([row], columns=ISSUE_COLUMNS)
