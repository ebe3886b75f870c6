"""Many sessions reading while an import commits, and a command-line import while the app runs.

Model under test (analytics.store.db.Store): one in-process DuckDB database; every call gets its own
cursor, so threads never share a connection; a page's several queries run inside store.read()
and so see one committed state. A second process cannot open the file at all, so a
command-line import hands its file to the app's inbox (analytics.ingest.inbox).
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from analytics.access import auth
from analytics.burndown import progress
from analytics.ingest import inbox, registry
from analytics.store import holder, manifest, opening
from analytics.store.db import Store
from bench.synth import Registry, write_csv

ROOT = Path(__file__).resolve().parents[1]
READERS = 16


@pytest.fixture
def files(tmp_path):
    """Six monthly snapshot files of a 400-person synthetic registry (seed 7)."""
    out = []
    for as_of, df in Registry(400, months=6, seed=7).snapshots():
        out.append((as_of, write_csv(df, tmp_path / f"p3ke_{as_of}.csv")))
    return out


def page_read(store: Store) -> dict:
    """What the burn-down and change pages read in one run, inside one read transaction."""
    with store.read():
        snaps = store.query("snapshot_list")
        series = progress.series(store)
        kec = progress.kecamatan_series(store)
        dates = list(series["as_of"])
        steps = progress.waterfall(store, dates[-2], dates[-1])
        diff = progress.snapshot_diff(store, dates[-2], dates[-1], auth.User("t", "dinsos"))
    return {"snaps": snaps, "series": series, "kec": kec, "steps": steps, "diff": diff}


def whole(read: dict) -> int:
    """Assert the read is one state, not a mix; return how many snapshots it saw."""
    dates = list(read["series"]["as_of"])
    assert dates == list(read["snaps"]["as_of"].dt.date)
    assert sorted(set(read["kec"]["as_of"])) == dates
    latest = read["kec"][read["kec"]["as_of"] == dates[-1]]
    assert latest["orang_aktif"].sum() == read["snaps"]["people_active"].iloc[-1]
    assert read["series"]["orang_aktif"].iloc[-1] == read["snaps"]["people_active"].iloc[-1]
    steps = read["steps"]
    assert steps["orang"].iloc[:-1].sum() == steps["orang"].iloc[-1]  # the waterfall adds up
    exits = progress.fall_breakdown(steps)["keluar"]
    assert (read["diff"]["arus"] == "keluar").sum() == exits
    return len(dates)


def test_sixteen_readers_see_old_or_new_snapshot_whole_while_an_import_commits(tmp_path, files):
    store = Store.open(tmp_path / "c.duckdb")
    for as_of, path in files[:-1]:
        registry.import_file(store, path, as_of)
    n = len(files) - 1
    errors: list[BaseException] = []
    seen: list[set[int]] = [set() for _ in range(READERS)]
    started = threading.Barrier(READERS + 1)
    done = threading.Event()

    def reader(i: int) -> None:
        try:
            seen[i].add(whole(page_read(store)))  # at least one read before the import starts
            started.wait()
            while not done.is_set():
                seen[i].add(whole(page_read(store)))
            seen[i].add(whole(page_read(store)))  # and at least one after it committed
        except BaseException as exc:  # noqa: BLE001 - every failure is collected and reported
            errors.append(exc)
            started.abort()

    threads = [threading.Thread(target=reader, args=(i,)) for i in range(READERS)]
    for t in threads:
        t.start()
    started.wait()
    try:
        registry.import_file(store, files[-1][1], files[-1][0])
    finally:
        done.set()
        for t in threads:
            t.join()
    assert errors == []
    assert all(s <= {n, n + 1} and n in s and n + 1 in s for s in seen)
    assert manifest.check(store) == []
    store.close()


def test_each_call_gets_its_own_cursor_so_threads_never_share_a_connection(store):
    handles = []

    def grab() -> None:
        with store.cursor() as cur:
            handles.append(id(cur))
            time.sleep(0.05)  # hold it so the other cursors are open at the same time

    threads = [threading.Thread(target=grab) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(handles)) == 8


def test_checkpoint_waits_for_another_sessions_write_and_reopens_with_its_rows(tmp_path, files):
    # An import ends with a checkpoint, which then reopens the store file; another session may be in
    # the middle of its own write. The checkpoint must wait for it (before, DuckDB 2.0.1's CHECKPOINT
    # returned at once, with no error, while the other write transaction was open; its docs say it
    # fails then). Afterwards both sessions' rows are there, also after the file is reopened.
    store = Store.open(tmp_path / "nol.duckdb")
    store.reopens = True  # as the app's store
    registry.import_file(store, files[0][1], files[0][0])
    writing, release = threading.Event(), threading.Event()
    failures: list[BaseException] = []

    def other_session() -> None:
        try:
            with store.transaction() as cur:
                cur.execute("insert into setting values ('uji', 'dari sesi lain')")
                writing.set()
                release.wait(10)
        except BaseException as exc:  # pragma: no cover - reported below
            failures.append(exc)

    writer = threading.Thread(target=other_session)
    writer.start()
    assert writing.wait(10)

    def checkpoint() -> None:
        try:
            store.checkpoint()
        except BaseException as exc:  # pragma: no cover - reported below
            failures.append(exc)

    checkpointing = threading.Thread(target=checkpoint)
    checkpointing.start()
    time.sleep(0.3)
    assert checkpointing.is_alive()  # waiting for the other session's transaction
    release.set()
    writer.join(10)
    checkpointing.join(30)
    assert not checkpointing.is_alive() and not failures
    assert store.scalar("select value from setting where key = 'uji'") == "dari sesi lain"
    assert registry.import_file(store, files[1][1], files[1][0]).as_of == files[1][0]
    assert list(progress.series(store)["as_of"]) == [files[0][0], files[1][0]]
    store.close()
    reopened = Store.open(tmp_path / "nol.duckdb")
    assert reopened.scalar("select value from setting where key = 'uji'") == "dari sesi lain"
    reopened.close()


def _run_cli(*args: str, db: Path, data: Path) -> subprocess.Popen:
    env = {**os.environ, "NOL_EKSTREM_DB": str(db), "NOL_EKSTREM_DATA_DIR": str(data)}
    return subprocess.Popen(
        [sys.executable, "-m", "analytics.cli", "--db", str(db), *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for(condition, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.1)


def test_cli_import_while_the_app_holds_the_store_goes_through_the_inbox(tmp_path, files):
    db = tmp_path / "app.duckdb"
    app = Store.open(db)  # this process plays the app: it holds the file open read-write
    holder.announce(db)  # ... and says so beside it, as analytics.ui does when it opens the store
    for as_of, path in files[:2]:
        registry.import_file(app, path, as_of)
    as_of, path = files[2]
    cli = _run_cli("impor", str(path), "--tanggal", str(as_of), "--tunggu", "120", db=db, data=tmp_path)
    _wait_for(lambda: inbox.pending(db))
    assert app.query("snapshot_list")["as_of"].dt.date.tolist() == [d for d, _ in files[:2]]
    outcomes = inbox.process(app)  # what analytics.ui.store() does on the next page run
    out, err = cli.communicate(timeout=120)
    assert cli.returncode == 0, err
    assert [o.status for o in outcomes] == ["diimpor"]
    assert "diserahkan ke kotak masuk" in out and "DIIMPOR" in out
    assert app.query("snapshot_list")["as_of"].dt.date.tolist() == [d for d, _ in files[:3]]
    assert manifest.check(app) == [] and inbox.pending(db) == []

    again = _run_cli("impor", str(path), "--tanggal", str(as_of), "--tunggu", "120", db=db, data=tmp_path)
    _wait_for(lambda: inbox.pending(db))
    assert [o.status for o in inbox.process(app)] == ["ditolak"]
    out, err = again.communicate(timeout=120)
    assert again.returncode == 2 and "SHA-256 sama" in out
    app.close()


HOLDER = textwrap.dedent(
    """
    import sys
    from datetime import date
    from analytics.ingest import registry
    from analytics.store.db import Store

    store = Store.open(sys.argv[1])
    print("holding", flush=True)
    sys.stdin.readline()  # hold the file until the test says go
    registry.import_file(store, sys.argv[2], date.fromisoformat(sys.argv[3]))
    store.close()
    """
)


def test_app_start_waits_for_a_cli_import_holding_the_store_then_serves_the_new_data(tmp_path, files):
    db = tmp_path / "busy.duckdb"
    first = Store.open(db)
    registry.import_file(first, files[0][1], files[0][0])
    first.close()
    as_of, path = files[1]
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db), str(path), str(as_of)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "holding"
    with pytest.raises(manifest.StoreUnavailable, match="sedang dipakai proses lain"):
        opening.open_verified(db, wait_seconds=0)
    holder.stdin.write("go\n")
    holder.stdin.flush()
    store = opening.open_verified(db, wait_seconds=120)  # retries until the import has finished
    assert holder.wait(timeout=120) == 0
    assert store.query("snapshot_list")["as_of"].dt.date.tolist() == [files[0][0], as_of]
    store.close()


def test_a_short_process_keeps_its_connection_after_an_import_and_only_the_app_reopens(tmp_path, files):
    """A CLI or script import ends with a checkpoint but keeps its file open until it closes, so an
    app waiting for the file cannot take it in a close-and-reopen gap; the app's store reopens."""
    short = Store.open(tmp_path / "kort.duckdb")
    before = short._con
    registry.import_file(short, files[0][1], files[0][0])
    assert short._con is before
    short.close()
    app = Store.open(tmp_path / "kort.duckdb")
    app.reopens = True
    before = app._con
    registry.import_file(app, files[1][1], files[1][0])
    assert app._con is not before
    assert app.query("snapshot_list")["as_of"].dt.date.tolist() == [files[0][0], files[1][0]]
    app.close()
