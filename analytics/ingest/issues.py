"""Collecting validation issues of an input file in one report format (level, file, row, column)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

import pandas as pd

from analytics import i18n
from analytics.ingest.tabular import RawTable, normalise_header
from analytics.store import privacy

ISSUE_COLUMNS = ["tingkat", "berkas", "baris", "kolom", "nilai", "pesan"]
GALAT, PERINGATAN = "Galat", "Peringatan"


def both(build: Callable[[str], str]) -> tuple[str, str]:
    """A message built in the current language and in Indonesian: (shown text, logged text).

    build(lang) makes the whole message in one language, fragments included; the import and audit
    logs keep one language (Indonesian) whatever language the importer reads.
    """
    return build(i18n.language()), build(i18n.DEFAULT)


# Canonical keys of the columns that hold a NIK or a family card number (No KK), and the header
# words that mark one whatever the importer calls it: NIK, No KK, Nomor KK, Nomor Kartu Keluarga...
ID_KEYS = frozenset({"nik", "no_kk", "nomor_kk"})
_ID_HEADER = re.compile(r"(?:^|[^a-z0-9])(?:nik|kk|kartu keluarga)(?:[^a-z0-9]|$)")
_EXCEL_NUMBER = re.compile(r"[0-9]+(?:[.,][0-9]+)?[eE][+-]?[0-9]+")
MASK_STARS = 10  # at most this many stars: the hint says how many digits there were


def is_id_column(key: str | None, header: str | None) -> bool:
    """Whether a column holds NIKs or No KK numbers, by its canonical key or its header text."""
    if key in ID_KEYS:
        return True
    return any(_ID_HEADER.search(normalise_header(h)) for h in (key, header) if h)


def masked_id(value: object) -> str:
    """A NIK or No KK cell as a report may show it: at most its first six digits, the rest starred.

    A valid 16-digit number is masked as everywhere else (privacy.mask_nik). Any other shape keeps a
    hint a clerk can act on, without its digits: "647205********* (16 digit ditemukan 15; berisi
    spasi)", or "(ditulis sebagai angka oleh Excel)" for 6.47205E+15.
    """
    raw = str(value)
    text = unicodedata.normalize("NFKC", raw)
    if re.fullmatch(r"[0-9]{16}", text):
        return privacy.mask_nik(text)
    digits = [c for c in text if "0" <= c <= "9"]
    shown = "".join(digits[:6])
    masked = shown + "*" * min(len(digits) - len(shown), MASK_STARS)
    hints = []
    if _EXCEL_NUMBER.fullmatch(text.strip()):  # 6.47205E+15: its exponent's digits are no NIK digits
        masked = shown + "*" * MASK_STARS
        hints.append(i18n.t("h5.id_excel_number"))
    else:
        if len(digits) != 16:
            hints.append(i18n.t("h5.id_digit_count", n=len(digits)))
        if text.lstrip().startswith(("'", "`", "‘", "’")):
            hints.append(i18n.t("h5.id_apostrophe"))
        if any(c.isspace() or unicodedata.category(c) == "Cf" for c in raw):
            hints.append(i18n.t("h5.id_spaces"))
        if any(c.isalpha() for c in text):
            hints.append(i18n.t("h5.id_letters"))
        if any(c.isdigit() and not "0" <= c <= "9" for c in text):
            hints.append(i18n.t("h5.id_other_digits"))
        if any(
            not (c.isalnum() or c.isspace() or unicodedata.category(c) == "Cf" or c in "'`‘’") for c in text
        ):
            hints.append(i18n.t("h5.id_other_chars"))
    return f"{masked or '-'} ({'; '.join(hints)})" if hints else masked


def report_value(key: str | None, header: str | None, value: object) -> str | None:
    """A cell value as a validation report records it: NIK and No KK columns always masked."""
    if _blank(value):
        return None
    return masked_id(value) if is_id_column(key, header) else str(value)


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
        column = self.table.headers.get(key, self.header(key)) if key else None
        self.items.append(
            {
                "tingkat": level,
                "berkas": self.table.file_name,
                "baris": self.table.rows[idx] if idx is not None else None,
                "kolom": column,
                "nilai": report_value(key, column, value),
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


def unexpected_report(file_name: str, exc: BaseException) -> tuple[pd.DataFrame, dict[str, str]]:
    """The one-row report of a file whose check failed unexpectedly, and its Indonesian log text.

    Only the exception's type is named: its text can quote a cell (DuckDB's conversion errors do).
    """
    kind = type(exc).__name__
    shown, logged = both(lambda lang: i18n.text(lang, "h5.check_failed", file=file_name, kind=kind))
    return refused_file(file_name, shown), {shown: logged}


def import_failure(
    refusal: type[i18n.Refusal], file_name: str, exc: BaseException, log: Callable[[str], None]
) -> i18n.Refusal:
    """An unexpected error inside an import as the importer's refusal, naming only the error's type
    (its text can quote a cell); the transaction was rolled back, so nothing changed.

    The refusal is written to the import log through log(text); a store too broken to log in must
    not hide the refusal itself, so a failing log is passed over."""
    kind = type(exc).__name__
    refused = refusal(*both(lambda lang: i18n.text(lang, "h5.import_failed", file=file_name, kind=kind)))
    try:
        log(refused.log_text)
    except Exception:  # noqa: BLE001, S110 - the refusal is what the user needs to see
        pass
    return refused
