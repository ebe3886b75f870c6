"""The DuckDB store: opening, self-migrating schema, named queries and transactions."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import duckdb
import pandas as pd

from analytics import areas

MIGRATIONS = Path(__file__).parent / "migrations"
QUERIES = Path(__file__).parent / "queries"
CONNECT_CONFIG = {"enable_external_access": False, "lock_configuration": True}


@cache
def load_query(name: str) -> str:
    """The text of the named query analytics/queries/<name>.sql."""
    path = QUERIES / f"{name}.sql"
    if not path.is_file():
        raise KeyError(f"no named query {name!r}")
    return path.read_text(encoding="utf-8")


def migrations() -> list[tuple[int, str, str]]:
    """(version, name, sql) of every migration file, in order."""
    found = []
    for path in sorted(MIGRATIONS.glob("*.sql")):
        version = int(path.name.split("_", 1)[0])
        found.append((version, path.stem, path.read_text(encoding="utf-8")))
    return found


def migrate(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Apply the migrations not yet applied, each in its own transaction; return those applied."""
    con.execute(
        "create table if not exists schema_version ("
        "version integer primary key, name varchar not null, applied_at timestamp not null)"
    )
    done = {row[0] for row in con.execute("select version from schema_version").fetchall()}
    applied = []
    for version, name, sql in migrations():
        if version in done:
            continue
        con.execute("begin transaction")
        try:
            con.execute(sql)
            con.execute("insert into schema_version values (?, ?, current_timestamp)", [version, name])
            con.execute("commit")
        except Exception:
            con.execute("rollback")
            raise
        applied.append(version)
    return applied


class Store:
    """One DuckDB database per process; each call gets its own cursor (a thread-safe handle)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, path: Path | None) -> None:
        self._con = con
        self.path = path
        self.write_lock = threading.Lock()

    @classmethod
    def open(cls, path: Path | str | None) -> Store:
        """Open (or create) the store at path (None = in memory), migrate it and load areas."""
        if path is not None:
            path = Path(path)
            path.parent.mkdir(parents=True, exist_ok=True)
        # The store never reads files itself: inputs arrive as DataFrames from the importer.
        con = duckdb.connect(str(path) if path else ":memory:", config=CONNECT_CONFIG)
        migrate(con)
        store = cls(con, path)
        areas.ensure_loaded(store)
        return store

    def close(self) -> None:
        """Checkpoint and close the connection."""
        try:
            self._con.execute("checkpoint")
        finally:
            self._con.close()

    @contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A fresh cursor for one unit of work."""
        cur = self._con.cursor()
        try:
            yield cur
        finally:
            cur.close()

    def query(self, name: str, **params: object) -> pd.DataFrame:
        """Run the named query with bound $parameters and return a DataFrame."""
        sql = load_query(name)
        with self.cursor() as cur:
            return cur.execute(sql, params or None).df()

    def scalar(self, sql: str, params: list | dict | None = None) -> object:
        """One value from an internal (non-user) statement."""
        with self.cursor() as cur:
            row = cur.execute(sql, params).fetchone()
        return row[0] if row else None

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """An explicit BEGIN ... COMMIT on one cursor; any error rolls everything back."""
        with self.write_lock, self.cursor() as cur:
            cur.execute("begin transaction")
            try:
                yield cur
            except BaseException:
                cur.execute("rollback")
                raise
            cur.execute("commit")

    def checkpoint(self) -> None:
        """Flush the WAL into the database file."""
        with self.cursor() as cur:
            cur.execute("checkpoint")
