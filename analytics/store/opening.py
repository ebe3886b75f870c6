"""Opening a store file for serving: wait while another process holds it, check it against its
manifest, migrate it; and adopting a store as it is (`periksa --terima`). Above the store, its
manifest and the audit trail, so that none of those imports another in a loop."""

from __future__ import annotations

import time
from pathlib import Path

import duckdb

from analytics import i18n
from analytics.store import audit
from analytics.store.db import Store, is_lock_error
from analytics.store.manifest import VERSION, StoreUnavailable, _check, _read, _say, _tables, path_for, record


def open_verified(db: Path, wait_seconds: float = 10.0) -> Store:
    """Open a store file for serving: wait while another process holds it, check it against its
    manifest (before migrating it, with the checksums of the manifest's version), migrate it and
    record the manifest anew when the schema or the manifest's version changed.

    Any DuckDB error on the way (a damaged file) is a StoreUnavailable, never a traceback.
    """
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            store = Store.open(db, migrate=False)
            break
        except duckdb.Error as exc:
            if not is_lock_error(exc):
                raise StoreUnavailable("toko.cannot_open", name=db.name, error=exc) from exc
            if time.monotonic() >= deadline:
                raise StoreUnavailable("toko.busy", name=db.name) from exc
            time.sleep(0.25)
    try:
        verify_and_migrate(store)
    except StoreUnavailable:
        _close_quietly(store)
        raise
    except duckdb.Error as exc:
        _close_quietly(store)
        raise StoreUnavailable("h4.damaged", name=db.name, error=short_error(exc)) from exc
    return store


def verify_and_migrate(store: Store) -> None:
    """For a store opened with migrate=False: check it against its manifest (at the manifest's
    version), then migrate it and record the manifest anew if the schema or the version changed.
    Raises StoreUnavailable when the check fails (the store is then left unmigrated)."""
    db = store.path
    if "schema_version" not in _tables(store._con):
        store.finish_open()  # a new file: nothing to check before it has its tables
    problems = _check(store)
    if problems:
        unverified = problems[0][0] in ("h4.no_manifest", "h4.old_manifest")
        raise StoreUnavailable("h4.unverified" if unverified else "toko.mismatch", problems, name=db.name)
    current = _read(path_for(db))
    migrated = store.finish_open()
    if migrated or not isinstance(current, dict) or current.get("version") != VERSION:
        record(store)
    if store.journal is not None:
        store.journal.verified = True


def short_error(exc: BaseException) -> str:
    """The first line of a DuckDB error (its stack trace, if any, is for developers)."""
    return str(exc).strip().splitlines()[0][:300] if str(exc).strip() else type(exc).__name__


def _close_quietly(store: Store) -> None:
    try:
        store._con.close()
    except duckdb.Error:
        pass


def adopt(db: Path, user: str) -> Store:
    """Record the store's present state as its manifest, after the operator checked it by other
    means (`periksa --terima`); the adoption and what it replaced go into the audit log."""
    before = _read(path_for(db))
    try:
        store = Store.open(db, migrate=False)
    except duckdb.Error as exc:
        raise StoreUnavailable("h4.damaged", name=db.name, error=short_error(exc)) from exc
    try:
        problems = _check(store)
        store.finish_open()
        record(store)
        if before is None:
            was = "tanpa manifest"
        elif isinstance(before, str):
            was = "manifest tidak terbaca"
        else:
            was = f"manifest versi {before.get('version')}"
        detail = f"Store diterima apa adanya oleh operator ({was}); {len(problems)} temuan: " + "; ".join(
            _say(problems[:5], i18n.DEFAULT)
        )
        audit.log(store, user, None, "pengaturan", "store:terima", None, detail[:2000])
    except duckdb.Error as exc:
        _close_quietly(store)
        raise StoreUnavailable("h4.damaged", name=db.name, error=short_error(exc)) from exc
    return store
