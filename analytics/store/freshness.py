"""How old the data on screen is: the latest snapshot's date, and a notice when it is stale."""

from __future__ import annotations

from datetime import date

import pandas as pd

from analytics import formatting as fmt
from analytics.i18n import t
from analytics.store import settings
from analytics.store.db import Store


def latest(store: Store) -> date | None:
    """The latest snapshot's date, or None before the first import."""
    value = store.query("latest_snapshot")["as_of"].iloc[0]
    return None if pd.isna(value) else pd.Timestamp(value).date()


def months_between(start: date, end: date) -> int:
    """Whole calendar months from start to end (31 Dec 2024 to 3 Dec 2026: 23)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - 1 if end.day < start.day and months > 0 else months


def ago(then: date, today: date) -> str:
    """'23 bulan lalu' / '23 months ago' ('12 hari lalu' under a month)."""
    months = months_between(then, today)
    if months >= 1:
        return t("i15s.months_ago", n=fmt.number(months))
    return t("i15s.days_ago", n=fmt.number((today - then).days))


def stale_notice(store: Store, today: date | None = None) -> str | None:
    """'Data terakhir 31 Des 2024 — 23 bulan lalu …' when the latest snapshot is older than the
    stale-data setting (default 45 days); None when the data is fresh or there is none."""
    today = today or settings.today()
    last = latest(store)
    if last is None or (today - last).days <= settings.stale_days(store):
        return None
    return t("i15s.stale", date=fmt.tanggal(last), ago=ago(last, today), days=settings.stale_days(store))
