"""Rebuilding the whole store from the raw archive, through each import's own function.

The archive holds every committed import (registry snapshots, OPD intervention files, population
tables) in its original order; each is replayed through its kind's importer
(`ingest.kinds.KINDS[kind].replay`, which commits it again with its original time). What no file
carries — settings, the import log, the hash-chained audit
log and the OPD/programme catalog — is copied verbatim from the old store when it can still be
opened read-only.
"""

from __future__ import annotations

import getpass
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd

from analytics import config, i18n
from analytics.ingest import interventions
from analytics.ingest.kinds import importer
from analytics.store import archive, atomic, audit, manifest, privacy
from analytics.store.db import CONNECT_CONFIG, Store, archive_dir_for, is_lock_error, load_query, run
from analytics.store.holder import describe

Progress = Callable[[float, str], None]
# Tables no archived file carries, copied verbatim from the old store (the audit chain stays intact;
# keluarga_tanda: the families DinsosPM flagged, whose changes are in the audit chain).
CARRIED = ("setting", "import_log", "audit_log", "keluarga_tanda")
CATALOG = ("opd", "program")
# Sequences behind ids that must keep counting after the copied rows.
SEQUENCES = {"import_log": ("log_id", "import_log_id_seq"), "audit_log": ("entry_id", "audit_log_id_seq")}


class RebuildRefused(i18n.Refusal):
    """The archive cannot rebuild this store; the message says why, in the current language.

    `log_text` is the same message in Indonesian.
    """


_refused = RebuildRefused.keyed


@dataclass
class OldStore:
    """What could be read of the old store: its carried and catalog tables, and why any carried
    table could not be read (table -> error)."""

    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    lost: dict[str, str] = field(default_factory=dict)


def old_tables(db: Path) -> OldStore | None:
    """The carried and catalog tables of the old store, each read on its own (None: no old file).

    A table that cannot be read is named in `lost`; the others are still carried.
    """
    if not db.exists():
        return None
    try:
        con = duckdb.connect(str(db), read_only=True, config=CONNECT_CONFIG)
    except duckdb.Error as exc:
        return OldStore(lost=dict.fromkeys(CARRIED, _first_line(exc)))
    old = OldStore()
    try:
        present = {r[0] for r in con.execute(load_query("store_tables")).fetchall()}
    except duckdb.Error as exc:
        con.close()
        return OldStore(lost=dict.fromkeys(CARRIED, _first_line(exc)))
    try:
        for table in (*CARRIED, *CATALOG, "intervensi_state"):
            if table not in present:
                continue
            try:
                if table == "intervensi_state":
                    old.tables[table] = con.execute(load_query("catalog_state_rows")).df()
                else:
                    old.tables[table] = con.execute(load_query("table_rows"), {"table": table}).df()
            except duckdb.Error as exc:
                if table in CARRIED:
                    old.lost[table] = _first_line(exc)
    finally:
        con.close()
    return old


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]


def _audit_problem(db: Path, old: OldStore | None) -> str | None:
    """Why the audit log read from the old store is not the one the manifest anchors, if it is not."""
    try:
        state = json.loads(manifest.path_for(db).read_text(encoding="utf-8"))
        head = state["tables"][manifest.AUDIT]
    except (OSError, ValueError, KeyError, TypeError):
        return None  # no anchor (no manifest, or one from before anchors): nothing to compare
    rows, last_id, last_hash = head
    log = old.tables.get(manifest.AUDIT) if old else None
    if log is None:
        return None if rows == 0 else f"{rows} entri tercatat di manifest"
    anchored = log[log["entry_id"] <= last_id]
    found = anchored.loc[anchored["entry_id"] == last_id, "entry_hash"]
    if len(anchored) < rows or (rows and (found.empty or found.iloc[0] != last_hash)):
        return f"manifest mencatat {rows} entri, store lama memuat {len(anchored)}"
    broken = audit.broken_link(log)
    if broken is not None:
        return f"rantai putus pada entri {broken}"
    return None


def check_carried(db: Path, old: OldStore | None, accept_loss: bool) -> dict[str, str]:
    """What would be lost of the settings, import log and audit log (table -> why, Indonesian).

    Refuses when anything would be lost, unless the operator accepted the loss
    (`bangun-ulang --terima-kehilangan-log`); then the loss is returned, to be logged.
    """
    lost = dict(old.lost) if old else {}
    if old is None and manifest.path_for(db).exists():
        lost.update(dict.fromkeys(CARRIED, "file store lama tidak ada"))
    problem = _audit_problem(db, old)
    if problem is not None:
        lost.setdefault(manifest.AUDIT, problem)
    if lost and not accept_loss:
        raise _refused("h4.rebuild_would_lose", tables=", ".join(sorted(lost)))
    return lost


def _log_loss(store: Store, lost: dict[str, str]) -> None:
    """An audit entry in the new store saying what the rebuild could not carry over."""
    if not lost:
        return
    detail = "Bangun ulang tanpa: " + "; ".join(f"{t} ({why})" for t, why in sorted(lost.items()))
    audit.log(store, getpass.getuser(), None, "pengaturan", "bangun-ulang:kehilangan", None, detail[:2000])


def _advance(cur: duckdb.DuckDBPyConnection, sequence: str, to: int) -> None:
    """Make the sequence's next value greater than `to` (DuckDB has no setval)."""
    current = cur.execute(load_query("sequence_next"), {"sequence": sequence}).fetchall()[0][0]
    if to > current:
        cur.execute(load_query("sequence_skip"), {"sequence": sequence, "n": to - current}).fetchall()


def _restore_catalog(store: Store, old_store: OldStore | None, needed: bool) -> None:
    """The OPD/programme catalog the old store used, or the catalog files when it is unreadable."""
    old = old_store.tables if old_store else None
    if old and all(t in old for t in (*CATALOG, "intervensi_state")) and len(old["opd"]):
        with store.transaction() as cur:
            for table in (*CATALOG, "intervensi_state"):
                cur.register("old_rows", old[table])
                run(cur, f"carry_{table}")
                cur.unregister("old_rows")
    elif needed:
        interventions.ensure_catalog(store)


def _carry_over(store: Store, old_store: OldStore, lost: dict[str, str]) -> None:
    """Replace settings and the import and audit logs with the old store's rows, verbatim; then
    log what could not be carried (the operator accepted that loss)."""
    old = old_store.tables
    with store.transaction() as cur:
        for table in CARRIED:
            if table not in old:
                continue
            cur.register("old_rows", old[table])
            run(cur, f"carry_{table}")
            cur.unregister("old_rows")
            if table in SEQUENCES:
                column, sequence = SEQUENCES[table]
                top = old[table][column].max() if len(old[table]) else 0
                _advance(cur, sequence, int(top))
    _log_loss(store, lost)


def _replay(store: Store, meta: archive.Meta, rows: pd.DataFrame) -> None:
    """One archived import through its kind's importer, keeping its time and ids."""
    found = importer(meta.kind)
    if found is None:
        raise _refused("bangun.unknown_kind", file=meta.file_name, kind=meta.kind)
    found.replay(store, meta, rows)


def _rebuild(db: Path, progress: Progress = lambda f, m: None, accept_loss: bool = False) -> int:
    """Replay every archived import, in order, into a new store that then replaces db; return the count.

    The old store file (if any) is kept beside it as <name>.rusak-<time> for inspection. The
    archive itself is read only: replaying does not archive again. Settings and the import and
    audit logs are carried over from the old store; when any of them cannot be (or the audit log
    is not the one the manifest anchors) the rebuild is refused unless accept_loss, and then the
    loss is written to the new store's audit log.
    """
    db = Path(db)
    folder = archive_dir_for(db)
    archive.upgrade(folder)  # files of a store never opened since migration 016
    paths = archive.files(folder)
    if not paths:
        raise _refused("bangun.archive_empty", folder=folder)
    secret, _ = config.nik_secret()
    fingerprint = privacy.secret_fingerprint(secret)
    metas = [archive.read_meta(p) for p in paths]
    for path, meta in zip(paths, metas, strict=True):
        if meta.key_fingerprint != fingerprint:
            raise _refused("bangun.other_key", file=path.name)
    old = old_tables(db)
    lost = check_carried(db, old, accept_loss)
    if lost:
        progress(0.0, i18n.t("h4.rebuild_losing", tables=", ".join(sorted(lost))))
    work = db.with_name(db.name + ".bangun-ulang")
    for leftover in (work, Path(f"{work}.wal"), manifest.path_for(work), manifest.pending_path_for(work)):
        atomic.remove(leftover)
    store = Store.open(work)
    store.archive_dir = None
    try:
        _restore_catalog(store, old, any(m.kind == "intervensi" for m in metas))
        for i, path in enumerate(paths):
            meta, rows = archive.read(path)
            progress(i / len(paths), i18n.t("bangun.replaying", file=meta.file_name, i=i + 1, n=len(paths)))
            _replay(store, meta, rows)
        if store.scalar(load_query("intervensi_count")):
            with store.transaction() as cur:  # summaries against the final list and catalog
                interventions.refresh(cur, None)
        if old is not None:
            _carry_over(store, old, lost)
        else:
            _log_loss(store, lost)
        store.checkpoint()
        manifest.record(store)
    finally:
        store.close()
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    for old_file in (db, Path(f"{db}.wal")):
        if old_file.exists():
            atomic.rename(old_file, old_file.with_name(f"{old_file.name}.rusak-{stamp}"))
    atomic.remove(manifest.pending_path_for(db))
    atomic.rename(work, db)
    atomic.rename(manifest.path_for(work), manifest.path_for(db))
    progress(1.0, i18n.t("bangun.rebuilt", n=len(paths)))
    return len(paths)


def _exclusive(db: Path) -> duckdb.DuckDBPyConnection | None:
    """A read-only connection to the store file, so that no other process can open it for writing
    until it closes; refused while another process holds it. None when there is no readable file."""
    if not db.exists():
        return None
    try:
        return duckdb.connect(str(db), read_only=True, config=CONNECT_CONFIG)
    except duckdb.Error as exc:
        if is_lock_error(exc):
            raise _refused("h3.rebuild_held", db=db.name, holder=describe(exc)) from exc
        return None  # unreadable: nobody else can serve it either; old_tables reports it


def rebuild(db: Path, progress: Progress = lambda f, m: None, accept_loss: bool = False) -> int:
    """Rebuild db from its archive (see _rebuild); refused while any other process holds the store.

    The check comes before any work and holds until the new store has replaced the old one:
    renaming a store file another process has open leaves it unopenable ("WAL does not match").
    """
    db = Path(db)
    guard = _exclusive(db)
    try:
        return _rebuild(db, progress, accept_loss)
    finally:
        if guard is not None:
            guard.close()
