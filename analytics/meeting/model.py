"""The meeting's model: KeyNumber, Finding and Meeting, the objects the Rapat page and every pack
format (PDF, HTML, XLSX) show, and the small texts findings share. analytics.meeting.agenda builds the
agenda and analytics.meeting.opd_findings its OPD findings, both on this module (so neither imports the other
back).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from analytics import formatting as fmt
from analytics import i18n
from analytics.i18n import t


@dataclass(frozen=True)
class KeyNumber:
    """One headline number of a finding, already formatted the way every output shows it."""

    label: str
    value: str
    delta: str | None = None
    change: float | None = None  # the raw change behind `delta` (its sign gives the arrow)
    down_is_good: bool | None = None  # None: the change is neither good nor bad (grey)

    def metric_args(self) -> dict:
        """Keyword arguments for st.metric (colour and arrow from the raw change, not the text)."""
        return {"label": self.label, "value": self.value} | fmt.delta_args(
            self.delta, self.change, self.down_is_good
        )


@dataclass
class Finding:
    """One block of the meeting: a title that states the finding, its numbers, figure and table."""

    key: str
    topic: str
    title: str
    numbers: list[KeyNumber]
    table: pd.DataFrame  # aggregates with raw values and headers in the meeting's language
    note: str = ""
    figure: Callable[[], go.Figure] | None = None
    is_map: bool = False
    detail: pd.DataFrame | None = None  # person-level rows, only for roles with named access
    detail_title: str = ""

    def __post_init__(self) -> None:
        self.table = self.table.reset_index(drop=True)
        if self.figure is not None:  # built on first use, then shared (a kept meeting serves every
            # session): callers that restyle it copy it first (charts.for_projector, Policy.figure, pack)
            self.figure = functools.cache(self.figure)

    @property
    def file_name(self) -> str:
        """Base name for the table's downloads."""
        return f"rapat_{self.key}"


@dataclass
class Meeting:
    """Everything the page and the pack show for one pair of snapshots and one user.

    `lang` is the language the texts were made in, captured on the page's thread: the pack is
    built later, in whichever thread serves the download, and uses it for its own texts.
    """

    prev: date
    cur: date
    target: date
    role: str
    is_demo: bool
    findings: list[Finding]
    notes: list[str] = field(default_factory=list)
    lang: str = i18n.DEFAULT


def since_label(prev: date) -> str:
    """'sejak 30 Sep 2024' (in the current language)."""
    return t("meeting.since", date=fmt.tanggal(prev))


def count_of(n: int, total: int) -> str:
    """'3 dari 10' (in the current language)."""
    return t("maps.of", n=n, total=total)
