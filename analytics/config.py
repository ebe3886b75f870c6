"""Configuration read from the environment, with safe defaults for demo mode."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Documented in README: used only when no secret is configured, i.e. for demo data.
DEMO_SECRET = "nol-ekstrem-demo-secret-bukan-untuk-data-asli"


def data_dir() -> Path:
    """Folder for the store, the demo files and runtime files."""
    return Path(os.environ.get("NOL_EKSTREM_DATA_DIR", ROOT / "data"))


def geo_dir() -> Path:
    """Folder holding the boundary GeoJSON files shipped with the repo."""
    return ROOT / "data" / "geo"


def db_path() -> Path:
    """Path of the DuckDB store file."""
    return Path(os.environ.get("NOL_EKSTREM_DB", data_dir() / "nol_ekstrem.duckdb"))


def nik_secret() -> tuple[bytes, bool]:
    """The HMAC key for NIK pseudonymisation and whether it is the demo key.

    The key lives outside the database: in NOL_EKSTREM_SECRET, or in the file named by
    NOL_EKSTREM_SECRET_FILE. Without either, the documented demo key is used.
    """
    value = os.environ.get("NOL_EKSTREM_SECRET")
    path = os.environ.get("NOL_EKSTREM_SECRET_FILE")
    if not value and path:
        value = Path(path).read_text(encoding="utf-8").strip()
    if value:
        return value.encode("utf-8"), False
    return DEMO_SECRET.encode("utf-8"), True


def trusted_proxy() -> bool:
    """Whether the app runs behind a reverse proxy whose X-Forwarded-For header names the client
    (NOL_EKSTREM_PROXY=1). Without a proxy that header is the client's own word, so it is ignored."""
    return os.environ.get("NOL_EKSTREM_PROXY", "0") == "1"
