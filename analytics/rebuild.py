"""Rebuilding the whole store from the raw archive, through the one import function."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pandas as pd

from analytics import archive, atomic, config, manifest, privacy, registry
from analytics.issues import ISSUE_COLUMNS
from analytics.registry_file import PreparedSnapshot
from analytics.store import Store, archive_dir_for

Progress = Callable[[float, str], None]


class RebuildRefused(Exception):
    """The archive cannot rebuild this store; the message says why, in Indonesian."""


def _prepared(meta: archive.Meta, rows: pd.DataFrame) -> PreparedSnapshot:
    warnings = pd.DataFrame(json.loads(meta.warnings), columns=ISSUE_COLUMNS)
    warnings["baris"] = warnings["baris"].astype("Int64")
    return PreparedSnapshot(meta.file_name, meta.sha256, meta.as_of_date, rows, warnings, meta.row_count)


def rebuild(db: Path, progress: Progress = lambda f, m: None) -> int:
    """Replay every archived import, in order, into a new store that then replaces db; return the count.

    The old store file (if any) is kept beside it as <name>.rusak-<time> for inspection. The
    archive itself is read only: replaying does not archive again.
    """
    db = Path(db)
    folder = archive_dir_for(db)
    paths = archive.files(folder)
    if not paths:
        raise RebuildRefused(f"Arsip {folder} kosong: tidak ada snapshot untuk membangun ulang store.")
    secret, _ = config.nik_secret()
    fingerprint = privacy.secret_fingerprint(secret)
    work = db.with_name(db.name + ".bangun-ulang")
    for leftover in (work, Path(f"{work}.wal"), manifest.path_for(work), manifest.pending_path_for(work)):
        atomic.remove(leftover)
    store = Store.open(work)
    store.archive_dir = None
    try:
        for i, path in enumerate(paths):
            meta, rows = archive.read(path)
            if meta.key_fingerprint != fingerprint:
                raise RebuildRefused(
                    f"{path.name}: diimpor dengan kunci NIK lain; pakai NOL_EKSTREM_SECRET yang sama."
                )
            progress(i / len(paths), f"Mengimpor ulang {meta.file_name} ({i + 1}/{len(paths)})")
            registry.commit(
                store,
                _prepared(meta, rows),
                replace=meta.replace,
                user=meta.user,
                is_demo=meta.is_demo,
                imported_at=meta.imported_at_time,
            )
    finally:
        store.close()
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    for old in (db, Path(f"{db}.wal")):
        if old.exists():
            atomic.rename(old, old.with_name(f"{old.name}.rusak-{stamp}"))
    atomic.remove(manifest.pending_path_for(db))
    atomic.rename(work, db)
    atomic.rename(manifest.path_for(work), manifest.path_for(db))
    progress(1.0, f"{len(paths)} impor dari arsip dibangun ulang")
    return len(paths)
