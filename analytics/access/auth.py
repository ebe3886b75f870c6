"""Local accounts and roles: argon2 password hashes in a file, throttled sign-in, signed sessions.

Roles: 'walikota' (aggregates only), 'dinsos' (everything, named records, imports),
'opd:<kode>' (aggregates for all, named records only for its own beneficiaries), 'kecamatan:<kode>'
and 'kelurahan:<kode>' (the camat and the lurah: aggregates for all, small counts suppressed, named
records only inside their area), 'admin' (users and settings). A role that names no known OPD
(data/opd.csv) or area is of kind BROKEN: every page refuses it with a message (fail closed).
The accounts file is the source of truth: every page run re-reads the
role of the signed-in name, so editing session state cannot raise a user's role.

A session is a self-contained signed record (name, session id, the account's session epoch, issue
time, last activity) that the server checks on every run against the accounts file: a password
reset, a disable or an enable bumps the epoch, which ends every older session of that account; a
sign-out records the session id as revoked. Nothing about a live session is kept only in memory,
so the same record travels in a browser cookie (analytics.access.session_cookie, which keeps the key).

Wrong passwords slow down the name *from that client* (growing delays), and only mildly the name
from everywhere, so a stranger cannot lock the real user out. An admin reset clears the delays.
"""

from __future__ import annotations

import csv
import fcntl
import functools
import hashlib
import hmac
import json
import math
import os
import secrets
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from analytics import formatting as fmt
from analytics import i18n
from analytics.access import session_cookie
from analytics.config import users_path
from analytics.store.settings import SESSION_CAP, SessionLimits

if TYPE_CHECKING:
    from analytics.store.db import Store

ROLES = ("walikota", "dinsos", "admin")
AREA_KINDS = ("kecamatan", "kelurahan")
BROKEN = "rusak"  # the kind of a role that is not one of the known roles: it may open nothing
_hasher = PasswordHasher()

# Throttling. After CLIENT_FREE failures for a name from one client, each further attempt from that
# client waits 2^(n - CLIENT_FREE) seconds after the last failure, at most CLIENT_CAP. Failures for
# the name from all clients together only start to count after NAME_FREE, and wait at most NAME_CAP,
# so a stranger on another client can delay the real user by seconds, never lock them out.
CLIENT_FREE = 3
CLIENT_CAP = timedelta(minutes=5)
NAME_FREE = 20
NAME_CAP = timedelta(seconds=30)
FAILURE_WINDOW = timedelta(hours=24)  # older failures are forgotten
THROTTLED = "ditahan: "  # audit detail prefix of an attempt refused during a wait (not counted)

# The longest absolute session lifetime the settings accept; revoked session ids are kept this long.

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


def _h6(key: str, **fmt_args: object) -> AuthError:
    """An AuthError with the text `h6.<key>` (session and throttling messages)."""
    return AuthError.keyed(f"h6.{key}", **fmt_args)


@dataclass(frozen=True)
class User:
    """A signed-in user as the pages see it."""

    name: str
    role: str

    @property
    def kind(self) -> str:
        """'walikota', 'dinsos', 'admin', 'opd', 'kecamatan', 'kelurahan', or BROKEN for a role that
        is malformed or names an unknown OPD or area."""
        role = canonical_role(self.role)
        return BROKEN if role is None else role.split(":", 1)[0]

    @property
    def opd(self) -> str | None:
        """The OPD code for an OPD account."""
        return canonical_role(self.role).split(":", 1)[1] if self.kind == "opd" else None

    @property
    def area(self) -> str | None:
        """The dotted kecamatan or kelurahan code of a camat's or lurah's account."""
        return canonical_role(self.role).split(":", 1)[1] if self.kind in AREA_KINDS else None

    @property
    def sees_named_records(self) -> bool:
        """Whether any named (person-level) record may be shown at all."""
        return self.kind in ("dinsos", "opd", *AREA_KINDS)

    @property
    def sees_all_records(self) -> bool:
        """Whether every named record may be shown (DinsosPM only)."""
        return self.kind == "dinsos"

    @property
    def sees_exact_counts(self) -> bool:
        """Whether aggregates are shown without small-cell suppression (DinsosPM and an OPD)."""
        return self.kind in ("dinsos", "opd")

    def record_scope(self) -> dict[str, object]:
        """Bound parameters every named-record query filters on, in SQL.

        semua: all records (DinsosPM); kode_opd: only records tied to this OPD's beneficiaries
        and assigned families; kode_wilayah: only records in this kecamatan or kelurahan (dotted
        code); none of them: no rows at all. tampil_nama: names may be returned.
        """
        return {
            "semua": self.sees_all_records,
            "kode_opd": self.opd,
            "kode_wilayah": self.area,
            "tampil_nama": self.sees_named_records,
        }


def _known_codes() -> tuple[dict[str, str], dict[str, str], dict[str, tuple[str, str]]]:
    """OPD code -> name (data/opd.csv, or the catalog folder configured), dotted kecamatan code ->
    name, dotted kelurahan code -> (name, kecamatan name) (the shipped boundary files)."""
    from analytics.store import catalog

    opd_path, _ = catalog.catalog_paths()
    try:
        stamp = opd_path.stat().st_mtime_ns
    except OSError:
        stamp = None
    return _read_codes(opd_path, stamp)


@functools.lru_cache(maxsize=8)
def _read_codes(
    opd_path: Path, _stamp: int | None
) -> tuple[dict[str, str], dict[str, str], dict[str, tuple[str, str]]]:
    """_known_codes read once per catalog file and version (an edited data/opd.csv is read again)."""
    from analytics.store import areas

    opds: dict[str, str] = {}
    if _stamp is not None:
        with open(opd_path, encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                code = (row.get("kode_opd") or "").strip().upper()
                if code:
                    opds[code] = (row.get("nama_opd") or code).strip()
    kec, kel, _alias = areas.area_tables()
    kec_names = dict(zip(kec["kode_kecamatan"], kec["nama"], strict=True))
    kel_names = {
        code: (name, kec_names.get(k, ""))
        for code, name, k in zip(kel["kode_kelurahan"], kel["nama"], kel["kode_kecamatan"], strict=True)
    }
    return opds, kec_names, kel_names


def role_choices() -> dict[str, dict[str, str]]:
    """Every role an admin may give, by kind ('peran', 'opd', 'kecamatan', 'kelurahan'): role ->
    what it reads as ('opd:DINKES — Dinas Kesehatan'), sorted by code."""
    opds, kec, kel = _known_codes()
    return {
        "peran": {role: role for role in ROLES},
        "opd": {f"opd:{c}": f"opd:{c} — {n}" for c, n in sorted(opds.items())},
        "kecamatan": {f"kecamatan:{c}": f"kecamatan:{c} — {n}" for c, n in sorted(kec.items())},
        "kelurahan": {f"kelurahan:{c}": f"kelurahan:{c} — {n}, {k}" for c, (n, k) in sorted(kel.items())},
    }


def canonical_role(role: object) -> str | None:
    """The role as stored ('opd:DISKOPUKM', 'kelurahan:64.72.05.1004'), or None when it is not
    one: a malformed string, or an OPD or area code that data/opd.csv and the areas do not know."""
    if not isinstance(role, str):
        return None
    role = role.strip()
    if role in ROLES:
        return role
    kind, sep, code = role.partition(":")
    if not sep:
        return None
    opds, kec, kel = _known_codes()
    code = code.strip()
    if kind == "opd" and code.upper() in opds:
        return f"opd:{code.upper()}"
    if kind in AREA_KINDS:
        from analytics.store.areas import digits_only, dotted

        dotted_code = dotted(digits_only(code))
        if dotted_code in (kec if kind == "kecamatan" else kel):
            return f"{kind}:{dotted_code}"
    return None


def valid_role(role: str) -> bool:
    """Whether a role string is one of the known roles, naming a known OPD or area."""
    return canonical_role(role) is not None


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
        "peran": canonical_role(role),
        "hash": _hasher.hash(password),
        "aktif": True,
        "email": email,
        "dibuat": datetime.now().isoformat(timespec="seconds"),
    }
    _save_users(users)


def _now(now: datetime | None = None) -> datetime:
    return now or datetime.now()


def _end_sessions(entry: dict) -> None:
    """Bump the account's session epoch: every session signed with an older epoch is dead."""
    entry["sesi"] = int(entry.get("sesi", 0)) + 1
    entry["dicabut"] = {}  # revocations of dead sessions are no longer needed


@contextmanager
def _editing() -> Iterator[dict[str, dict]]:
    """The accounts, read and written back under an exclusive lock, so that a sign-out in the app and
    a reset from the command line at the same moment cannot undo each other."""
    path = users_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path.with_name(path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        users = load_users(path)
        yield users
        _save_users(users, path)
    finally:
        os.close(fd)  # releases the lock


def set_active(name: str, active: bool) -> None:
    """Disable or re-enable an account; either way its existing sessions end."""
    with _editing() as users:
        if name not in users:
            raise _error("no_user", name=name)
        users[name]["aktif"] = active
        _end_sessions(users[name])


def reset_password(name: str, password: str) -> None:
    """Set a new password for an account, end its sessions and clear its sign-in delays."""
    if len(password) < 8:
        raise _error("short_password")
    new_hash = _hasher.hash(password)
    with _editing() as users:
        if name not in users:
            raise _error("no_user", name=name)
        users[name]["hash"] = new_hash
        users[name]["sandi_diatur"] = _now().isoformat(timespec="microseconds")
        _end_sessions(users[name])


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


def _role_of(entry: dict) -> str:
    """The role an account entry holds, as text (a missing or non-text role reads as broken)."""
    role = entry.get("peran")
    return role if isinstance(role, str) else repr(role)


def current_role(name: str) -> str | None:
    """The role of an active account, read from the accounts file now."""
    entry = load_users().get(name)
    return _role_of(entry) if entry and entry.get("aktif") else None


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
    return User(name, _role_of(entry))


def user_for_email(email: str) -> User | None:
    """The active account whose e-mail matches an OIDC sign-in, if any."""
    for name, entry in load_users().items():
        if entry.get("email") and entry["email"].lower() == email.lower() and entry.get("aktif"):
            return User(name, _role_of(entry))
    return None


# --- Sessions ----------------------------------------------------------------------------------

_SIGNED = ("nama", "sid", "sesi", "sejak", "aktif")


def _hours(span: timedelta) -> str:
    return fmt.number(span.total_seconds() / 3600, 0 if span.total_seconds() % 3600 == 0 else 1)


def _signature(fields: dict) -> str:
    payload = json.dumps([fields[k] for k in _SIGNED], ensure_ascii=False).encode()
    # The key is kept on disk (analytics.access.session_cookie), so sessions outlive a restart of the app.
    return hmac.new(session_cookie.signing_key(), payload, hashlib.sha256).hexdigest()


def _signed(fields: dict) -> dict:
    clean = {k: fields[k] for k in _SIGNED}
    return {**clean, "tanda": _signature(clean)}


def session_token(user: User, now: datetime | None = None) -> dict:
    """A new signed session record: the account's current epoch, a fresh session id, issue time."""
    issued = _now(now).isoformat(timespec="seconds")
    entry = load_users().get(user.name) or {}
    return _signed(
        {
            "nama": user.name,
            "sid": secrets.token_urlsafe(16),
            "sesi": int(entry.get("sesi", 0)),
            "sejak": issued,
            "aktif": issued,
        }
    )


def _verified(token: object) -> dict:
    """The token's fields if its signature holds; raise AuthError otherwise."""
    try:
        fields = {k: token[k] for k in _SIGNED}  # type: ignore[index]
        good = hmac.compare_digest(_signature(fields), str(token["tanda"]))  # type: ignore[index]
        datetime.fromisoformat(fields["sejak"]), datetime.fromisoformat(fields["aktif"])
    except (KeyError, TypeError, ValueError):
        good = False
    if not good:
        raise _h6("session_invalid")
    return fields


def check_session(token: object, limits: SessionLimits | None = None, now: datetime | None = None) -> User:
    """The signed-in user for a session record, with the role the accounts file gives now.

    Raises AuthError saying why the session is over: a bad signature, the account disabled or
    changed (reset, disable, enable), signed out, idle too long, or past its absolute lifetime.
    """
    limits = limits or SessionLimits()
    fields = _verified(token)
    entry = load_users().get(fields["nama"])
    if entry is None or not entry.get("aktif") or int(entry.get("sesi", 0)) != fields["sesi"]:
        raise _h6("session_account_changed")
    if fields["sid"] in entry.get("dicabut", {}):
        raise _h6("session_signed_out")
    now = _now(now)
    if now - datetime.fromisoformat(fields["aktif"]) > limits.idle:
        raise _h6("session_idle", hours=_hours(limits.idle))
    issued = datetime.fromisoformat(fields["sejak"])
    if now - issued > limits.absolute:
        raise _h6("session_absolute", hours=_hours(limits.absolute), since=fmt.waktu(issued))
    return User(fields["nama"], _role_of(entry))


def user_from_token(
    token: object, limits: SessionLimits | None = None, now: datetime | None = None
) -> User | None:
    """The signed-in user for a live session record, or None (see check_session for why not)."""
    try:
        return check_session(token, limits, now)
    except AuthError:
        return None


def refreshed(token: dict, now: datetime | None = None) -> dict:
    """The same session with its last activity moved to now (check it first)."""
    return _signed({**_verified(token), "aktif": _now(now).isoformat(timespec="seconds")})


def end_session(token: object, now: datetime | None = None) -> None:
    """Sign out: record the session id as revoked, so a kept copy of the record is dead too."""
    try:
        fields = _verified(token)
    except AuthError:
        return
    oldest = (_now(now) - SESSION_CAP).isoformat(timespec="seconds")
    with _editing() as users:
        entry = users.get(fields["nama"])
        if entry is None:
            return
        revoked = {sid: since for sid, since in entry.get("dicabut", {}).items() if since >= oldest}
        revoked[fields["sid"]] = fields["sejak"]
        entry["dicabut"] = revoked


# --- Sign-in throttling ------------------------------------------------------------------------


def client_key(client: str) -> str:
    """The pseudonymous client identity kept in the audit trail (a hash, not the IP itself)."""
    return "klien " + hashlib.sha256(client.encode("utf-8")).hexdigest()[:16]


def _delay(failures: int, free: int, cap: timedelta) -> timedelta:
    if failures < free:
        return timedelta(0)
    return min(timedelta(seconds=2 ** min(failures - free, 30)), cap)


def throttle_wait(store: Store, name: str, client: str, now: datetime | None = None) -> int:
    """Seconds this client must still wait before it may try this name again (0: try now)."""
    now = _now(now)
    since = now - FAILURE_WINDOW
    reset = (load_users().get(name) or {}).get("sandi_diatur")
    if reset:
        since = max(since, datetime.fromisoformat(reset))
    row = store.query(
        "audit_failures", user_name=name, client=client_key(client), since=since, throttled=THROTTLED + "%"
    ).iloc[0]
    waits = [timedelta(0)]
    if int(row["client_failures"]):
        until = row["client_last"] + _delay(int(row["client_failures"]), CLIENT_FREE, CLIENT_CAP)
        waits.append(until - now)
    if int(row["name_failures"]):
        until = row["name_last"] + _delay(int(row["name_failures"]), NAME_FREE, NAME_CAP)
        waits.append(until - now)
    return math.ceil(max(waits).total_seconds())


def sign_in(store: Store, name: str, password: str, client: str = "-", now: datetime | None = None) -> User:
    """Check a password unless this client must still wait, and write the attempt to the audit trail.

    `client` identifies where the attempt comes from (IP address or browser session); it is kept
    in the audit trail only as a hash.
    """
    from analytics.store import audit

    key = client_key(client)
    wait = throttle_wait(store, name, client, now)
    if wait > 0:
        refusal = _h6("throttled", seconds=fmt.number(wait))
        audit.log(store, name, None, "masuk_gagal", key, detail=THROTTLED + refusal.log_text)
        raise refusal
    try:
        user = verify_password(name, password)
    except AuthError as exc:
        audit.log(store, name, None, "masuk_gagal", key, detail=exc.log_text)
        raise
    audit.log(store, user.name, user.role, "masuk", key)
    return user
