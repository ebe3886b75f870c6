"""Programme settings kept in the store: the target date (names follow roles, see analytics.auth)."""

from __future__ import annotations

from datetime import date

from analytics.store import Store

DEFAULTS: dict[str, str] = {
    "target_date": "2024-12-31",  # Inpres 4/2022; Inpres 4/2025 moved the national target to 2026
    # a snapshot that would remove more than this share (%) of the people on the list needs an
    # explicit confirmation (a 9-row file once marked 4,320 people as leaving)
    "max_removed_percent": "20",
}


def get(store: Store, key: str) -> str:
    """The stored value of a setting, or its default."""
    value = store.scalar("select value from setting where key = ?", [key])
    return DEFAULTS[key] if value is None else str(value)


def put(store: Store, key: str, value: str) -> None:
    """Store a setting (in its own transaction)."""
    if key not in DEFAULTS:
        raise KeyError(key)
    with store.transaction() as cur:
        cur.execute("insert or replace into setting values (?, ?)", [key, value])


def target_date(store: Store) -> date:
    """The date the list should reach zero."""
    return date.fromisoformat(get(store, "target_date"))


def max_removed_percent(store: Store) -> float:
    """The share (%) of the people on the list a snapshot may remove without an explicit confirmation."""
    return float(get(store, "max_removed_percent"))
