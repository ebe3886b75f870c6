"""File modes for runtime data: the store, its WAL, the manifests, the archive, the inbox and the
accounts and secret files are readable by their owner only (0600, folders 0700).

The entry points (app, CLI, accounts CLI) set a umask of 0o077 first, so whatever creates a file
later (DuckDB's WAL included) creates it private. `secure` tightens files made before that, when
the app or the CLI opens a store. Public inputs in the checkout (data/geo, data/*.csv) are never
touched: only the store's own files, folders named after it and the accounts and secret files are.
"""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

from analytics import config

PRIVATE_UMASK = 0o077
FILE_MODE = 0o600
DIR_MODE = 0o700
log = logging.getLogger("nol_ekstrem.izin")


def private_umask() -> int:
    """Make every file this process creates from now on private (0600/0700); return the old umask."""
    return os.umask(PRIVATE_UMASK)


def runtime_paths(db: Path) -> tuple[list[Path], list[Path]]:
    """(files, folders walked whole) that hold a store's runtime data."""
    from analytics.store import manifest
    from analytics.store.db import archive_dir_for, inbox_dir_for

    db = Path(db)
    files = [db, Path(f"{db}.wal"), manifest.path_for(db), manifest.pending_path_for(db), config.users_path()]
    secret = config.secret_file()
    if secret is not None:
        files.append(secret)
    files.append(config.data_dir() / config.SECRET_FILE_NAME)
    files.append(config.session_key_path())  # the session signing key (made 0600, checked again here)
    folders = [archive_dir_for(db), inbox_dir_for(db)]
    return files, folders


def _tighten(path: Path, mode: int) -> bool:
    try:
        st = path.lstat()
    except FileNotFoundError:
        return False
    if stat.S_ISLNK(st.st_mode) or st.st_mode & 0o077 == 0:
        return False
    os.chmod(path, mode)
    return True


def secure(db: Path) -> list[Path]:
    """Make a store's runtime files 0600 and its folders 0700; log and return what was changed."""
    files, folders = runtime_paths(db)
    fixed = [p for p in files if p.is_file() and _tighten(p, FILE_MODE)]
    if not Path(db).resolve().parent.is_relative_to(config.ROOT) and _tighten(Path(db).parent, DIR_MODE):
        fixed.append(Path(db).parent)  # a data folder of its own (never a folder of the checkout)
    for top in folders:
        if not top.is_dir():
            continue
        for parent in (top.parent, top):  # archive/ and inbox/ themselves, then the store's own folder
            if _tighten(parent, DIR_MODE):
                fixed.append(parent)
        for folder, dirs, names in os.walk(top):
            for d in dirs:
                if _tighten(Path(folder) / d, DIR_MODE):
                    fixed.append(Path(folder) / d)
            for n in names:
                if _tighten(Path(folder) / n, FILE_MODE):
                    fixed.append(Path(folder) / n)
    for path in fixed:
        log.warning("hak akses diperketat (hanya pemilik): %s", path)
    return fixed
