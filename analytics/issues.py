"""Collecting validation issues of an input file in one report format (level, file, row, column)."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from analytics import i18n
from analytics.tabular import RawTable

ISSUE_COLUMNS = ["tingkat", "berkas", "baris", "kolom", "nilai", "pesan"]
GALAT, PERINGATAN = "Galat", "Peringatan"


def both(build: Callable[[str], str]) -> tuple[str, str]:
    """A message built in the current language and in Indonesian: (shown text, logged text).

    build(lang) makes the whole message in one language, fragments included; the import and audit
    logs keep one language (Indonesian) whatever language the importer reads.
    """
    return build(i18n.language()), build(i18n.DEFAULT)


def _masked(key: str | None, value: str) -> str:
    """A NIK-like value in a report keeps only its region prefix (as privacy.mask_nik does)."""
    if key == "nik" and value.isdigit() and len(value) >= 10:
        return value[:6] + "*" * (len(value) - 6)
    return value


class Checked:
    """Mixin for a validated input holding an `issues` report: which issues refuse it."""

    file_name: str
    issues: pd.DataFrame
    log_texts: dict[str, str]

    def indonesian(self, message: str) -> str:
        """An issue's message in Indonesian, for the import log (which keeps one language)."""
        return getattr(self, "log_texts", {}).get(message, message)

    def refusal(self) -> tuple[str, str]:
        """Why the file is refused, naming its first error: (shown text, Indonesian text for the logs)."""
        first = self.errors.iloc[0]

        def build(lang: str) -> str:
            args = {
                "file": self.file_name,
                "n": len(self.errors),
                "column": first["kolom"] or "-",
                "message": self.indonesian(first["pesan"]) if lang == i18n.DEFAULT else first["pesan"],
            }
            if pd.notna(first["baris"]):
                return i18n.text(lang, "berkas.refused_first_row", row=first["baris"], **args)
            return i18n.text(lang, "berkas.refused_first", **args)

        return both(build)

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
        self.log_texts: dict[str, str] = {}  # shown message -> its Indonesian text

    def add(
        self,
        level: str,
        idx: int | None,
        key: str | None,
        value: object,
        message: str,
        log_text: str | None = None,
    ) -> None:
        """Record one issue; idx is the table's row index (None = the whole file).

        message is in the current language; log_text is the same message in Indonesian.
        """
        if log_text is not None:
            self.log_texts[message] = log_text
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

    def say(
        self, level: str, idx: int | None, key: str | None, value: object, text_key: str, **fmt_args: object
    ) -> None:
        """Record one issue whose message is the locale text text_key (see add)."""
        self.add(level, idx, key, value, *both(lambda lang: i18n.text(lang, text_key, **fmt_args)))

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
