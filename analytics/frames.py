"""Tables as text for the screen and the meeting pack (id-ID), with no streamlit.

The pages show a table through analytics.ui.dataframe and the pack prints it through
analytics.pack.parts.shown_table; both take the text from here, so a PDF is built without streamlit.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from analytics import formatting as fmt
from analytics.i18n import t


def display_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy for the screen: integers as 9.032, decimals as 12,5, dates as 30 Nov 2022, moments with a
    time of day as 30 Nov 2022 14.05.09 (14:05:09 in English), empty cells as '–' (never 'None')."""
    out = df.copy()
    for col in out.columns:
        s = out[col]
        if pd.api.types.is_bool_dtype(s):
            out[col] = s.map({True: t("ui.yes"), False: t("ui.no")})
        elif pd.api.types.is_integer_dtype(s):
            out[col] = s.map(fmt.number)
        elif pd.api.types.is_float_dtype(s):
            out[col] = s.map(lambda v: fmt.number(v, 1))
        elif pd.api.types.is_datetime64_any_dtype(s) or (len(s) and isinstance(s.iloc[0], date)):
            out[col] = s.map(_moment if _has_time(s) else lambda v: fmt.tanggal(v) if pd.notna(v) else "–")
        elif s.dtype == object or pd.api.types.is_string_dtype(s):  # also suppressed columns: numbers
            out[col] = s.map(_display_cell)  # and '<5'/'x' marks side by side
    return out


def _has_time(s: pd.Series) -> bool:
    """Whether a date column holds moments (a time of day other than midnight), e.g. log times."""
    moments = pd.to_datetime(s.dropna())
    return bool((moments != moments.dt.normalize()).any())


def _moment(v: object) -> str:
    return fmt.waktu(v, seconds=True) if pd.notna(v) else "–"


def _display_cell(v: object) -> object:
    if v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and v != v):
        return "–"
    if isinstance(v, bool) or not isinstance(v, int | float):
        return v
    return fmt.number(v) if float(v).is_integer() else fmt.number(v, 1)
