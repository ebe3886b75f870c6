"""Programme settings kept in the store: the target date and whether names may be shown."""

from __future__ import annotations

from datetime import date

from analytics.store import Store

DEFAULTS: dict[str, str] = {
    "target_date": "2024-12-31",  # Inpres 4/2022; Inpres 4/2025 moved the national target to 2026
    "show_names": "0",  # named records stay hidden until roles exist
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


def show_names(store: Store) -> bool:
    """Whether pages may show names next to masked NIKs."""
    return get(store, "show_names") == "1"
