"""What every meeting pack format shares: the stamp, the notes, tables as printed text and the chart
config. analytics.pack builds the files through analytics.pack.as_html and analytics.pack.as_pdf, which
take these from here (so neither imports analytics.pack back).
"""

from __future__ import annotations

import re
from datetime import datetime

import pandas as pd

from analytics import formatting as fmt
from analytics.access import disclosure
from analytics.frames import display_frame
from analytics.i18n import t
from analytics.maps.figure import PLOTLY_CONFIG
from analytics.meeting.model import Finding, Meeting

IMAGE_WIDTH = 1050  # px; printed 180 mm wide, 16 px type reads as about 8 pt and month ticks stay flat
NUMBER_TEXT = re.compile(r"[−+-]?(\d{1,3}(\.\d{3})*|\d+)(,\d+)?%?|–|<5|Rp .*")


def chart_config(finding: Finding) -> dict:
    """The plotly config for a finding's chart: maps get the offline geo config (no CDN topojson)."""
    return PLOTLY_CONFIG if finding.is_map else {"displaylogo": False}


def stamp() -> str:
    """When the pack was made: '31 Desember 2024 pukul 14.05'."""
    now = datetime.now()
    return t("pack.stamp", date=fmt.tanggal(now, "d MMMM yyyy"), time=fmt.jam(now))


def suppressed_note() -> str:
    """The note on packs whose small counts are written '<5'."""
    return t("pack.suppressed")


def notes(meeting: Meeting, suppress: bool) -> list[str]:
    """The notes every pack format prints under the summary."""
    return [*meeting.notes, *([suppressed_note()] if suppress else [])]


def shown_table(df: pd.DataFrame, suppress: bool) -> pd.DataFrame:
    """The table as text the way the page shows it (id-ID), with small counts suppressed when asked."""
    out = display_frame(disclosure.SUPPRESSED.table(df) if suppress else df).astype(object)
    return out.fillna("–")


def numeric_columns(df: pd.DataFrame) -> list[bool]:
    """Per shown column: whether every cell reads as an id-ID number (right-aligned in the pack)."""
    return [len(df) > 0 and all(NUMBER_TEXT.fullmatch(str(v)) for v in df[c]) for c in df.columns]
