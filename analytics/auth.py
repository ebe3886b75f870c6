"""Local accounts and roles: argon2 password hashes in a file, sign-in with a rate limit, signed sessions.

Roles: 'walikota' (aggregates only), 'dinsos' (everything, named records, imports),
'opd:<kode>' (aggregates for all, named records only for its own beneficiaries), 'admin'
(users and settings). The accounts file is the source of truth: every page run re-reads the
role of the signed-in name, so editing session state cannot raise a user's role.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from analytics import config, i18n

if TYPE_CHECKING:
    from analytics.store import Store

ROLES = ("walikota", "dinsos", "admin")
MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=15)
_hasher = PasswordHasher()
# Sessions die with the process, so a per-process key is enough to sign them.
_SESSION_KEY = secrets.token_bytes(32)

DEMO_ACCOUNTS = {
    "walikota": ("walikota", "walikota-demo"),
    "dinsos": ("dinsos", "dinsos-demo"),
    "opd_diskop": ("opd:DISKOPUKM", "opd-demo"),
    "admin": ("admin", "admin-demo"),
}


class AuthError(i18n.Refusal):
    """A sign-in or account operation failed; the message is for the user, in the current language.

    `log_text` is the same message in Indonesian, for the audit log (which keeps one language).
    """


def _error(key: str, **fmt_args: object) -> AuthError:
    """An AuthError with the text `auth.<key>` in the current language (and Indonesian for the log)."""
    return AuthError.keyed(f"auth.{key}", **fmt_args)


@dataclass(frozen=True)
class User:
    """A signed-in user as the pages see it."""

    name: str
    role: str

    @property
    def kind(self) -> str:
        """'walikota', 'dinsos', 'admin' or 'opd'."""
        return "opd" if self.role.startswith("opd:") else self.role

    @property
    def opd(self) -> str | None:
        """The OPD code for an OPD account."""
        return self.role.split(":", 1)[1] if self.kind == "opd" else None

    @property
    def sees_named_records(self) -> bool:
        """Whether any named (person-level) record may be shown at all."""
        return self.kind in ("dinsos", "opd")

    @property
    def sees_all_records(self) -> bool:
        """Whether every named record may be shown (DinsosPM only)."""
        return self.kind == "dinsos"

    def record_scope(self) -> dict[str, object]:
        """Bound parameters every named-record query filters on, in SQL.

        semua: all records (DinsosPM); kode_opd: only records tied to this OPD's beneficiaries
        and assigned families; neither: no rows at all. tampil_nama: names may be returned.
        """
        return {"semua": self.sees_all_records, "kode_opd": self.opd, "tampil_nama": self.sees_named_records}


def valid_role(role: str) -> bool:
    """Whether a role string is one of the known roles."""
    return role in ROLES or (role.startswith("opd:") and len(role) > 4)


def users_path() -> Path:
    """The accounts file (NOL_EKSTREM_USERS, default <data dir>/pengguna.json)."""
    return Path(os.environ.get("NOL_EKSTREM_USERS", config.data_dir() / "pengguna.json"))


def load_users(path: Path | None = None) -> dict[str, dict]:
    """All accounts by name (empty when the file does not exist)."""
    path = path or users_path()
    if not path.exists():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))["pengguna"]


def _save_users(users: dict[str, dict], path: Path | None = None) -> None:
    path = path or users_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".pengguna-")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump({"pengguna": users}, fh, indent=2, ensure_ascii=False)
        fh.flush()
        os.fsync(fh.fileno())
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)


def add_user(name: str, role: str, password: str, email: str | None = None) -> None:
    """Create an account (refuses an existing name, an unknown role or a short password)."""
    users = load_users()
    if name in users:
        raise _error("exists", name=name)
    if not valid_role(role):
        raise _error("unknown_role", role=role)
    if len(password) < 8:
        raise _error("short_password")
    users[name] = {
        "peran": role,
        "hash": _hasher.hash(password),
        "aktif": True,
        "email": email,
        "dibuat": datetime.now().isoformat(timespec="seconds"),
    }
    _save_users(users)


def set_active(name: str, active: bool) -> None:
    """Disable or re-enable an account."""
    users = load_users()
    if name not in users:
        raise _error("no_user", name=name)
    users[name]["aktif"] = active
    _save_users(users)


def reset_password(name: str, password: str) -> None:
    """Set a new password for an account."""
    users = load_users()
    if name not in users:
        raise _error("no_user", name=name)
    if len(password) < 8:
        raise _error("short_password")
    users[name]["hash"] = _hasher.hash(password)
    _save_users(users)


def ensure_demo_accounts() -> bool:
    """Create the documented demo accounts when no accounts file exists; True if created."""
    if users_path().exists():
        return False
    for name, (role, password) in DEMO_ACCOUNTS.items():
        add_user(name, role, password)
    return True


def active_demo_accounts() -> list[str]:
    """The documented demo accounts that are active and still open with their published password."""
    users = load_users()
    found = []
    for name, (_role, password) in DEMO_ACCOUNTS.items():
        entry = users.get(name)
        if not entry or not entry.get("aktif"):
            continue
        try:
            _hasher.verify(entry["hash"], password)
        except (VerificationError, InvalidHashError):
            continue
        found.append(name)
    return found


def current_role(name: str) -> str | None:
    """The role of an active account, read from the accounts file now."""
    entry = load_users().get(name)
    return entry["peran"] if entry and entry.get("aktif") else None


def verify_password(name: str, password: str) -> User:
    """Check a name and password against the accounts file; raise AuthError if wrong."""
    entry = load_users().get(name)
    fail = _error("wrong")
    if entry is None:
        _hasher.hash(password)  # same work as a real check, so timing does not reveal names
        raise fail
    try:
        _hasher.verify(entry["hash"], password)
    except (VerificationError, InvalidHashError):
        raise fail from None
    if not entry.get("aktif"):
        raise _error("disabled")
    return User(name, entry["peran"])


def user_for_email(email: str) -> User | None:
    """The active account whose e-mail matches an OIDC sign-in, if any."""
    for name, entry in load_users().items():
        if entry.get("email") and entry["email"].lower() == email.lower() and entry.get("aktif"):
            return User(name, entry["peran"])
    return None


def session_token(user: User) -> dict:
    """A signed session record for st.session_state."""
    issued = datetime.now().isoformat(timespec="seconds")
    payload = f"{user.name}|{issued}".encode()
    return {
        "nama": user.name,
        "sejak": issued,
        "tanda": hmac.new(_SESSION_KEY, payload, hashlib.sha256).hexdigest(),
    }


def user_from_token(token: object) -> User | None:
    """The signed-in user for a session record, with the role as the accounts file says now."""
    if not isinstance(token, dict):
        return None
    try:
        payload = f"{token['nama']}|{token['sejak']}".encode()
        good = hmac.compare_digest(
            hmac.new(_SESSION_KEY, payload, hashlib.sha256).hexdigest(), token["tanda"]
        )
    except (KeyError, TypeError):
        return None
    role = current_role(token["nama"]) if good else None
    return User(token["nama"], role) if role else None


def sign_in(store: Store, name: str, password: str) -> User:
    """Check a password with the rate limit, and write the attempt to the audit trail."""
    from analytics import audit

    since = datetime.now() - LOCKOUT
    row = store.query("audit_failures", user_name=name, since=since).iloc[0]
    if int(row["failures"]) >= MAX_FAILURES:
        until = row["last_failure"] + LOCKOUT
        audit.log(store, name, None, "masuk_gagal", detail="ditolak: terkunci")
        raise _error("locked", time=f"{until:%H:%M}")
    try:
        user = verify_password(name, password)
    except AuthError as exc:
        audit.log(store, name, None, "masuk_gagal", detail=exc.log_text)
        raise
    audit.log(store, user.name, user.role, "masuk")
    return user
