"""Programme settings kept in the store: the zero targets, stale-data age, session lifetimes (see
analytics.access.auth) and the mass-exit threshold."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta

from analytics import i18n
from analytics.store.db import Store
from analytics.store.sql import run

SESSION_CAP = timedelta(days=7)


@dataclass(frozen=True)
class SessionLimits:
    """How long a session lives: since its last activity (idle) and since sign-in (absolute)."""

    idle: timedelta = timedelta(hours=8)
    absolute: timedelta = timedelta(hours=12)


@dataclass(frozen=True)
class Target:
    """A date by which the list should reach zero, and the instruction that set it."""

    issued: date  # the day the legal basis was issued: from then on it is the target in force
    zero_by: date
    basis: str  # e.g. "Inpres 8/2025"

    def as_json(self) -> dict:
        return {"issued": self.issued.isoformat(), "zero_by": self.zero_by.isoformat(), "basis": self.basis}


DEFAULT_TARGETS = (
    Target(date(2022, 6, 8), date(2024, 12, 31), "Inpres 4/2022"),
    Target(date(2025, 3, 27), date(2026, 12, 31), "Inpres 8/2025"),
)
BASIS_MAX = 120  # characters of a legal basis
STALE_DAYS = (1, 365)  # the accepted range of the stale-data setting, in days

DEFAULTS: dict[str, str] = {
    # every zero target with its legal basis; the one in force on a date is the latest issued by then
    "targets": json.dumps([target.as_json() for target in DEFAULT_TARGETS]),
    "stale_days": "45",  # pages say the data is old when the latest snapshot is older than this
    "session_idle_hours": "8",  # a session ends after this many hours without activity
    "session_absolute_hours": "12",  # and this many hours after sign-in, however active
    # a snapshot that would remove more than this share (%) of the people on the list needs an
    # explicit confirmation (a 9-row file once marked 4,320 people as leaving)
    "max_removed_percent": "20",
    # issue 19: who is on the list in a DTSEN snapshot: desil 1 up to this desil, plus (when "1") the
    # families DinsosPM flags as extreme-poor (table keluarga_tanda)
    "dtsen_desil_max": "1",
    "dtsen_flagged": "1",
    # a family on the list is overdue for verification when its last verval result is older than this
    "verval_months": "6",
}
IDLE_HOURS = (1, 24)  # the accepted range of each session setting, in whole hours
ABSOLUTE_HOURS = (1, int(SESSION_CAP.total_seconds() // 3600))


class SettingError(i18n.Refusal):
    """A setting value outside its accepted range; nothing was stored."""


def get(store: Store, key: str) -> str:
    """The stored value of a setting, or its default."""
    rows = store.query("setting_value", key=key)  # kept per store version: pages read settings often
    value = rows["value"].iloc[0] if len(rows) else None
    return DEFAULTS[key] if value is None else str(value)


def put(store: Store, key: str, value: str) -> None:
    """Store a setting (in its own transaction)."""
    if key not in DEFAULTS:
        raise KeyError(key)
    with store.transaction(touches=("setting",)) as cur:
        run(cur, "setting_put", key=key, value=value)


def today() -> date:
    """Today's date (one place, so tests can set it)."""
    return date.today()


def targets(store: Store) -> list[Target]:
    """Every zero target, oldest legal basis first."""
    rows = json.loads(get(store, "targets"))
    out = [
        Target(date.fromisoformat(r["issued"]), date.fromisoformat(r["zero_by"]), r["basis"]) for r in rows
    ]
    return sorted(out, key=lambda target: (target.issued, target.zero_by))


def target_in_force(store: Store, on: date) -> Target:
    """The target in force on a date: the latest whose legal basis was issued on or before it (the
    oldest target for a date before any was issued)."""
    every = targets(store)
    issued = [target for target in every if target.issued <= on]
    return issued[-1] if issued else every[0]


def add_target(store: Store, issued: date, zero_by: date, basis: str) -> Target:
    """Add a zero target, or raise SettingError (and store nothing) when it does not make sense."""
    basis = " ".join(str(basis).split())
    if not basis or len(basis) > BASIS_MAX:
        raise SettingError.keyed("i15s.basis_length", limit=BASIS_MAX)
    if zero_by <= issued:
        raise SettingError.keyed("i15s.zero_after_issued")
    every = targets(store)
    if any(target.issued == issued for target in every):
        raise SettingError.keyed("i15s.same_issued")
    if any(target.basis.casefold() == basis.casefold() for target in every):
        raise SettingError.keyed("i15s.same_basis")
    target = Target(issued, zero_by, basis)
    value = json.dumps([t.as_json() for t in sorted([*every, target], key=lambda x: (x.issued, x.zero_by))])
    with store.transaction(touches=("setting",)) as cur:
        run(cur, "setting_put", key="targets", value=value)
    return target


def stale_days(store: Store) -> int:
    """Pages say the data is old when the latest snapshot is more than this many days old."""
    try:
        value = int(get(store, "stale_days"))
    except ValueError:
        value = int(DEFAULTS["stale_days"])
    return min(max(value, STALE_DAYS[0]), STALE_DAYS[1])


def put_stale_days(store: Store, days: int) -> None:
    """Store the stale-data age, or raise SettingError (and store nothing) if out of range."""
    low, high = STALE_DAYS
    if isinstance(days, bool) or not isinstance(days, int) or not low <= days <= high:
        raise SettingError.keyed("i15s.stale_range", value=days, low=low, high=high)
    put(store, "stale_days", str(days))


def session_limits(store: Store) -> SessionLimits:
    """The idle timeout and absolute lifetime of sessions (defaults 8 h and 12 h)."""
    return SessionLimits(
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
            run(cur, "setting_put", key=key, value=str(value))


def max_removed_percent(store: Store) -> float:
    """The share (%) of the people on the list a snapshot may remove without an explicit confirmation."""
    return float(get(store, "max_removed_percent"))


DTSEN_DESIL = (1, 10)  # the accepted range of setting dtsen_desil_max: the national desil ranking


def dtsen_rule(store: Store) -> tuple[int, bool]:
    """Who is on the list in a DTSEN snapshot: (desil 1 up to this desil, whether the families
    DinsosPM flagged as extreme-poor are on it too)."""
    try:
        desil_max = int(get(store, "dtsen_desil_max"))
    except ValueError:
        desil_max = int(DEFAULTS["dtsen_desil_max"])
    low, high = DTSEN_DESIL
    return min(max(desil_max, low), high), get(store, "dtsen_flagged") == "1"


def put_dtsen_rule(store: Store, desil_max: int, flagged: bool) -> None:
    """Store the DTSEN list rule in one transaction; a desil outside 1-10 is refused."""
    low, high = DTSEN_DESIL
    if not low <= int(desil_max) <= high:
        raise SettingError.keyed("a19.rule_range", low=low, high=high)
    with store.transaction(touches=("setting",)) as cur:
        run(cur, "setting_put", key="dtsen_desil_max", value=str(int(desil_max)))
        run(cur, "setting_put", key="dtsen_flagged", value="1" if flagged else "0")
