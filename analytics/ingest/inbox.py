"""The inbox: how a command-line import (or audit entry) reaches a store that the running app holds.

DuckDB lets one process open a store file read-write and no other process open it at all. So
when the command line finds the store held by the running app (analytics.store.holder), it hands the
file to the inbox beside the store (the file in its own folder, then a ticket written last,
atomically) and the app imports it, through the same import function, on its next page run.
A ticket carries its kind: an import kind of `ingest.kinds.KINDS` (registri: a snapshot and its
date; intervensi: an OPD file, kode_opd and mode; penduduk: a population table), whose importer
reads the ticket's options and imports the file, or an audit entry (audit, no file). The outcome
is written to done/ (imported, or logged) or, for anything that failed (a refusal, a bad ticket, a
missing file, any exception), to rejected/ with the reason; the command line waits for it there. A
failed item's file is deleted, never kept: it may hold raw NIKs, and the operator still has the
original to mend and send again. Nothing a ticket holds can stop the app: every failure becomes an outcome.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import threading
import time
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import duckdb

from analytics import i18n
from analytics.ingest.kinds import KINDS as IMPORTERS
from analytics.store import atomic, audit, holder
from analytics.store.db import Store, inbox_dir_for

_log = logging.getLogger(__name__)
_processing = threading.Lock()  # one inbox run at a time in this process (many sessions call it)
STALE_SECONDS = 3600  # an item waiting longer than this is reported (periksa, Data & Impor)
FINISHED = ("done", "rejected")


@dataclass
class Outcome:
    """What became of one handed-over file or audit entry."""

    ticket: str
    file_name: str
    as_of: str
    status: str  # 'diimpor' | 'diganti' | 'ditolak' | 'dicatat'
    message: str
    kind: str = "registri"
    kode_opd: str = ""
    finished_at: str = ""
    folder: str = field(default="done", compare=False)


class BadTicket(Exception):
    """A ticket that cannot be acted on; the message (Indonesian, for the logs) says why."""


def folder_for(db: Path) -> Path:
    """The inbox of a store file: <folder>/inbox/<file stem>."""
    return inbox_dir_for(db)


def _new_ticket() -> str:
    return f"{time.time_ns()}_{os.getpid()}"


def submit(
    db: Path,
    file: Path,
    as_of: date | None = None,
    replace: bool = False,
    user: str | None = None,
    *,
    kind: str = "registri",
    kode_opd: str | None = None,
    mode: str | None = None,
    confirmed: bool = False,
    format: str | None = None,  # noqa: A002 - registri: the source format (None: detected)
) -> str:
    """Hand a file of an import kind (a snapshot by default) to the app holding the store; the ticket id."""
    box = folder_for(Path(db))
    ticket = _new_ticket()
    atomic.write_bytes(box / ticket / file.name, file.read_bytes())
    spec = {
        "kind": kind,
        "file": file.name,
        "as_of": as_of.isoformat() if as_of else None,
        "replace": replace,
        "kode_opd": kode_opd,
        "mode": mode,
        "user": user,
        "confirmed": confirmed,
        "format": format,
        "os_user": holder.os_user(),
    }
    atomic.write_bytes(box / f"{ticket}.json", json.dumps(spec).encode("utf-8"))
    return ticket


def submit_audit(
    db: Path, action: str, obj: str | None, detail: str | None, sha256: str | None = None
) -> str:
    """Hand one audit entry of this OS user to the app holding the store; the ticket id."""
    box = folder_for(Path(db))
    ticket = _new_ticket()
    spec = {
        "kind": "audit",
        "action": action,
        "object": obj,
        "sha256": sha256,
        "detail": detail,
        "os_user": holder.os_user(),
    }
    atomic.write_bytes(box / f"{ticket}.json", json.dumps(spec).encode("utf-8"))
    return ticket


def log_or_hand_over(db: Path, action: str, obj: str | None, detail: str, wait: float = 30) -> str | None:
    """Audit a command that does not hold the store open, under the OS user: open the store to log
    it, or hand the entry to the app holding it. None when done; otherwise why it was not logged
    (in the current language, for stderr)."""
    db = Path(db)
    if not db.exists():
        return i18n.t("h3.audit_no_store", db=db, action=action)
    try:
        store = holder.open_store(db, wait)
    except holder.AppHolds:
        submit_audit(db, action, obj, detail)
        return None
    except (holder.HeldByOther, duckdb.Error) as exc:
        return i18n.t("h3.audit_not_logged", db=db, action=action, error=exc)
    try:
        audit.log(store, holder.os_user(), None, action, obj, None, detail)
    finally:
        store.close()
    return None


def pending(db: Path) -> list[str]:
    """Tickets waiting (or interrupted while being imported), oldest first."""
    box = folder_for(Path(db))
    if not box.is_dir():
        return []
    names = [p.name.split(".", 1)[0] for p in box.glob("*.json*") if not p.name.startswith(".")]
    return sorted(set(names))


def _age(path: Path, ticket: str, now: float) -> float:
    try:
        return now - int(ticket.split("_", 1)[0]) / 1e9
    except ValueError:
        return now - path.stat().st_mtime


def waiting(db: Path) -> list[tuple[str, float]]:
    """(ticket, seconds waiting) of every item still in the inbox, oldest first.

    Includes a file folder whose ticket was never written (a command that died while handing over).
    """
    box = folder_for(Path(db))
    if not box.is_dir():
        return []
    now = time.time()
    items = {t: box for t in pending(db)}
    for entry in box.iterdir():
        if entry.is_dir() and entry.name not in FINISHED and not entry.name.startswith("."):
            items.setdefault(entry.name, entry)
    out = []
    for ticket, path in items.items():
        try:
            out.append((ticket, _age(path, ticket, now)))
        except OSError:
            continue  # finished meanwhile
    return sorted(out)


def stale(db: Path, seconds: float = STALE_SECONDS) -> list[tuple[str, float]]:
    """Inbox items waiting longer than seconds (one hour by default)."""
    return [(t, age) for t, age in waiting(db) if age > seconds]


def _spec(claimed: Path) -> dict:
    try:
        spec = json.loads(claimed.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BadTicket(f"tiket tidak dapat dibaca ({type(exc).__name__})") from exc
    if not isinstance(spec, dict):
        raise BadTicket("tiket bukan objek JSON")
    kind = spec.setdefault("kind", "registri")  # tickets written before kinds existed
    if kind != "audit" and kind not in IMPORTERS:
        raise BadTicket(f"jenis tiket '{kind}' tidak dikenal")
    if kind == "audit":
        if spec.get("action") not in audit.ACTIONS:
            raise BadTicket(f"tindakan audit '{spec.get('action')}' tidak dikenal")
        return spec
    name = spec.get("file")
    if not isinstance(name, str) or not name or Path(name).name != name:
        raise BadTicket("tiket tidak menyebut nama berkas yang sah")
    try:
        spec["options"] = IMPORTERS[kind].ticket(spec)
    except ValueError as exc:  # the importer says why, in Indonesian
        raise BadTicket(str(exc)) from exc
    if "as_of" in spec["options"]:
        spec["as_of"] = spec["options"]["as_of"]
    return spec


def _import(store: Store, box: Path, ticket: str, spec: dict) -> Outcome:
    """Import one handed-over file; raises on any failure (the caller turns it into an outcome)."""
    path = box / ticket / spec["file"]
    if not path.is_file():
        raise BadTicket(f"berkas {spec['file']} tidak ada di kotak masuk")
    user = spec.get("user") or None
    importer = IMPORTERS[spec["kind"]]
    result = importer.import_bytes(store, path.read_bytes(), path.name, user=user, **spec["options"])
    status, as_of, kode_opd, message = importer.outcome(result)
    return Outcome(ticket, spec["file"], as_of, status, message, spec["kind"], kode_opd)


def _handle(store: Store, box: Path, ticket: str, seen: dict) -> Outcome:
    claimed = box / f"{ticket}.json.claimed"
    if (box / f"{ticket}.json").exists():
        atomic.rename(box / f"{ticket}.json", claimed)
    spec = _spec(claimed)
    seen.update(spec)
    if spec["kind"] == "audit":
        audit.log(
            store,
            str(spec.get("os_user") or "os:?"),
            None,
            spec["action"],
            spec.get("object"),
            spec.get("sha256"),
            spec.get("detail"),
        )
        return Outcome(ticket, spec.get("object") or "", "", "dicatat", spec.get("detail") or "", "audit")
    return _import(store, box, ticket, spec)


def _finish(box: Path, ticket: str, outcome: Outcome) -> None:
    """Record the outcome. A refused item's ticket moves to rejected/ beside the outcome; its file is
    deleted like an imported one's (a copy the operator handed over, which may hold raw NIKs)."""
    outcome.finished_at = datetime.now().replace(microsecond=0).isoformat()
    outcome.folder = "rejected" if outcome.status == "ditolak" else "done"
    where = box / outcome.folder
    atomic.write_bytes(where / f"{ticket}.json", json.dumps(outcome.__dict__).encode("utf-8"))
    claimed = box / f"{ticket}.json.claimed"
    if outcome.folder == "rejected" and claimed.exists():
        atomic.rename(claimed, where / f"{ticket}.tiket")
    shutil.rmtree(box / ticket, ignore_errors=True)
    atomic.remove(claimed)


def _sha256(box: Path, ticket: str, spec: dict) -> str | None:
    """The SHA-256 of a ticket's file while it is still in the inbox (None without a file)."""
    name = spec.get("file")
    path = box / ticket / name if isinstance(name, str) and name and Path(name).name == name else None
    return hashlib.sha256(path.read_bytes()).hexdigest() if path is not None and path.is_file() else None


def _audit(store: Store, outcome: Outcome, spec: dict, sha: str | None) -> None:
    """Log an inbox import (or its refusal) under the OS user who handed it over."""
    if outcome.kind == "audit" and outcome.status != "ditolak":
        return  # the entry itself was the log
    action = {"diimpor": "impor", "diganti": "ganti"}.get(outcome.status, "impor_ditolak")
    what = f"snapshot {outcome.as_of}" if outcome.as_of else f"{outcome.kind} {outcome.kode_opd}".strip()
    by = f"; pengguna {spec['user']}" if spec.get("user") else ""
    detail = f"kotak masuk, {what}: {outcome.message}{by}"
    audit.log(store, str(spec.get("os_user") or "os:?"), None, action, outcome.file_name or None, sha, detail)


def process(store: Store) -> list[Outcome]:
    """Import every waiting item into the store (the app calls this on each page run).

    Never raises for a bad item: a refusal, a bad ticket, a missing file or any other exception
    moves the item to rejected/ with the reason, and the next item goes on.
    """
    try:
        if store.path is None or not pending(store.path):
            return []
    except OSError as exc:  # an unreadable inbox folder must not stop the app either
        _log.error("inbox of %s cannot be read: %s", store.path, type(exc).__name__)
        return []
    if not _processing.acquire(blocking=False):
        return []  # another session of this process is importing them right now
    try:
        box = folder_for(store.path)
        out = []
        for ticket in pending(store.path):
            seen: dict = {}
            try:
                outcome = _handle(store, box, ticket, seen)
            except (BadTicket, i18n.Refusal) as exc:
                text = exc.log_text if isinstance(exc, i18n.Refusal) else str(exc)
                outcome = _refused(ticket, seen, text)
            except Exception as exc:  # noqa: BLE001 - one bad item must never stop the app
                # only the exception's type: its text may quote a cell (a raw NIK)
                _log.error("inbox item %s failed: %s", ticket, type(exc).__name__)
                outcome = _refused(ticket, seen, f"galat tak terduga saat mengimpor ({type(exc).__name__})")
            try:
                sha = _sha256(box, ticket, seen)
                _finish(box, ticket, outcome)
                _audit(store, outcome, seen, sha)
            except Exception as exc:  # noqa: BLE001
                _log.error("inbox item %s could not be recorded: %s", ticket, type(exc).__name__)
                continue
            out.append(outcome)
        return out
    finally:
        _processing.release()


def _refused(ticket: str, spec: dict, message: str) -> Outcome:
    as_of = spec.get("as_of")
    return Outcome(
        ticket,
        str(spec.get("file") or spec.get("object") or ""),
        as_of.isoformat() if isinstance(as_of, date) else str(as_of or ""),
        "ditolak",
        message,
        str(spec.get("kind") or "registri"),
        str(spec.get("kode_opd") or ""),
    )


def _load(path: Path, folder: str) -> Outcome | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        data["folder"] = folder
        return Outcome(**data)
    except (OSError, ValueError, TypeError):
        return None


def result(db: Path, ticket: str) -> Outcome | None:
    """The outcome of a ticket once the app has handled it (done/ or rejected/)."""
    box = folder_for(Path(db))
    for folder in FINISHED:
        path = box / folder / f"{ticket}.json"
        if path.exists():
            return _load(path, folder)
    return None


def outcomes(db: Path, limit: int = 200) -> list[Outcome]:
    """Finished items (imported, logged or rejected), newest first."""
    box = folder_for(Path(db))
    found = []
    for folder in FINISHED:
        for path in (box / folder).glob("*.json") if (box / folder).is_dir() else []:
            if (outcome := _load(path, folder)) is not None:
                found.append(outcome)
    found.sort(key=lambda o: (o.finished_at, o.ticket), reverse=True)
    return found[:limit]


def wait(db: Path, ticket: str, seconds: float, poll: float = 0.2) -> Outcome | None:
    """Wait up to seconds for a ticket's outcome."""
    deadline = time.monotonic() + seconds
    while True:
        found = result(db, ticket)
        if found is not None or time.monotonic() >= deadline:
            return found
        time.sleep(poll)
