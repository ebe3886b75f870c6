"""What changes when real data arrives: imports need a real NIK key, and the demo accounts go.

The demo key is published in the README, so a person key made with it reverses by brute force over
the NIK space. Only the demo build (is_demo=True) may run under it. The first real import disables
the documented demo accounts found in the accounts file, and says so in the audit and import logs.
"""

from __future__ import annotations

import os
import secrets
from datetime import datetime
from pathlib import Path

from analytics import config, i18n
from analytics.access import auth
from analytics.store import audit
from analytics.store.db import Store, load_query, run

SECRET_BYTES = 48  # 384 random bits, written as URL-safe base64 (64 characters)


class SecretRefused(i18n.Refusal):
    """A secret file could not be written (it exists, or its folder is not writable)."""


def import_secret(is_demo: bool, refusal: type[i18n.Refusal]) -> bytes:
    """The NIK key for an import, or `refusal` when a file that is not the demo build would be
    keyed with the public demo key (or the configured secret file cannot be read)."""
    try:
        secret, is_demo_key = config.nik_secret()
    except config.SecretUnreadable as exc:
        raise refusal(str(exc), exc.log_text) from None
    if is_demo_key and not is_demo:
        raise refusal.keyed("h2.no_secret", command=new_secret_command())
    return secret


def secret_problem() -> str | None:
    """Why a real import would be refused for its key right now (for the Data page), or None."""
    try:
        import_secret(False, i18n.Refusal)
    except i18n.Refusal as exc:
        return str(exc)
    return None


def new_secret_command() -> str:
    """The command that writes a new secret file, as the refusal shows it."""
    return "python -m analytics.cli rahasia"


def default_secret_path() -> Path:
    """Where `rahasia` writes the secret file unless told otherwise: <data dir>/rahasia.key."""
    return config.data_dir() / config.SECRET_FILE_NAME


def write_secret(path: Path) -> Path:
    """Write a new random secret to path with mode 0600; never overwrite an existing file."""
    path = Path(path)
    if path.exists():
        raise SecretRefused.keyed("h2.secret_exists", path=path)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    value = secrets.token_urlsafe(SECRET_BYTES)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise SecretRefused.keyed("h2.secret_exists", path=path) from None
    except OSError as exc:
        raise SecretRefused.keyed("h2.secret_unwritable", path=path, error=type(exc).__name__) from None
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(value + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.chmod(path, 0o600)  # whatever the umask
    return path


def holds_only_demo(store: Store) -> bool:
    """Whether the store holds the demo build and nothing else: at least one snapshot, every
    snapshot from the demo generator, and no OPD or population file from anywhere else."""
    with store.cursor() as cur:
        snapshots, real, real_opd, population = cur.execute(load_query("store_contents")).fetchone()
    return bool(snapshots) and not real and not real_opd and not population


def retire_demo_accounts(store: Store, user: str, file_name: str) -> list[str]:
    """After a real import: disable every active demo account still holding its documented
    password, and log it (audit log and import log); return the names disabled."""
    names = auth.active_demo_accounts()
    if not names:
        return []
    for name in names:
        auth.set_active(name, False)
    listed = ", ".join(names)
    detail = f"akun contoh dinonaktifkan karena impor data asli pertama ({file_name}): {listed}"
    audit.log(store, user, None, "pengguna", listed, detail=detail)
    with store.transaction() as cur:  # the import log's one insert (ingest.base.log_line writes it too)
        params = {"logged_at": datetime.now(), "kind": "akun", "file_name": file_name, "sha256": None}
        params |= {"as_of": None, "outcome": "akun_contoh_nonaktif", "message": detail}
        run(cur, "import_log_insert", **params, row_count=None, user_name=user)
    return names
