"""Programme settings kept in the store: the target date and session lifetimes (see analytics.auth)."""

from __future__ import annotations

from datetime import date, timedelta

from analytics import auth, i18n
from analytics.store import Store

DEFAULTS: dict[str, str] = {
    "target_date": "2024-12-31",  # Inpres 4/2022; Inpres 4/2025 moved the national target to 2026
    "session_idle_hours": "8",  # a session ends after this many hours without activity
    "session_absolute_hours": "12",  # and this many hours after sign-in, however active
    # a snapshot that would remove more than this share (%) of the people on the list needs an
    # explicit confirmation (a 9-row file once marked 4,320 people as leaving)
    "max_removed_percent": "20",
}
IDLE_HOURS = (1, 24)  # the accepted range of each session setting, in whole hours
ABSOLUTE_HOURS = (1, int(auth.SESSION_CAP.total_seconds() // 3600))


class SettingError(i18n.Refusal):
    """A setting value outside its accepted range; nothing was stored."""


def get(store: Store, key: str) -> str:
    """The stored value of a setting, or its default."""
    value = store.scalar("select value from setting where key = ?", [key])
    return DEFAULTS[key] if value is None else str(value)


def put(store: Store, key: str, value: str) -> None:
    """Store a setting (in its own transaction)."""
    if key not in DEFAULTS:
        raise KeyError(key)
    with store.transaction(touches=("setting",)) as cur:
        cur.execute("insert or replace into setting values (?, ?)", [key, value])


def target_date(store: Store) -> date:
    """The date the list should reach zero."""
    return date.fromisoformat(get(store, "target_date"))


def session_limits(store: Store) -> auth.SessionLimits:
    """The idle timeout and absolute lifetime of sessions (defaults 8 h and 12 h)."""
    return auth.SessionLimits(
        idle=_hours(store, "session_idle_hours", IDLE_HOURS),
        absolute=_hours(store, "session_absolute_hours", ABSOLUTE_HOURS),
    )


def _hours(store: Store, key: str, bounds: tuple[int, int]) -> timedelta:
    """A stored number of hours, kept inside its range (an unreadable value means the default)."""
    try:
        value = int(get(store, key))
    except ValueError:
        value = int(DEFAULTS[key])
    return timedelta(hours=min(max(value, bounds[0]), bounds[1]))


def put_session_limits(store: Store, idle_hours: int, absolute_hours: int) -> None:
    """Store both session settings, or raise SettingError (and store nothing) if out of range."""
    for value, (low, high) in ((idle_hours, IDLE_HOURS), (absolute_hours, ABSOLUTE_HOURS)):
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise SettingError.keyed("h6.hours_range", value=value, low=low, high=high)
    if absolute_hours < idle_hours:
        raise SettingError.keyed("h6.absolute_below_idle")
    with store.transaction(touches=("setting",)) as cur:
        for key, value in (("session_idle_hours", idle_hours), ("session_absolute_hours", absolute_hours)):
            cur.execute("insert or replace into setting values (?, ?)", [key, str(value)])


def max_removed_percent(store: Store) -> float:
    """The share (%) of the people on the list a snapshot may remove without an explicit confirmation."""
    return float(get(store, "max_removed_percent"))
