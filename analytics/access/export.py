"""Downloads: CSV and XLSX bytes of a table, with formula-like cells neutralised."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable

import pandas as pd

from analytics import i18n
from analytics.access import auth, disclosure
from analytics.access.auth import User
from analytics.store import audit
from analytics.store.db import Store

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(df: pd.DataFrame) -> pd.DataFrame:
    """Prefix text cells that a spreadsheet would run as a formula with an apostrophe."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(
                lambda v: "'" + v if isinstance(v, str) and v.startswith(FORMULA_START) else v
            )
    return out


def csv_bytes(df: pd.DataFrame) -> bytes:
    """UTF-8 CSV (with BOM so Excel reads the accents) of the table."""
    return neutralise(df).to_csv(index=False).encode("utf-8-sig")


def xlsx_bytes(df: pd.DataFrame, sheet: str = "Data") -> bytes:
    """An .xlsx workbook holding the table on one sheet."""
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        neutralise(df).to_excel(writer, sheet_name=sheet[:31], index=False)
    return buf.getvalue()


def file_bytes(df: pd.DataFrame, name: str, kind: str) -> bytes:
    """The table as CSV or XLSX bytes."""
    return csv_bytes(df) if kind == "csv" else xlsx_bytes(df, name)


def audited(
    store: Store, user: User | None, file_name: str, make: Callable[[str], tuple[bytes, str]]
) -> Callable[[], bytes]:
    """A download built at click time: the role is read again, make(role) builds (bytes, detail),
    and the download is written to the audit log with the file's SHA-256.

    The click is served outside the script run, so a denial is said in the language of the script
    run that made the button, captured here.
    """
    lang = i18n.language()

    def build() -> bytes:
        role = auth.current_role(user.name) if user else None
        if role is None:
            return i18n.text(lang, "ekspor.denied").encode("utf-8")
        data, detail = make(role)
        audit.log(store, user.name, role, "unduh", file_name, hashlib.sha256(data).hexdigest(), detail)
        return data

    return build


def deferred(store: Store, df: pd.DataFrame, name: str, kind: str, user: User | None) -> Callable[[], bytes]:
    """A table download: role re-checked at click, small counts suppressed (primary and
    complementary) for roles without named access."""

    def make(role: str) -> tuple[bytes, str]:
        table = disclosure.for_role(role).table(df)
        return file_bytes(table, name, kind), f"{len(table)} baris"

    return audited(store, user, f"{name}.{kind}", make)


def deferred_query(
    store: Store, fetch: Callable[[User], pd.DataFrame], name: str, kind: str, user: User | None
) -> Callable[[], bytes]:
    """A download of every page of a paged table: fetch(user) runs at click time, with the role
    read again, so the rows are those the role may see then."""

    def make(role: str) -> tuple[bytes, str]:
        table = disclosure.for_role(role).table(fetch(auth.User(user.name, role)))
        return file_bytes(table, name, kind), f"{len(table)} baris"

    return audited(store, user, f"{name}.{kind}", make)
