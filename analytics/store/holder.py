"""Who holds the store: the running app's heartbeat file, DuckDB's lock holder, and the OS user.

DuckDB lets one process open a store file read-write and no other process open it at all; its
lock error names the holder ("Conflicting lock is held in <program> (PID <n>)"). The app writes
a small heartbeat file beside the store when it opens it (refreshed on page runs, removed on a
clean exit). A command-line process hands its work to the app's inbox only when the heartbeat's
PID is alive and is the PID DuckDB names; any other holder is waited for, then refused.
"""

from __future__ import annotations

import atexit
import getpass
import json
import os
import re
import time
from pathlib import Path

import duckdb

from analytics.store import atomic
from analytics.store.db import Store, is_lock_error

BEAT_SECONDS = 60  # a page run rewrites the heartbeat when it is older than this
_HOLDER = re.compile(r"held in (?P<program>.*?) \(PID (?P<pid>\d+)\)")
_announced: set[Path] = set()


class AppHolds(Exception):
    """The running app holds the store: hand the work to its inbox."""


class HeldByOther(Exception):
    """Another process (not the app) held the store for the whole wait; `holder` names it."""

    def __init__(self, holder: str) -> None:
        super().__init__(holder)
        self.holder = holder


def os_user() -> str:
    """The OS user of this process as the audit log records it: os:<name>."""
    try:
        return f"os:{getpass.getuser()}"
    except (KeyError, OSError):  # no login name and no passwd entry (some containers)
        return f"os:uid{os.getuid()}"


def heartbeat_path(db: Path) -> Path:
    """The app's heartbeat file beside a store file."""
    return Path(db).with_name(Path(db).name + ".aplikasi.json")


def announce(db: Path) -> None:
    """The app opened the store: write its heartbeat now and remove it when the process exits."""
    db = Path(db)
    atomic.write_bytes(heartbeat_path(db), json.dumps({"pid": os.getpid(), "at": time.time()}).encode())
    if db not in _announced:
        _announced.add(db)
        atexit.register(withdraw, db)


def beat(db: Path) -> None:
    """Refresh the heartbeat on a page run (cheap: a stat, and a write once a minute)."""
    path = heartbeat_path(Path(db))
    try:
        fresh = time.time() - path.stat().st_mtime < BEAT_SECONDS
    except FileNotFoundError:
        fresh = False
    if not fresh or _read(path).get("pid") != os.getpid():
        announce(db)


def withdraw(db: Path) -> None:
    """Remove the heartbeat if this process wrote it (clean exit)."""
    path = heartbeat_path(Path(db))
    if _read(path).get("pid") == os.getpid():
        atomic.remove(path)


def _read(path: Path) -> dict:
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def lock_holder(exc: BaseException) -> tuple[str, int] | None:
    """(program, PID) of the process DuckDB names in its lock error, if it names one."""
    found = _HOLDER.search(str(exc))
    return (found["program"], int(found["pid"])) if found else None


def describe(exc: BaseException) -> str:
    """The lock holder for a message: 'PID 123 (/usr/bin/python3)', or 'unknown process'."""
    found = lock_holder(exc)
    return f"PID {found[1]} ({found[0]})" if found else "?"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def app_holds(db: Path, exc: BaseException) -> bool:
    """Whether the process holding the store (per DuckDB's lock error) is the running app."""
    found = lock_holder(exc)
    if found is None:
        return False
    beat_pid = _read(heartbeat_path(Path(db))).get("pid")
    return beat_pid == found[1] and _alive(found[1])


def open_store(db: Path, wait_seconds: float, poll: float = 0.25, *, migrate: bool = True) -> Store:
    """Open the store for writing, waiting up to wait_seconds while another command holds it.

    Raises AppHolds at once when the running app holds it, HeldByOther when another process
    still holds it after the wait, and duckdb.Error when it cannot be opened for another reason.
    """
    deadline = time.monotonic() + max(wait_seconds, 0)
    while True:
        try:
            return Store.open(db, migrate=migrate)
        except duckdb.Error as exc:
            if not is_lock_error(exc):
                raise
            if app_holds(db, exc):
                raise AppHolds(describe(exc)) from exc
            if time.monotonic() >= deadline:
                raise HeldByOther(describe(exc)) from exc
            time.sleep(poll)
