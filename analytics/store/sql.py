"""Named SQL: one statement per file in analytics/queries/<name>.sql, run with bound parameters.

The lowest layer under analytics.store.db (which re-exports `load_query` and `run`), so that modules the
store itself uses at open (analytics.store.areas) run named statements without importing the store.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import duckdb

QUERIES = Path(__file__).parent / "queries"


@cache
def load_query(name: str) -> str:
    """The text of the named query analytics/queries/<name>.sql."""
    path = QUERIES / f"{name}.sql"
    if not path.is_file():
        raise KeyError(f"no named query {name!r}")
    return path.read_text(encoding="utf-8")


def run(cur: duckdb.DuckDBPyConnection, name: str, **params: object) -> None:
    """Execute a named DML query on a cursor (inside the caller's transaction) with bound parameters."""
    cur.execute(load_query(name), params or None)
