"""Configuration read from the environment, with safe defaults for demo mode."""

from __future__ import annotations

import os
from pathlib import Path

from analytics import i18n

ROOT = Path(__file__).resolve().parents[1]

# Documented in README: used only when no secret is configured, i.e. for demo data.
DEMO_SECRET = "nol-ekstrem-demo-secret-bukan-untuk-data-asli"
SECRET_FILE_NAME = "rahasia.key"


class SecretUnreadable(i18n.Refusal):
    """NOL_EKSTREM_SECRET_FILE names a file that is missing, empty or unreadable (never a silent
    fallback to the demo key)."""


def data_dir() -> Path:
    """Folder for the store, the demo files and runtime files."""
    return Path(os.environ.get("NOL_EKSTREM_DATA_DIR", ROOT / "data"))


def geo_dir() -> Path:
    """Folder holding the boundary GeoJSON files shipped with the repo."""
    return ROOT / "data" / "geo"


def db_path() -> Path:
    """Path of the DuckDB store file."""
    return Path(os.environ.get("NOL_EKSTREM_DB", data_dir() / "nol_ekstrem.duckdb"))


def secret_file() -> Path | None:
    """The secret file named by NOL_EKSTREM_SECRET_FILE, if any."""
    path = os.environ.get("NOL_EKSTREM_SECRET_FILE")
    return Path(path) if path else None


def nik_secret() -> tuple[bytes, bool]:
    """The HMAC key for NIK pseudonymisation and whether it is the demo key.

    The key lives outside the database: in NOL_EKSTREM_SECRET, or in the file named by
    NOL_EKSTREM_SECRET_FILE (a missing, empty or unreadable file raises SecretUnreadable). Without
    either, the documented demo key is used; the demo key set by hand is still the demo key.
    """
    value = os.environ.get("NOL_EKSTREM_SECRET", "").strip()
    path = secret_file()
    if not value and path is not None:
        try:
            value = path.read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as exc:
            raise SecretUnreadable.keyed(
                "h2.secret_unreadable", path=path, error=type(exc).__name__
            ) from None
        if not value:
            raise SecretUnreadable.keyed("h2.secret_empty", path=path)
    if value and value != DEMO_SECRET:
        return value.encode("utf-8"), False
    return DEMO_SECRET.encode("utf-8"), True


def trusted_proxy() -> bool:
    """Whether the app runs behind a reverse proxy whose X-Forwarded-For header names the client
    (NOL_EKSTREM_PROXY=1). Without a proxy that header is the client's own word, so it is ignored."""
    return os.environ.get("NOL_EKSTREM_PROXY", "0") == "1"


def has_secret() -> bool:
    """Whether a real (non-demo) NIK key is configured."""
    return not nik_secret()[1]


def users_path() -> Path:
    """The accounts file (NOL_EKSTREM_USERS, default <data dir>/pengguna.json)."""
    return Path(os.environ.get("NOL_EKSTREM_USERS", data_dir() / "pengguna.json"))


SESSION_KEY_FILE_NAME = "sesi.key"


def session_key_path() -> Path:
    """Where the session signing key lives (NOL_EKSTREM_SESSION_KEY_FILE, else beside the NIK key)."""
    named = os.environ.get("NOL_EKSTREM_SESSION_KEY_FILE")
    if named:
        return Path(named)
    nik_key = secret_file()
    return (nik_key.parent if nik_key is not None else data_dir()) / SESSION_KEY_FILE_NAME
