"""Numbers and dates the way Indonesian readers expect them (id-ID), via babel."""

from __future__ import annotations

import math
from datetime import date, datetime

import pandas as pd
from babel.dates import format_date, format_datetime
from babel.numbers import format_compact_decimal, format_decimal

LOCALE = "id_ID"


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def number(value: float | int | None, digits: int = 0) -> str:
    """9032 -> '9.032'; 12.5 with digits=1 -> '12,5'."""
    if _missing(value):
        return "–"
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=LOCALE)


def percent(fraction: float | None, digits: int = 1) -> str:
    """0.342 -> '34,2%'."""
    if _missing(fraction):
        return "–"
    return number(fraction * 100, digits) + "%"


def signed(value: float | int | None, digits: int = 0) -> str:
    """A change with its sign: '+12', '−1.234'."""
    if _missing(value):
        return "–"
    text = number(abs(value), digits)
    return ("+" if value > 0 else "−" if value < 0 else "") + text


def rupiah(value: float | int | None) -> str:
    """2_700_000_000 -> 'Rp 2,7 miliar'; 300000 -> 'Rp 300 ribu'; small sums in full."""
    if _missing(value):
        return "–"
    if abs(value) < 1_000:
        return f"Rp {number(value)}"
    compact = format_compact_decimal(value, format_type="long", fraction_digits=1, locale=LOCALE)
    return f"Rp {compact}"


def tanggal(value: date | datetime | None, style: str = "d MMM yyyy") -> str:
    """30 Nov 2022 (style 'd MMMM yyyy' gives 30 November 2022)."""
    if value is None:
        return "–"
    return format_date(value, style, locale=LOCALE)


def bulan(value: date | datetime | None) -> str:
    """'Nov 2022'."""
    return tanggal(value, "MMM yyyy")


def waktu(value: datetime) -> str:
    """'3 Des 2026 18.48' (id-ID: a dot between hours and minutes)."""
    return format_datetime(value, "d MMM yyyy HH.mm", locale=LOCALE)
