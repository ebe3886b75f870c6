"""Numbers the way Indonesian readers expect them (id-ID), and dates in the language in force, via babel.

Digits keep the id-ID separators in both languages (9.032; 12,5): the data is Indonesian. Words do not:
month names ('Mei' / 'May'), the time separator (14.05 / 14:05) and the rupiah's compact word
('juta' / 'million') follow analytics.i18n.language(), so an English page shows no Indonesian word.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime

import pandas as pd
from babel.dates import format_date, format_datetime
from babel.numbers import format_compact_decimal, format_decimal

from analytics.i18n import language

LOCALE = "id_ID"  # numbers, in every language
DATE_LOCALES = {"id": "id_ID", "en": "en"}  # month names and compact words, per UI language
TIME_PATTERNS = {"id": ("HH.mm", "HH.mm.ss"), "en": ("HH:mm", "HH:mm:ss")}


def date_locale() -> str:
    """The babel locale for month names in the language in force: 'id_ID' or 'en'."""
    return DATE_LOCALES.get(language(), LOCALE)


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
    compact = format_compact_decimal(value, format_type="long", fraction_digits=1, locale=date_locale())
    if date_locale() != LOCALE:  # English words, id-ID digits: '2.7 billion' -> '2,7 billion'
        compact = compact.translate(str.maketrans(".,", ",."))
    return f"Rp {compact}"


def tanggal(value: date | datetime | None, style: str = "d MMM yyyy") -> str:
    """30 Nov 2022 (style 'd MMMM yyyy' gives 30 November 2022); 'Mei' in Indonesian, 'May' in English."""
    if _missing(value) or value is pd.NaT:
        return "–"
    return format_date(value, style, locale=date_locale())


def bulan(value: date | datetime | None) -> str:
    """'Nov 2022'."""
    return tanggal(value, "MMM yyyy")


def waktu(value: datetime | None, seconds: bool = False) -> str:
    """'3 Des 2026 18.48' (id-ID: a dot between hours and minutes), '3 Dec 2026 18:48' in English."""
    if _missing(value) or value is pd.NaT:
        return "–"
    clock = TIME_PATTERNS.get(language(), TIME_PATTERNS["id"])[seconds]
    return format_datetime(value, f"d MMM yyyy {clock}", locale=date_locale())


def jam(value: datetime) -> str:
    """The time of day alone: '14.05' (id-ID), '14:05' (English)."""
    return format_datetime(value, TIME_PATTERNS.get(language(), TIME_PATTERNS["id"])[0], locale=date_locale())


def month_ticks(start: date, end: date, every: int = 3) -> tuple[list[date], list[str]]:
    """Tick positions (first of a month) and month labels in the language in force ('Mei 2024' /
    'May 2024'), every `every` months from start's month to end. Charts set them as a date axis's
    tickvals/ticktext, so no month name comes from Plotly's English d3 formats."""
    ticks, labels = [], []
    y, m = start.year, start.month
    i = 0
    while date(y, m, 1) <= end:
        if i % every == 0:
            ticks.append(date(y, m, 1))
            labels.append(bulan(date(y, m, 1)))
        m, i = m + 1, i + 1
        if m == 13:
            y, m = y + 1, 1
    return ticks, labels


# Characters that start Markdown anywhere in a line: emphasis, code, links and images, HTML and
# entities, tables, escapes, Streamlit's :color[...]/:material/...: directives and $LaTeX$, and the
# ':' and '@' of GFM's bare links (http://..., name@host); 'www.' is broken up below.
_MARKDOWN_SPECIAL = frozenset("\\`*_{}[]()<>#|~:$!&@")
# ...and those that start a block only at the start of a line: lists, quotes, headings, rules.
_LINE_START = re.compile(r"^(\s*)(\d+)?([-+=.)])")


def md(value: object) -> str:
    """A file- or user-derived value made safe to put into Markdown (st.markdown, st.error, ...).

    Markdown characters are backslash-escaped, so a backtick cannot leave a code span and an image
    or link shows as text; line breaks become spaces, so a value cannot start a heading or a list.
    Use it on each value put into a message, not on the message's own text.
    """
    text = "" if value is None else str(value)
    text = re.sub(r"[\r\n\u2028\u2029]+", " ", text)
    text = "".join("\\" + c if c in _MARKDOWN_SPECIAL else c for c in text)
    text = re.sub(r"(?i)\b(www)\.", r"\1\\.", text)
    return _LINE_START.sub(lambda m: f"{m[1]}{m[2] or ''}\\{m[3]}", text, count=1)


def delta_args(text: str | None, change: float | None = None, down_is_good: bool | None = None) -> dict:
    """st.metric's delta, delta_color and delta_arrow for a change, from its raw value, not its text.

    The text keeps the id-ID minus sign (U+2212), which st.metric would read as a rise; so the arrow
    and colour are set here: down for a fall, up for a rise, green when the change is good news
    (a fall when down_is_good). No change, or one that is neither good nor bad (down_is_good None),
    or a plain note (change None) shows grey text with no arrow.
    """
    if text is None:
        return {"delta": None}
    if not change or _missing(change) or down_is_good is None:
        return {"delta": text, "delta_color": "gray", "delta_arrow": "off"}
    good = (change < 0) == down_is_good
    return {
        "delta": text,
        "delta_color": "green" if good else "red",
        "delta_arrow": "down" if change < 0 else "up",
    }
