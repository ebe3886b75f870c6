"""The session cookie: the signing key kept on disk, and the signed session record as a cookie value.

A session record (analytics.access.auth.session_token) is signed with a key that must outlive the process,
so that a reload, a new tab or an app restart keeps the user signed in. The key lives in a 0600 file
beside the other secrets (`sesi.key` in the folder of NOL_EKSTREM_SECRET_FILE, else the data folder),
created on first use and never in the repository.

The cookie holds only the signed record (account name, session id, session epoch, sign-in time, last
activity and the signature): no role and no password. The server checks it on every run against the
accounts file (analytics.access.auth.check_session), so a revoked, expired or tampered cookie signs nobody in.
Streamlit has no server-side way to set a cookie from a script run, so the browser writes it with a
small script: SameSite=Strict, Path=/, Secure when the page is served over https, and therefore not
HttpOnly (README, "Sesi").

No streamlit here: analytics.ui does the glue.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import secrets
from datetime import datetime, timedelta
from pathlib import Path

from analytics import config

COOKIE_NAME = "nol_sesi"
KEY_FILE_NAME = config.SESSION_KEY_FILE_NAME
KEY_BYTES = 32
# The cookie's copy of "last activity" is rewritten at most this often; the idle limit is counted in
# hours, so a reload may see a last activity up to this much older than the server's copy.
REWRITE_EVERY = timedelta(minutes=5)
_FIELDS = ("nama", "sid", "sesi", "sejak", "aktif", "tanda")
_keys: dict[Path, bytes] = {}


def key_path() -> Path:
    """Where the session signing key lives (analytics.config.session_key_path)."""
    return config.session_key_path()


def _read(path: Path) -> bytes | None:
    try:
        value = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return None
    return base64.urlsafe_b64decode(value) if value else None


def signing_key(path: Path | None = None) -> bytes:
    """The session signing key: read from its 0600 file, or made and written there on first use.

    Two processes starting at once agree on one key (the file is created exclusively, the loser
    reads the winner's). A key file that cannot be read or written raises OSError: no silent
    per-process key that would sign everyone out on restart.
    """
    path = path or key_path()
    if path in _keys:
        return _keys[path]
    key = _read(path)
    if key is None:
        path.parent.mkdir(parents=True, exist_ok=True)
        fresh = secrets.token_bytes(KEY_BYTES)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            key = _read(path)
        else:
            with os.fdopen(fd, "w", encoding="ascii") as fh:
                fh.write(base64.urlsafe_b64encode(fresh).decode("ascii") + "\n")
                fh.flush()
                os.fsync(fh.fileno())
            key = fresh
    if not key or len(key) < 16:
        raise OSError(f"kunci sesi tidak bisa dipakai: {path}")
    _keys[path] = key
    return key


def forget_keys() -> None:
    """Drop the keys read so far (a restart, for tests; a replaced key file is read again)."""
    _keys.clear()


def encode(token: dict) -> str:
    """The cookie value for a signed session record (URL-safe base64 of its JSON, no padding)."""
    raw = json.dumps({k: token[k] for k in _FIELDS}, ensure_ascii=True, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode("ascii")).decode("ascii").rstrip("=")


def decode(value: object) -> dict | None:
    """The session record in a cookie value, or None when it is not one (its signature is checked
    later, by analytics.access.auth.check_session)."""
    if not isinstance(value, str) or not value or len(value) > 2048:
        return None
    try:
        data = json.loads(base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None
    if not isinstance(data, dict) or set(data) != set(_FIELDS):
        return None
    return data


def due(written: dict | None, token: dict, every: timedelta = REWRITE_EVERY) -> bool:
    """Whether the browser's copy must be written again: another session, or its last activity lags
    the server's by `every` or more."""
    if written is None or written.get("sid") != token.get("sid"):
        return True
    try:
        lag = datetime.fromisoformat(token["aktif"]) - datetime.fromisoformat(written["aktif"])
    except (KeyError, TypeError, ValueError):
        return True
    return lag >= every


def _script(cookie: str) -> str:
    # Secure is added by the browser side: it alone knows whether the page came over https (a proxy
    # may end TLS before the app).
    return (
        "<script>(function(){var c=" + json.dumps(cookie) + ";"
        "if(window.location.protocol==='https:'){c+='; Secure';}"
        "document.cookie=c;})();</script>"
    )


def set_script(value: str, max_age: timedelta) -> str:
    """HTML whose script stores the cookie: SameSite=Strict, Path=/, expiring after max_age."""
    seconds = max(int(max_age.total_seconds()), 0)
    return _script(f"{COOKIE_NAME}={value}; Path=/; Max-Age={seconds}; SameSite=Strict")


def clear_script() -> str:
    """HTML whose script deletes the cookie (sign-out, or a session that is over)."""
    return _script(f"{COOKIE_NAME}=; Path=/; Max-Age=0; SameSite=Strict")
