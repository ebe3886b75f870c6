"""The inbox: how a command-line import reaches a store that the running app holds open.

DuckDB lets one process open a store file read-write and no other process open it at all. So
when `analytics.cli impor` finds the store locked, it hands the file to the inbox beside the
store (the file in its own folder, then a ticket written last, atomically) and the app imports
it, through the same import function, on its next page run. The outcome is written to done/,
where the command line waits for it.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from analytics import atomic, registry
from analytics import formatting as fmt
from analytics.store import Store

_processing = threading.Lock()  # one inbox run at a time in this process (many sessions call it)


@dataclass
class Outcome:
    """What became of one handed-over file."""

    ticket: str
    file_name: str
    as_of: str
    status: str  # 'diimpor' | 'ditolak'
    message: str


def folder_for(db: Path) -> Path:
    """The inbox of a store file: <folder>/inbox/<file stem>."""
    return db.parent / "inbox" / db.stem


def submit(
    db: Path, file: Path, as_of: date, replace: bool, user: str | None, confirmed: bool = False
) -> str:
    """Hand a snapshot file to the app holding the store; return the ticket id."""
    box = folder_for(Path(db))
    ticket = f"{time.time_ns()}_{os.getpid()}"
    data = file.read_bytes()
    atomic.write_bytes(box / ticket / file.name, data)
    spec = {
        "file": file.name,
        "as_of": as_of.isoformat(),
        "replace": replace,
        "user": user,
        "confirmed": confirmed,
    }
    atomic.write_bytes(box / f"{ticket}.json", json.dumps(spec).encode("utf-8"))
    return ticket


def pending(db: Path) -> list[str]:
    """Tickets waiting (or interrupted while being imported), oldest first."""
    box = folder_for(Path(db))
    if not box.is_dir():
        return []
    names = [p.name.split(".", 1)[0] for p in box.glob("*.json*") if not p.name.startswith(".")]
    return sorted(set(names))


def _finish(box: Path, ticket: str, outcome: Outcome) -> None:
    atomic.write_bytes(box / "done" / f"{ticket}.json", json.dumps(outcome.__dict__).encode("utf-8"))
    shutil.rmtree(box / ticket, ignore_errors=True)
    atomic.remove(box / f"{ticket}.json.claimed")


def process(store: Store) -> list[Outcome]:
    """Import every waiting file into the store (the app calls this on each page run)."""
    if store.path is None or not pending(store.path):
        return []
    if not _processing.acquire(blocking=False):
        return []  # another session of this process is importing them right now
    try:
        box = folder_for(store.path)
        out = []
        for ticket in pending(store.path):
            claimed = box / f"{ticket}.json.claimed"
            if (box / f"{ticket}.json").exists():
                atomic.rename(box / f"{ticket}.json", claimed)
            spec = json.loads(claimed.read_text(encoding="utf-8"))
            path = box / ticket / spec["file"]
            try:
                result = registry.import_file(
                    store,
                    path,
                    date.fromisoformat(spec["as_of"]),
                    replace=spec["replace"],
                    user=spec["user"],
                    confirmed=bool(spec.get("confirmed")),
                )
                outcome = Outcome(
                    ticket,
                    spec["file"],
                    spec["as_of"],
                    "diganti" if result.replaced else "diimpor",
                    f"{fmt.number(result.people_active)} orang aktif, "
                    f"{fmt.number(result.families_active)} keluarga",
                )
            except registry.ImportRefused as exc:
                outcome = Outcome(ticket, spec["file"], spec["as_of"], "ditolak", exc.log_text)
            _finish(box, ticket, outcome)
            out.append(outcome)
        return out
    finally:
        _processing.release()


def result(db: Path, ticket: str) -> Outcome | None:
    """The outcome of a ticket once the app has imported it."""
    path = folder_for(Path(db)) / "done" / f"{ticket}.json"
    if not path.exists():
        return None
    return Outcome(**json.loads(path.read_text(encoding="utf-8")))


def wait(db: Path, ticket: str, seconds: float, poll: float = 0.2) -> Outcome | None:
    """Wait up to seconds for a ticket's outcome."""
    deadline = time.monotonic() + seconds
    while True:
        found = result(db, ticket)
        if found is not None or time.monotonic() >= deadline:
            return found
        time.sleep(poll)
