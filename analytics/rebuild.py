"""Rebuilding the whole store from the raw archive, through each import's own function.

The archive holds every committed import (registry snapshots, OPD intervention files, population
tables) in its original order; they are replayed through registry.commit, interventions.commit
and population.commit. What no file carries — settings, the import log, the hash-chained audit
log and the OPD/programme catalog — is copied verbatim from the old store when it can still be
opened read-only.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd

from analytics import archive, atomic, config, i18n, interventions, manifest, population, privacy, registry
from analytics.intervention_file import PreparedInterventions
from analytics.issues import ISSUE_COLUMNS
from analytics.population_file import PreparedPopulation
from analytics.registry_file import PreparedSnapshot
from analytics.store import CONNECT_CONFIG, Store, archive_dir_for

Progress = Callable[[float, str], None]
# Tables no archived file carries, copied verbatim from the old store (the audit chain stays intact).
CARRIED = ("setting", "import_log", "audit_log")
CATALOG = ("opd", "program")
# Sequences behind ids that must keep counting after the copied rows.
SEQUENCES = {"import_log": ("log_id", "import_log_id_seq"), "audit_log": ("entry_id", "audit_log_id_seq")}


class RebuildRefused(i18n.Refusal):
    """The archive cannot rebuild this store; the message says why, in the current language.

    `log_text` is the same message in Indonesian.
    """


_refused = RebuildRefused.keyed


def _issues(meta: archive.Meta) -> pd.DataFrame:
    issues = pd.DataFrame(json.loads(meta.warnings), columns=ISSUE_COLUMNS)
    issues["baris"] = issues["baris"].astype("Int64")
    return issues


def _prepared(meta: archive.Meta, rows: pd.DataFrame) -> PreparedSnapshot:
    return PreparedSnapshot(meta.file_name, meta.sha256, meta.as_of_date, rows, _issues(meta), meta.row_count)


def old_tables(db: Path) -> dict[str, pd.DataFrame] | None:
    """The carried and catalog tables of the old store, or None when it cannot be opened read-only."""
    if not db.exists():
        return None
    try:
        con = duckdb.connect(str(db), read_only=True, config=CONNECT_CONFIG)
    except duckdb.Error:
        return None
    try:
        present = {r[0] for r in con.execute("select table_name from duckdb_tables()").fetchall()}
        out = {t: con.execute(f"select * from {t}").df() for t in (*CARRIED, *CATALOG) if t in present}  # noqa: S608
        if "intervensi_state" in present:
            out["intervensi_state"] = con.execute("select * from intervensi_state where key = 'katalog'").df()
        return out
    except duckdb.Error:
        return None
    finally:
        con.close()


def _advance(cur: duckdb.DuckDBPyConnection, sequence: str, to: int) -> None:
    """Make the sequence's next value greater than `to` (DuckDB has no setval)."""
    current = cur.execute(f"select nextval('{sequence}')").fetchall()[0][0]
    if to > current:
        cur.execute(f"select max(nextval('{sequence}')) from range({to - current})").fetchall()


def _restore_catalog(store: Store, old: dict[str, pd.DataFrame] | None, needed: bool) -> None:
    """The OPD/programme catalog the old store used, or the catalog files when it is unreadable."""
    if old and all(t in old for t in (*CATALOG, "intervensi_state")) and len(old["opd"]):
        with store.transaction() as cur:
            for table in (*CATALOG, "intervensi_state"):
                cur.register("old_rows", old[table])
                cur.execute(f"delete from {table}")  # noqa: S608
                cur.execute(f"insert into {table} by name select * from old_rows")  # noqa: S608
                cur.unregister("old_rows")
    elif needed:
        interventions.ensure_catalog(store)


def _carry_over(store: Store, old: dict[str, pd.DataFrame]) -> None:
    """Replace settings and the import and audit logs with the old store's rows, verbatim."""
    with store.transaction() as cur:
        for table in CARRIED:
            if table not in old:
                continue
            cur.register("old_rows", old[table])
            cur.execute(f"delete from {table}")  # noqa: S608
            cur.execute(f"insert into {table} by name select * from old_rows")  # noqa: S608
            cur.unregister("old_rows")
            if table in SEQUENCES:
                column, sequence = SEQUENCES[table]
                top = cur.execute(f"select coalesce(max({column}), 0) from {table}").fetchall()[0][0]  # noqa: S608
                _advance(cur, sequence, int(top))


def _replay(store: Store, meta: archive.Meta, rows: pd.DataFrame, berkas_seq: list[int]) -> None:
    """One archived import through its own import function, keeping its time and ids."""
    stamp = meta.imported_at_time
    if meta.kind == "registri":
        registry.commit(
            store,
            _prepared(meta, rows),
            replace=meta.replace,
            user=meta.user,
            is_demo=meta.is_demo,
            imported_at=stamp,
            confirmed=True,  # confirmed (or the demo build) when it was first imported
        )
    elif meta.kind == "intervensi":
        if meta.berkas_id is not None and meta.berkas_id - 1 > berkas_seq[0]:
            with store.transaction() as cur:  # ids skipped by imports that rolled back
                _advance(cur, "intervensi_berkas_id_seq", meta.berkas_id - 1)
            berkas_seq[0] = meta.berkas_id - 1
        prepared = PreparedInterventions(
            meta.file_name, meta.sha256, meta.kode_opd, rows, _issues(meta), meta.row_count
        )
        interventions.commit(store, prepared, mode=meta.mode, user=meta.user, is_demo=meta.is_demo)
        berkas_seq[0] += 1
        with store.transaction() as cur:
            cur.execute("update intervensi_berkas set imported_at = ? where sha256 = ?", [stamp, meta.sha256])
    elif meta.kind == "penduduk":
        prepared = PreparedPopulation(meta.file_name, meta.sha256, rows, _issues(meta), meta.row_count)
        population.commit(store, prepared, meta.user)
        with store.transaction() as cur:
            cur.execute("update population_file set imported_at = ? where sha256 = ?", [stamp, meta.sha256])
    else:
        raise _refused("bangun.unknown_kind", file=meta.file_name, kind=meta.kind)


def rebuild(db: Path, progress: Progress = lambda f, m: None) -> int:
    """Replay every archived import, in order, into a new store that then replaces db; return the count.

    The old store file (if any) is kept beside it as <name>.rusak-<time> for inspection. The
    archive itself is read only: replaying does not archive again.
    """
    db = Path(db)
    folder = archive_dir_for(db)
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
    if old is None:
        progress(0.0, i18n.t("bangun.old_unreadable"))
    work = db.with_name(db.name + ".bangun-ulang")
    for leftover in (work, Path(f"{work}.wal"), manifest.path_for(work), manifest.pending_path_for(work)):
        atomic.remove(leftover)
    store = Store.open(work)
    store.archive_dir = None
    try:
        _restore_catalog(store, old, any(m.kind == "intervensi" for m in metas))
        berkas_seq = [0]
        for i, path in enumerate(paths):
            meta, rows = archive.read(path)
            progress(i / len(paths), i18n.t("bangun.replaying", file=meta.file_name, i=i + 1, n=len(paths)))
            _replay(store, meta, rows, berkas_seq)
        if store.scalar("select count(*) from intervensi"):
            with store.transaction() as cur:  # summaries against the final list and catalog
                interventions.refresh(cur, None)
        if old is not None:
            _carry_over(store, old)
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
