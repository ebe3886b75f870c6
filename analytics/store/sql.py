"""Named SQL: one statement per file in analytics/queries/<name>.sql, run with bound parameters.

The lowest layer under analytics.store.db (which re-exports `load_query` and `run`), so that modules the
store itself uses at open (analytics.store.areas) run named statements without importing the store.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import duckdb

QUERIES = Path(__file__).resolve().parents[1] / "queries"
AUDIT_TABLE = "audit_log"  # written outside the store version (Store.version), never reused


@cache
def load_query(name: str) -> str:
    """The text of the named query analytics/queries/<name>.sql."""
    path = QUERIES / f"{name}.sql"
    if not path.is_file():
        raise KeyError(f"no named query {name!r}")
    return path.read_text(encoding="utf-8")


# Statements whose answer may be reused while the store has not changed (Store.query keeps them per
# store version): they only read, and not the audit log (written outside the version, see Store.version)
# or the clock.
_WRITES = re.compile(r"\b(insert|update|delete|create|drop|alter|copy|attach|checkpoint)\b")
_UNCACHED = re.compile(r"\baudit_log\b|\bnow\(|current_date|current_timestamp|\btoday\(|random\(")


@cache
def reusable(name: str) -> bool:
    """Whether the named query only reads stored rows, so one answer holds until the next commit."""
    text = "\n".join(line.split("--", 1)[0] for line in load_query(name).lower().splitlines())
    return not _WRITES.search(text) and not _UNCACHED.search(text)


def run(cur: duckdb.DuckDBPyConnection, name: str, **params: object) -> None:
    """Execute a named DML query on a cursor (inside the caller's transaction) with bound parameters."""
    cur.execute(load_query(name), params or None)
