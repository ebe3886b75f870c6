"""The DuckDB store: opening, self-migrating schema, named queries and transactions."""

from __future__ import annotations

import itertools
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd

from analytics.store import archive, areas
from analytics.store.sql import AUDIT_TABLE, QUERIES, load_query, reusable, run  # noqa: F401  (from analytics.store.db import run)

MIGRATIONS = Path(__file__).parent / "migrations"
ANSWERS_KEPT = 512  # kept answers of read-only named queries (Store.query), least recently used go first
ANSWER_ROWS_KEPT = 20_000  # larger answers (whole named lists at scale) are not kept
_OPENED = itertools.count(1)  # each Store's versions start in a range of their own (Store.version)
CONNECT_CONFIG = {"enable_external_access": False, "lock_configuration": True}


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


class _Gate:
    """Readers share it; a checkpoint waits for them to drain and holds new ones back meanwhile.

    DuckDB refuses CHECKPOINT while other transactions are active ("there are other write
    transactions active"), which page reads in other threads nearly always are.
    """

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._exclusive = False

    @contextmanager
    def shared(self) -> Iterator[None]:
        """Hold while a cursor is in use."""
        with self._cond:
            while self._exclusive:
                self._cond.wait()
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                self._cond.notify_all()

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        """Hold while checkpointing: no cursor of this store is in use."""
        with self._cond:
            while self._exclusive:
                self._cond.wait()
            self._exclusive = True
            while self._readers:
                self._cond.wait()
        try:
            yield
        finally:
            with self._cond:
                self._exclusive = False
                self._cond.notify_all()


def inbox_dir_for(path: Path) -> Path:
    """The inbox of the store file at path (analytics.ingest.inbox): <folder>/inbox/<file stem>."""
    return path.parent / "inbox" / path.stem


def archive_dir_for(path: Path) -> Path:
    """Where the imports into the store file at path are archived: <folder>/archive/<file stem>."""
    return path.parent / "archive" / path.stem


def is_lock_error(exc: BaseException) -> bool:
    """Whether opening failed because another process holds the store file."""
    return isinstance(exc, duckdb.IOException) and "lock" in str(exc).lower()


REOPEN_WAIT = 120.0  # seconds a reopening store waits for another process that took the file meanwhile


def _reconnect(path: Path, wait_seconds: float = REOPEN_WAIT) -> duckdb.DuckDBPyConnection:
    """Open the store file again after closing it. Another process polling for the lock (a
    command-line import waiting its turn) can take the file in that gap: wait for it to let go,
    rather than leave this process with a closed connection."""
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            return duckdb.connect(str(path), config=CONNECT_CONFIG)
        except duckdb.Error as exc:
            if not is_lock_error(exc) or time.monotonic() >= deadline:
                raise
            time.sleep(0.1)


def no_progress(_fraction: float, _message: str) -> None:
    """The default progress callback: report nothing."""


class Store:
    """One DuckDB database per process, shared by threads.

    Concurrency model (tests/test_concurrency.py): every call gets its own cursor, i.e. its own
    connection to the one in-process database, so threads never share a connection (a shared
    connection refuses concurrent calls: "connection is busy"). Each statement sees one committed
    state (MVCC); `read()` pins one read transaction per thread so several queries see the same
    state. Writers serialise on write_lock; an import commits in one transaction, then
    `checkpoint()` waits for every reader and writer, flushes the WAL and (in the app, `reopens`)
    reopens the file.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection, path: Path | None) -> None:
        self._con = con
        self.path = path
        # Each import is also archived here (see analytics.store.archive); None = no archive.
        self.archive_dir = archive_dir_for(path) if path is not None else None
        self.write_lock = threading.Lock()
        self._writer: int | None = None  # the thread inside transaction(), if any
        self._local = threading.local()
        self._gate = _Gate()
        # Bumped after every commit but the audit log's own and after every reopen: pages cache what
        # they build from the store under it, and Store.query keeps read-only answers per version.
        self._version = next(_OPENED) << 32  # a store opened afresh never repeats an old one's version
        self._answers: OrderedDict[tuple, pd.DataFrame] = OrderedDict()
        self._answers_lock = threading.Lock()
        # Reopen the file after each checkpoint: only the long-running app wants it (a freshly opened
        # file reads faster after many imports). A short process (CLI, script, test) keeps its
        # connection: closing it would let a waiting process take the file in the gap, and the import
        # that just committed would then fail to reopen (tests/test_concurrency.py).
        self.reopens = False
        # Keeps the manifest beside a store file in step with every commit (analytics.store.manifest).
        self.journal = None
        if path is not None:
            from analytics.store import manifest  # noqa: PLC0415 (loaded on first use: db is the lowest store module)

            self.journal = manifest.Journal(self)

    @classmethod
    def open(cls, path: Path | str | None, *, migrate: bool = True) -> Store:
        """Open (or create) the store at path (None = in memory), migrate it and load areas.

        With migrate=False the schema is left as it is (so that the manifest of an older store
        can be checked before migrating); `finish_open()` then migrates and loads the areas.
        """
        if path is not None:
            path = Path(path)
            path.parent.mkdir(parents=True, exist_ok=True)
        # The store never reads files itself: inputs arrive as DataFrames from the importer.
        con = duckdb.connect(str(path) if path else ":memory:", config=CONNECT_CONFIG)
        store = cls(con, path)
        if migrate:
            store.finish_open()
        return store

    def pending_migrations(self) -> list[int]:
        """The migrations this store file has not had yet (all of them for a new file)."""
        present = {r[0] for r in self._con.execute("select table_name from duckdb_tables()").fetchall()}
        if "schema_version" not in present:
            return [v for v, _, _ in migrations()]
        done = {r[0] for r in self._con.execute("select version from schema_version").fetchall()}
        return [v for v, _, _ in migrations() if v not in done]

    def finish_open(self) -> list[int]:
        """Apply the pending migrations and load the areas; return the migrations applied."""
        applied = migrate(self._con)
        # Archive files written before migration 016 still hold birth dates and long NIK masks. The
        # file lock is held now, so no other process rewrites them at the same time.
        archive.upgrade(self.archive_dir)
        areas.ensure_loaded(self)
        return applied

    def close(self) -> None:
        """Checkpoint and close the connection."""
        try:
            self._con.execute("checkpoint")
        finally:
            self._con.close()

    @contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A fresh cursor for one unit of work (the thread's pinned one inside read())."""
        pinned = getattr(self._local, "reader", None)
        if pinned is not None:
            yield pinned
            return
        with self._gate.shared():
            cur = self._con.cursor()
            try:
                yield cur
            finally:
                cur.close()

    @contextmanager
    def read(self) -> Iterator[None]:
        """Queries of this thread inside the block all see one committed state (one read transaction)."""
        if getattr(self._local, "reader", None) is not None:
            yield  # nested: the outer block's state holds
            return
        with self._gate.shared():
            version = self._version  # taken before the transaction begins: never newer than what it sees
            cur = self._con.cursor()
            cur.execute("begin transaction")
            self._local.reader = cur
            self._local.version = version
            try:
                yield
            finally:
                self._local.reader = None
                self._local.version = None
                try:
                    cur.execute("rollback")  # nothing to keep: the block only reads
                finally:
                    cur.close()

    @property
    def version(self) -> int:
        """Changes whenever what the pages read may have changed (a commit other than an audit row's).

        In a read() block it is the version taken as the block began, so an answer is never kept
        under a newer version than the state it was read from.
        """
        pinned = getattr(self._local, "version", None)
        return self._version if pinned is None else pinned

    def changed(self) -> None:
        """Forget every kept answer: the stored state has moved on."""
        with self._answers_lock:
            self._version += 1
            self._answers.clear()

    def query(self, name: str, **params: object) -> pd.DataFrame:
        """Run the named query with bound $parameters and return a DataFrame.

        Answers of read-only queries (`sql.reusable`) are kept per store version, so a page rerun
        that asks the same again does not touch DuckDB; each caller gets its own copy.
        """
        sql = load_query(name)
        key = None
        if reusable(name) and self._writer != threading.get_ident():
            try:
                key = (self.version, name, tuple(sorted(params.items())))
                hash(key)
            except TypeError:  # a list parameter: not kept
                key = None
        if key is not None:
            with self._answers_lock:
                kept = self._answers.get(key)
                if kept is not None:
                    self._answers.move_to_end(key)
                    return kept.copy()
        with self.cursor() as cur:
            answer = cur.execute(sql, params or None).df()
        if key is not None and len(answer) <= ANSWER_ROWS_KEPT:
            with self._answers_lock:
                if key[0] == self._version:  # not kept if the store moved on meanwhile
                    self._answers[key] = answer.copy()
                    while len(self._answers) > ANSWERS_KEPT:
                        self._answers.popitem(last=False)
        return answer

    def scalar(self, sql: str, params: list | dict | None = None) -> object:
        """One value from an internal (non-user) statement."""
        with self.cursor() as cur:
            row = cur.execute(sql, params).fetchone()
        return row[0] if row else None

    def snapshot_count(self) -> int:
        """How many registry snapshots the store holds."""
        return int(self.scalar(load_query("snapshot_count")))

    def holds_demo(self) -> bool:
        """True while any stored snapshot came from the demo generator."""
        return bool(self.scalar(load_query("snapshot_count_demo")))

    @contextmanager
    def transaction(self, touches: tuple[str, ...] | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
        """An explicit BEGIN ... COMMIT on one cursor; any error rolls everything back.

        For a store file the journal records the new state in the manifest before COMMIT and
        makes it current after: touches names the only tables the transaction changes (None =
        any but person and person_interval, which only a snapshot import changes; () = none the
        manifest covers).
        """
        with self.write_lock:
            self._writer = threading.get_ident()
            cur = self._con.cursor()  # never a thread's pinned read cursor
            try:
                cur.execute("begin transaction")
                try:
                    yield cur
                    staged = self.journal.before_commit(cur, touches) if self.journal else None
                except BaseException:
                    cur.execute("rollback")
                    cur.close()
                    if self.journal:
                        self.journal.rolled_back()
                    raise
                try:
                    cur.execute("commit")
                finally:
                    cur.close()
                    if touches != (AUDIT_TABLE,):
                        self.changed()
                if staged:
                    self.journal.after_commit()
            finally:
                self._writer = None

    def checkpoint(self) -> None:
        """Flush the WAL into the database file once no reader or writer of this store is busy,
        then (when `reopens`, as in the app) open a store file afresh.

        DuckDB's CHECKPOINT returns at once, with no error, while another session's write
        transaction is open (tests/test_concurrency.py), so this waits for the writer too: it
        holds the readers back only while no write is under way, and lets them on again between
        tries. Reopening matters for a long-running app: after many imports in one process,
        DuckDB's in-memory copy of the appended and updated tables is slower to read than the
        same file freshly opened (bench/README.md), and every import ends here.
        """
        if self._writer == threading.get_ident():
            raise RuntimeError("checkpoint inside this thread's own transaction would never run")
        while True:
            with self._gate.exclusive():
                if self.write_lock.acquire(blocking=False):
                    try:
                        cur = self._con.cursor()
                        try:
                            cur.execute("checkpoint")
                        finally:
                            cur.close()
                        if self.path is not None and self.reopens:
                            self._con.close()
                            self._con = _reconnect(self.path)
                            self.changed()
                    finally:
                        self.write_lock.release()
                    return
            time.sleep(0.05)  # another session is writing: readers go on meanwhile
